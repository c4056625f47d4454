// Findings of the regions of the last lint of a document, for reuse after an edit. A region's
// findings are a function of the lines its lint read, the region's bounds in them, the type of the
// previous top-level node, and a few file-wide facts (file-level lint attributes, the line of the
// crate's first token, the kinds of the local macros). Only regions whose lint read nothing but its
// own lines are cached, keyed by those lines; the file-wide facts key the whole cache.
import type { LineIndex } from '../parse/lineIndex';
import type { SyntaxNode } from '../parse/navTree';
import type { LintContext } from './context';
import type { Finding, Position, TextRange } from './findings';
import { innerAttributes } from './lintLevels';
import type { FileMacros, MacroSummary } from './macros';
import { firstTokenLine } from './placement';
import { isItemType } from './syntax';
import type { Region } from './regions';

export interface CachedRegion {
  /** Findings with lines counted from the region's first line. */
  findings: Finding[];
  macros: MacroSummary;
}

/** One per document: what the next lint of that document may reuse. */
export class LintCache {
  fileKey = '';
  regions = new Map<string, CachedRegion>();
}

/**
 * The file-wide facts that any region's findings may depend on. The root's type too: when error
 * recovery fails at the top, the root is an ERROR node rather than a source_file, and the rules'
 * climbs to the file end differently.
 */
export function fileKey(root: SyntaxNode, macros: FileMacros): string {
  const attributes = innerAttributes(root).map((attribute) => attribute.text);
  return JSON.stringify([root.type, firstTokenLine(root), attributes, macros.key]);
}

/**
 * Whether a region's findings may be cached at all: its syntax must follow from its text alone.
 * That holds for an error-free item or macro call directly under a source_file; the fragments that
 * error recovery leaves (under an ERROR root, or after an ERROR node) are shaped by their context.
 */
export function mayBeCached(region: Region, root: SyntaxNode): boolean {
  return (
    root.type === 'source_file' && region.hasNode && !region.hasError && (isItemType(region.type) || region.type === 'macro_invocation')
  );
}

/** The key of a region: its lines, where in them it starts and ends, and what precedes it. */
export function regionKey(region: Region, lines: LineIndex): string {
  const base = lines.lineStart(region.firstLine);
  const text = lines.text.slice(base, lines.lineEnd(region.lastLine));
  return `${region.previousType}\u0000${region.type}\u0000${region.start - base}\u0000${region.end - base}\u0000${text}`;
}

/** Whether the findings of a region just linted (one that mayBeCached) depend on nothing but its key. */
export function isCacheable(region: Region, ctx: LintContext): boolean {
  const lines = ctx.lines;
  return (
    !ctx.readsOutsideRegion &&
    lines.minLine >= region.firstLine &&
    lines.maxLine <= region.lastLine &&
    // Loops that stop at the last line of the file depend on where the file ends.
    lines.maxLine < lines.lineCount - 1
  );
}

function shiftPosition(position: Position, lines: number): Position {
  return { line: position.line + lines, character: position.character };
}

function shiftRange(range: TextRange, lines: number): TextRange {
  return { start: shiftPosition(range.start, lines), end: shiftPosition(range.end, lines) };
}

/** A copy of the findings moved down by `lines` (up, when negative). */
export function shiftFindings(findings: Finding[], lines: number): Finding[] {
  if (lines === 0) return findings;
  return findings.map((finding) => ({
    ...finding,
    range: shiftRange(finding.range, lines),
    ...(finding.extent ? { extent: shiftRange(finding.extent, lines) } : {}),
    fixes: finding.fixes.map((fix) => ({
      ...fix,
      edits: fix.edits.map((edit) => ({ ...edit, range: shiftRange(edit.range, lines) })),
      ...(fix.placeholder ? { placeholder: shiftRange(fix.placeholder, lines) } : {}),
    })),
  }));
}
