// Keeps a check's diagnostics on the right code while the user edits after the check: an edit above a
// diagnostic moves it by the lines it added or removed; an edit that touches a diagnostic's lines
// drops it (the code it was about changed; the next save checks again). A whole-text replacement
// drops them all. Fixes carried in `data` move with their diagnostic or go with it.
import type { Diagnostic, Range, TextDocumentContentChangeEvent, TextEdit } from 'vscode-languageserver';
import { isCheckData } from './checkDiagnostics';

function lineDelta(change: { range: Range; text: string }): number {
  const added = change.text.split('\n').length - 1;
  return added - (change.range.end.line - change.range.start.line);
}

function shiftRange(range: Range, delta: number): Range {
  return {
    start: { line: range.start.line + delta, character: range.start.character },
    end: { line: range.end.line + delta, character: range.end.character },
  };
}

/** Applies one edit to one range: the moved range, or undefined when the edit touches it. */
function moveRange(range: Range, change: { range: Range; text: string }): Range | undefined {
  if (change.range.end.line < range.start.line) return shiftRange(range, lineDelta(change));
  if (change.range.start.line > range.end.line) return range;
  return undefined;
}

function moveEdits(edits: TextEdit[], uri: string, target: string, change: { range: Range; text: string }): TextEdit[] | undefined {
  if (uri !== target) return edits;
  const moved: TextEdit[] = [];
  for (const edit of edits) {
    const range = moveRange(edit.range, change);
    if (!range) return undefined;
    moved.push({ ...edit, range });
  }
  return moved;
}

/** The diagnostics of document `uri` after the changes (in the order the client sent them). */
export function followEdits(
  diagnostics: readonly Diagnostic[],
  uri: string,
  changes: readonly TextDocumentContentChangeEvent[],
): Diagnostic[] {
  let current = [...diagnostics];
  for (const change of changes) {
    if (!('range' in change)) return [];
    const next: Diagnostic[] = [];
    for (const diagnostic of current) {
      const range = moveRange(diagnostic.range, change);
      if (!range) continue;
      const related = diagnostic.relatedInformation?.flatMap((info) => {
        if (info.location.uri !== uri) return [info];
        const moved = moveRange(info.location.range, change);
        return moved ? [{ ...info, location: { ...info.location, range: moved } }] : [];
      });
      let data = diagnostic.data as unknown;
      if (isCheckData(data)) {
        const fixes = data.fixes.flatMap((fix) => {
          const edits: Record<string, TextEdit[]> = {};
          for (const [target, list] of Object.entries(fix.edits)) {
            const moved = moveEdits(list, uri, target, change);
            if (!moved) return [];
            edits[target] = moved;
          }
          return [{ ...fix, edits }];
        });
        data = { ...data, fixes };
      }
      next.push({ ...diagnostic, range, ...(related ? { relatedInformation: related } : {}), data });
    }
    current = next;
  }
  return current;
}
