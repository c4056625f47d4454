// tree-sitter-rust 0.24 predates a few pieces of Rust 2024 syntax and parses them as errors, which
// would lose the items around them. Before parsing, such code is rewritten into older syntax of the
// same length, so that every offset, line and column of the tree still matches the real text (the
// rules read text through the LineIndex of the original, never through the rewritten copy):
//   `unsafe extern "C" {`  →  `extern        "C" {`   (the block then starts at the same column)
//   `safe fn` / `safe static` in extern blocks  →  `     fn` / `     static`
//   `unsafe static` in extern blocks  →  `       static`
const UNSAFE_EXTERN_BLOCK = /\bunsafe(\s+)extern\b(?=\s*(?:"[^"\n]*"\s*)?\{)/g;
const SAFE_FOREIGN_ITEM = /\b(?:safe|unsafe)(?=\s+static\b)|\bsafe(?=\s+fn\b)/g;

function isInLineComment(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  return text.slice(lineStart, offset).includes('//');
}

/** The text to hand to the parser: `text` itself unless it uses syntax the grammar lacks. */
export function parseableText(text: string): string {
  if (!text.includes('safe')) return text;
  let result = text;
  if (text.includes('extern')) {
    result = result.replace(UNSAFE_EXTERN_BLOCK, (match: string, space: string, offset: number) =>
      isInLineComment(text, offset) ? match : `extern${space}      `,
    );
  }
  result = result.replace(SAFE_FOREIGN_ITEM, (match: string, offset: number) =>
    isInLineComment(text, offset) ? match : ' '.repeat(match.length),
  );
  return result;
}
