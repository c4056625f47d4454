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

interface Search {
  found: CommentLocation | undefined;
  /** Lowest and highest line the search read. */
  low: number;
  high: number;
}

/**
 * Looks for a SAFETY comment on the lines in [firstLine, codeLine) directly above codeLine.
 * Lines before firstLine are outside the search (clippy never looks above the enclosing item).
 * Remembered per text: every unsafe block on one line asks the same question.
 */
export function findSafetyCommentAbove(lines: LineIndex, firstLine: number, codeLine: number): CommentLocation | undefined {
  const key = `above:${firstLine}:${codeLine}`;
  let search = lines.memo.get(key) as Search | undefined;
  if (search === undefined) {
    search = searchAbove(lines.untracked, firstLine, codeLine);
    lines.memo.set(key, search);
  }
  // The lines read, for the region cache's record (lines.untracked records nothing).
  if (search.low <= search.high) {
    lines.lineStart(search.low);
    lines.lineStart(search.high);
  }
  return search.found;
}

function searchAbove(lines: LineIndex, firstLine: number, codeLine: number): Search {
  let line = codeLine - 1;
  let low = Infinity;
  let high = -Infinity;
  const read = (at: number): void => {
    low = Math.min(low, at);
    high = Math.max(high, at);
  };
  const result = (found: CommentLocation | undefined): Search => ({ found, low, high });
  const nextNonBlank = (): string | undefined => {
    for (; line >= firstLine; line--) {
      read(line);
      if (lines.indentWidth(line) === lines.lineText(line).length) continue;
      const trimmed = lines.trimmedStart(line);
      if (!isOneLineAttribute(trimmed)) return trimmed;
    }
    return undefined;
  };

  let text = nextNonBlank();
  if (text === undefined) return result(undefined);

  if (text.startsWith('//')) {
    let inCodeBlock = false;
    while (text !== undefined && text.startsWith('//')) {
      if (isDocCodeFence(text)) inCodeBlock = !inCodeBlock;
      if (!inCodeBlock && SAFETY_TAG.test(text)) return result({ line, column: lines.indentWidth(line) });
      line--;
      text = nextNonBlank();
    }
    return result(undefined);
  }

  // clippy 1.96 also accepts a comment that ends the nearest line, when the first comment marker
  // on that line (found textually, strings not excluded) is followed by `SAFETY:`.
  const trailing = trailingSafetyComment(text);
  if (trailing !== undefined) return result({ line, column: lines.indentWidth(line) + trailing });

  // Otherwise the nearest line that opens a block comment decides (clippy walks up line by line;
  // the lines that open one are listed once per text, so that each search is a binary search).
  const opener = nearestBlockOpener(lines, line);
  if (opener === undefined || opener < firstLine) {
    read(firstLine);
    return result(undefined);
  }
  line = opener;
  read(line);
  const column = lines.indentWidth(line);
  const start = lines.lineStart(line) + column;
  const comment = blockCommentAt(lines, start);
  // The comment may run past the code line: its end is read too.
  read(comment.endLine);
  const found = comment.hasTag && comment.nextCode >= lines.lineStart(codeLine) ? { line, column } : undefined;
  return result(found);
}

/** The last line at or above `line` whose text, after indentation, starts with `/*`. */
function nearestBlockOpener(lines: LineIndex, line: number): number | undefined {
  let openers = lines.memo.get('blockOpeners') as number[] | undefined;
  if (openers === undefined) {
    openers = [];
    for (let i = lines.text.indexOf('/*'); i !== -1; i = lines.text.indexOf('/*', i + 2)) {
      const at = lines.lineOf(i);
      if (openers[openers.length - 1] !== at && lines.lineStart(at) + lines.indentWidth(at) === i) openers.push(at);
    }
    lines.memo.set('blockOpeners', openers);
  }
  let low = 0;
  let high = openers.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (openers[mid]! <= line) low = mid + 1;
    else high = mid;
  }
  return low > 0 ? openers[low - 1] : undefined;
}

interface BlockComment {
  hasTag: boolean;
  endLine: number;
  /** Offset of the first non-whitespace character after the comment (the text's length if none). */
  nextCode: number;
}

function blockCommentAt(lines: LineIndex, start: number): BlockComment {
  const key = `block:${start}`;
  let comment = lines.memo.get(key) as BlockComment | undefined;
  if (comment === undefined) {
    const end = blockCommentEnd(lines.text, start);
    const blanks = /\s*/y;
    blanks.lastIndex = end;
    blanks.exec(lines.text);
    comment = { hasTag: SAFETY_TAG.test(lines.text.slice(start, end)), endLine: lines.lineOf(end), nextCode: blanks.lastIndex };
    lines.memo.set(key, comment);
  }
  return comment;
}

/** Offset in `text` of its first comment marker when `SAFETY:` directly follows it. */
function trailingSafetyComment(text: string): number | undefined {
  const lineMarker = text.indexOf('//');
  const blockMarker = text.indexOf('/*');
  const marker = lineMarker === -1 ? blockMarker : blockMarker === -1 ? lineMarker : Math.min(lineMarker, blockMarker);
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
