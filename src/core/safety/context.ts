// What every rule reads: the text, its line index and its syntax tree, the region of the file being
// linted, plus range helpers. The file is linted region by region (one top-level item with the
// comments and attributes above it, see regions.ts) so that unchanged regions can be skipped after
// an edit; each rule starts only from the unsafe keywords, SAFETY tags and headings of the region.
import type { SyntaxNode } from '../parse/navTree';
import type { Position, TextRange } from './findings';
import type { FileMacros } from './macros';
import type { LintBudget } from './limits';
import type { Region } from './regions';
import type { TrackedLines } from './trackedLines';

export interface LintContext {
  readonly text: string;
  /** Line access that records the lines read, for the region cache. */
  readonly lines: TrackedLines;
  readonly root: SyntaxNode;
  readonly region: Region;
  /** Nodes of the region gathered in one walk, since every walk crosses into wasm for each node. */
  readonly index: SyntaxIndex;
  /** The file's macro definitions and calls. */
  readonly macros: FileMacros;
  /** The time left for this file: loops over its items ask it. */
  readonly budget: LintBudget;
  /** The matches of the rules' text patterns in the whole file, found once per lint. */
  readonly matches: TextMatches;
  /**
   * Set by a rule that looked at syntax outside the region (another item's macro calls, say): the
   * findings then depend on more than the region's lines, and are recomputed after every edit.
   */
  readsOutsideRegion: boolean;
}

export interface SyntaxIndex {
  unsafeKeywords: SyntaxNode[];
  macroDefinitions: SyntaxNode[];
}

/** Walks the region once for every node type the rules start from. */
export function indexRegion(region: Region, budget: LintBudget): SyntaxIndex {
  const index: SyntaxIndex = { unsafeKeywords: [], macroDefinitions: [] };
  for (const top of region.nodes) {
    // Found by tree-sitter (fast, in wasm), then reached from the root so that their ancestors are known.
    for (const found of top.node.descendantsOfType(['unsafe', 'macro_definition'])) {
      if (found === null) continue;
      budget.check();
      const node = top.tree.find(found);
      if (node.type === 'unsafe') index.unsafeKeywords.push(node);
      else index.macroDefinitions.push(node);
    }
  }
  return index;
}

/**
 * The matches of global regular expressions over the whole text, each pattern run once per lint:
 * run from each region instead, a pattern with no match in the region reads on to the file's end.
 * For the patterns used, which cannot overlap themselves, the matches that start in a region are
 * the same either way.
 */
export class TextMatches {
  private readonly found = new Map<string, RegExpExecArray[]>();

  constructor(private readonly text: string) {}

  all(pattern: RegExp): RegExpExecArray[] {
    const key = `${pattern.source}/${pattern.flags}`;
    let matches = this.found.get(key);
    if (matches) return matches;
    matches = [];
    pattern.lastIndex = 0;
    for (let match = pattern.exec(this.text); match !== null; match = pattern.exec(this.text)) {
      matches.push(match);
      if (match[0].length === 0) pattern.lastIndex++;
    }
    this.found.set(key, matches);
    return matches;
  }
}

/** The matches of a global regular expression that start in the region; their ends are recorded as read. */
export function* matchesInRegion(ctx: LintContext, pattern: RegExp): Generator<RegExpExecArray> {
  const matches = ctx.matches.all(pattern);
  let low = 0;
  let high = matches.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (matches[mid]!.index < ctx.region.start) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < matches.length && matches[i]!.index < ctx.region.end; i++) {
    ctx.budget.check();
    const match = matches[i]!;
    ctx.lines.touch(match.index + match[0].length);
    yield match;
  }
}

export function position(line: number, character: number): Position {
  return { line, character };
}

export function nodeRange(node: SyntaxNode): TextRange {
  return {
    start: position(node.startPosition.row, node.startPosition.column),
    end: position(node.endPosition.row, node.endPosition.column),
  };
}

/**
 * The span clippy reports for multi-line code: from its start to the end of its first line
 * (`span_until_char(span, '\n')`); for one-line code, the whole of it.
 */
export function clippySpan(ctx: LintContext, start: Position, end: Position): TextRange {
  if (end.line === start.line) return { start, end };
  return { start, end: position(start.line, ctx.lines.contentEnd(start.line)) };
}

export function indentationOf(ctx: LintContext, line: number): string {
  return ctx.lines.lineText(line).slice(0, ctx.lines.indentWidth(line));
}
