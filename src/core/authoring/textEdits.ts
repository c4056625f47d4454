// Offsets to LSP-style positions and edits, for fixes computed on the text.
import type { LineIndex } from '../parse/lineIndex';
import type { Position, TextEdit, TextRange } from '../safety/findings';

export function positionAt(lines: LineIndex, offset: number): Position {
  const line = lines.lineOf(offset);
  return { line, character: offset - lines.lineStart(line) };
}

export function rangeOf(lines: LineIndex, start: number, end: number): TextRange {
  return { start: positionAt(lines, start), end: positionAt(lines, end) };
}

export function replaceEdit(lines: LineIndex, start: number, end: number, newText: string): TextEdit {
  return { range: rangeOf(lines, start, end), newText };
}

export function insertEdit(lines: LineIndex, offset: number, newText: string): TextEdit {
  return replaceEdit(lines, offset, offset, newText);
}

/** The indentation of the line holding `offset`. */
export function indentAt(lines: LineIndex, offset: number): string {
  return /^\s*/.exec(lines.lineText(lines.lineOf(offset)))?.[0] ?? '';
}

/** The end of a deletion that also takes the spaces and one line break after `end`. */
export function endWithTrailingSpace(text: string, end: number): number {
  let i = end;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  return i;
}

/** The start of a deletion that also takes the indentation before `start` on its line. */
export function startWithLeadingSpace(text: string, start: number): number {
  let i = start;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return text[i - 1] === '\n' || i === 0 ? i : start;
}
