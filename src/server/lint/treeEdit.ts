// A text edit as tree-sitter wants it: offsets plus row/column points, where rows are counted by
// `\n` only (tree-sitter's convention, and the core's), whatever the client counts as a line.
import type { Edit, Point } from '../../core/parse/rustParser';
import type { OffsetEdit } from '../text/documents';

/** The tree-sitter point of an offset: `\n`-separated row, UTF-16 column. */
export function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

function advance(start: Point, inserted: string): Point {
  const lastBreak = inserted.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i !== -1; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastBreak - 1 };
}

/** The tree edit for replacing `edit.start..edit.end` of `oldText` with `edit.text`. */
export function treeEditOf(oldText: string, edit: OffsetEdit): Edit {
  const startPosition = pointAt(oldText, edit.start);
  return {
    startIndex: edit.start,
    oldEndIndex: edit.end,
    newEndIndex: edit.start + edit.text.length,
    startPosition,
    oldEndPosition: pointAt(oldText, edit.end),
    newEndPosition: advance(startPosition, edit.text),
  };
}
