// What every rule reads: the text, its line index and its syntax tree, plus range helpers.
import type { LineIndex } from '../parse/lineIndex';
import type { SyntaxNode } from '../parse/rustParser';
import type { Position, TextRange } from './findings';

export interface LintContext {
  readonly text: string;
  readonly lines: LineIndex;
  readonly root: SyntaxNode;
  /** Nodes gathered in one walk of the tree, since every walk crosses into wasm for each node. */
  readonly index: SyntaxIndex;
}

export interface SyntaxIndex {
  unsafeKeywords: SyntaxNode[];
  macroInvocations: SyntaxNode[];
  macroDefinitions: SyntaxNode[];
}

/** Walks the tree once for every node type the rules start from. */
export function indexTree(root: SyntaxNode): SyntaxIndex {
  const index: SyntaxIndex = { unsafeKeywords: [], macroInvocations: [], macroDefinitions: [] };
  for (const node of root.descendantsOfType(['unsafe', 'macro_invocation', 'macro_definition'])) {
    if (node === null) continue;
    if (node.type === 'unsafe') index.unsafeKeywords.push(node);
    else if (node.type === 'macro_invocation') index.macroInvocations.push(node);
    else index.macroDefinitions.push(node);
  }
  return index;
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
  const lineText = ctx.lines.lineText(start.line);
  return { start, end: position(start.line, lineText.trimEnd().length) };
}

export function indentationOf(ctx: LintContext, line: number): string {
  const text = ctx.lines.lineText(line);
  return text.slice(0, text.length - text.trimStart().length);
}
