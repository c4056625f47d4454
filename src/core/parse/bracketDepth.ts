// The deepest nesting of brackets in Rust source, counted on tokens: brackets inside comments,
// strings (plain, byte, C and raw ones), char and byte literals do not count, and a lifetime's
// quote opens no literal. A lexer of just enough of Rust for that, in one pass over the text
// (rustc_lexer's rules for where literals and comments start and end).

const isIdentifierCode = (code: number): boolean =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code > 0x7f;

/** End of the (nested) block comment that opens at `start`, or the text's end. */
function blockCommentEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length - 1) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code === 0x2f && next === 0x2a) {
      depth++;
      i += 2;
    } else if (code === 0x2a && next === 0x2f) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return text.length;
}

/** End of the string whose opening quote is at `quote` (backslash escapes), or the text's end. */
function stringEnd(text: string, quote: number): number {
  for (let i = quote + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) i++;
    else if (code === 0x22) return i + 1;
  }
  return text.length;
}

/**
 * A raw string `r#"..."#` starting at the `r` at `start` (after a `b` or `c` prefix, if any): its end,
 * or undefined when no raw string starts there (`r#ident` is a raw identifier).
 */
function rawStringEnd(text: string, start: number): number | undefined {
  let i = start + 1;
  while (text.charCodeAt(i) === 0x23) i++;
  if (text.charCodeAt(i) !== 0x22) return undefined;
  const closing = `"${'#'.repeat(i - start - 1)}`;
  const end = text.indexOf(closing, i + 1);
  return end === -1 ? text.length : end + closing.length;
}

/**
 * A char or byte literal whose quote is at `quote`: its end, or undefined when the quote starts a
 * lifetime or label (`'a`, `'static`): a literal is one character, or an escape, then a quote.
 */
function charLiteralEnd(text: string, quote: number): number | undefined {
  const first = text.charCodeAt(quote + 1);
  if (first === 0x5c) {
    const end = text.indexOf("'", quote + 3);
    const lineEnd = text.indexOf('\n', quote);
    // `'\''` and `'\\'`: the escaped character comes first.
    if (end === -1 || (lineEnd !== -1 && lineEnd < end)) return quote + 1;
    return end + 1;
  }
  const width = first >= 0xd800 && first <= 0xdbff ? 2 : 1;
  return text.charCodeAt(quote + 1 + width) === 0x27 ? quote + 2 + width : undefined;
}

export function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const previousIsIdentifier = i > 0 && isIdentifierCode(text.charCodeAt(i - 1));
    if (code === 0x7b || code === 0x28 || code === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
      i++;
    } else if (code === 0x7d || code === 0x29 || code === 0x5d) {
      if (depth > 0) depth--;
      i++;
    } else if (code === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end + 1;
    } else if (code === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      i = blockCommentEnd(text, i);
    } else if (code === 0x22) {
      i = stringEnd(text, i);
    } else if (code === 0x27) {
      i = charLiteralEnd(text, i) ?? i + 1;
    } else if (code === 0x72 && !isRawPrefixed(text, i, previousIsIdentifier)) {
      i++;
    } else if (code === 0x72) {
      i = rawStringEnd(text, i) ?? i + 1;
    } else {
      i++;
    }
  }
  return deepest;
}

/** Whether an `r` at `i` may open a raw string: it starts a token, or follows a `b` or `c` that does. */
function isRawPrefixed(text: string, i: number, previousIsIdentifier: boolean): boolean {
  if (!previousIsIdentifier) return true;
  const previous = text.charCodeAt(i - 1);
  return (previous === 0x62 || previous === 0x63) && !(i > 1 && isIdentifierCode(text.charCodeAt(i - 2)));
}
