// Templates are written once, in the snippet syntax that VS Code and LSP share (`${1:default}`
// placeholders, `$0` for the final cursor), and rendered to plain text for `rfl new` and tests.
// In that syntax a backslash escapes only `$`, `}` and `\`; any other backslash (Rust's `\n`) is
// literal, which is why templates can hold Rust strings as they are.

/** The text a snippet inserts when every placeholder keeps its default. */
export function snippetToPlainText(snippet: string): string {
  let out = '';
  for (let i = 0; i < snippet.length; i++) {
    const char = snippet[i];
    const next = snippet[i + 1];
    if (char === '\\' && (next === '$' || next === '}' || next === '\\')) {
      out += next;
      i++;
    } else if (char === '$' && next === '{') {
      const close = findPlaceholderEnd(snippet, i + 2);
      const inner = snippet.slice(i + 2, close);
      const colon = inner.indexOf(':');
      out += colon === -1 ? '' : snippetToPlainText(inner.slice(colon + 1));
      i = close;
    } else if (char === '$' && next !== undefined && /\d/.test(next)) {
      while (i + 1 < snippet.length && /\d/.test(snippet[i + 1] ?? '')) i++;
    } else {
      out += char;
    }
  }
  return out;
}

function findPlaceholderEnd(snippet: string, from: number): number {
  let depth = 1;
  for (let i = from; i < snippet.length; i++) {
    const char = snippet[i];
    if (char === '\\') i++;
    else if (char === '$' && snippet[i + 1] === '{') {
      depth++;
      i++;
    } else if (char === '}' && --depth === 0) return i;
  }
  throw new Error(`unterminated placeholder in snippet: ${snippet.slice(from - 2, from + 40)}`);
}

/** `${index:default}` with the default escaped. */
export function placeholder(index: number, defaultText: string): string {
  return `\${${index}:${defaultText.replace(/[$}\\]/g, (char) => `\\${char}`)}}`;
}
