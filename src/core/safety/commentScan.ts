// The line-based search for a SAFETY comment above a piece of code, as clippy performs it
// (clippy_lints/src/undocumented_unsafe_blocks.rs, `text_has_safety_comment`):
// walking upward from the line above the code, blank lines and one-line attributes (`#[...]`, with
// clippy's default `accept-comment-above-attributes = true`) are skipped; if the nearest line is a
// `//` comment, the run of `//` lines it belongs to must contain `SAFETY:` (any case, outside a
// fenced code block of a doc comment); otherwise a block comment that starts its own line must hold
// `SAFETY:` and be followed only by whitespace up to the code's line.
import type { LineIndex } from '../parse/lineIndex';

export interface CommentLocation {
  /** 0-based line of the comment line that holds `SAFETY:`. */
  line: number;
  /** UTF-16 column where that line's text starts (after indentation). */
  column: number;
}

const SAFETY_TAG = /safety:/i;

function leadingWhitespace(text: string): number {
  return text.length - text.trimStart().length;
}

/**
 * Looks for a SAFETY comment on the lines in [firstLine, codeLine) directly above codeLine.
 * Lines before firstLine are outside the search (clippy never looks above the enclosing item).
 */
export function findSafetyCommentAbove(
  lines: LineIndex,
  firstLine: number,
  codeLine: number,
): CommentLocation | undefined {
  let line = codeLine - 1;
  const nextNonBlank = (): string | undefined => {
    for (; line >= firstLine; line--) {
      const trimmed = lines.lineText(line).trimStart();
      if (trimmed.length > 0 && !isOneLineAttribute(trimmed)) return trimmed;
    }
    return undefined;
  };

  let text = nextNonBlank();
  if (text === undefined) return undefined;

  if (text.startsWith('//')) {
    let inCodeBlock = false;
    while (text !== undefined && text.startsWith('//')) {
      if (isDocCodeFence(text)) inCodeBlock = !inCodeBlock;
      if (!inCodeBlock && SAFETY_TAG.test(text)) {
        return { line, column: leadingWhitespace(lines.lineText(line)) };
      }
      line--;
      text = nextNonBlank();
    }
    return undefined;
  }

  // clippy 1.96 also accepts a comment that ends the nearest line, when the first comment marker
  // on that line (found textually, strings not excluded) is followed by `SAFETY:`.
  const trailing = trailingSafetyComment(text);
  if (trailing !== undefined) {
    return { line, column: leadingWhitespace(lines.lineText(line)) + trailing };
  }

  // Otherwise the nearest line that opens a block comment decides.
  while (text !== undefined && !text.startsWith('/*')) {
    line--;
    text = nextNonBlank();
  }
  if (text === undefined) return undefined;
  const column = leadingWhitespace(lines.lineText(line));
  const start = lines.lineStart(line) + column;
  const end = blockCommentEnd(lines.text, start);
  // The comment may run past the code line: its end is read too (lineOf records it when tracked).
  lines.lineOf(end);
  const comment = lines.text.slice(start, end);
  const rest = lines.text.slice(end, lines.lineStart(codeLine));
  return SAFETY_TAG.test(comment) && rest.trim() === '' ? { line, column } : undefined;
}

/** Offset in `text` of its first comment marker when `SAFETY:` directly follows it. */
function trailingSafetyComment(text: string): number | undefined {
  const lineMarker = text.indexOf('//');
  const blockMarker = text.indexOf('/*');
  const marker =
    lineMarker === -1 ? blockMarker : blockMarker === -1 ? lineMarker : Math.min(lineMarker, blockMarker);
  if (marker === -1) return undefined;
  return /^safety:/i.test(text.slice(marker + 2).trimStart()) ? marker : undefined;
}

function isOneLineAttribute(trimmed: string): boolean {
  return (trimmed.startsWith('#[') || trimmed.startsWith('#![')) && trimmed.trimEnd().endsWith(']');
}

/** A ``` fence in a `///` or `//!` doc line: SAFETY tags inside such code examples do not count. */
function isDocCodeFence(text: string): boolean {
  return (text.startsWith('///') || text.startsWith('//!')) && text.slice(3).trimStart().startsWith('```');
}

/** End offset of the (possibly nested) block comment that opens at `start`, or the text's end. */
export function blockCommentEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length - 1) {
    const pair = text.slice(i, i + 2);
    if (pair === '/*') {
      depth++;
      i += 2;
    } else if (pair === '*/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return text.length;
}
