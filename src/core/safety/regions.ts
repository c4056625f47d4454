// The file cut into regions, the unit of linting and of caching: one top-level node that is not
// trivia (an item, a macro call, or whatever error recovery left) together with the comments and
// attributes between it and the previous one; and a last region of whatever trails the last item.
// Every unsafe keyword, SAFETY tag and doc heading lies in exactly one region.
import type { LineIndex } from '../parse/lineIndex';
import type { SyntaxNode } from '../parse/navTree';
import type { Point } from '../parse/rustParser';
import { isTrivia } from './syntax';

export interface Region {
  /** Offsets [start, end): from the end of the previous top-level node to the end of this one. */
  start: number;
  end: number;
  /** Lines [firstLine, lastLine] hold the region (and share their ends with the neighbours). */
  firstLine: number;
  lastLine: number;
  /**
   * Type of the previous top-level node: the comment search above an item starts after the previous
   * item, or at the top of the file when the previous node is no item.
   */
  previousType: string;
  /** Type of the region's top-level node ('' for the region after the last one). */
  type: string;
  /** A parse error inside: error recovery depends on more than the region's own text. */
  hasError: boolean;
  /** False for the region after the last top-level node. */
  hasNode: boolean;
  /** The region's top-level nodes other than comments (which hold no node a rule starts from). */
  nodes: SyntaxNode[];
}

function isComment(type: string): boolean {
  return type === 'line_comment' || type === 'block_comment';
}

export function splitRegions(root: SyntaxNode, lines: LineIndex): Region[] {
  const regions: Region[] = [];
  let start = 0;
  let startPoint: Point = { row: 0, column: 0 };
  let previousType = '';
  let hasError = false;
  let nodes: SyntaxNode[] = [];
  // Most files have no error: then no node needs asking.
  const treeHasError = root.hasError;
  for (const node of root.children) {
    if (isComment(node.type)) {
      if (treeHasError && node.hasError) hasError = true;
      continue;
    }
    if (treeHasError && (node.hasError || node.isMissing)) hasError = true;
    nodes.push(node);
    // Anonymous nodes are skipped by the rules' sibling walks (previousNamedSibling): gap, like trivia.
    if (!node.isNamed || isTrivia(node)) continue;
    const endPoint = node.endPosition;
    regions.push({
      start,
      end: node.endIndex,
      firstLine: startPoint.row,
      lastLine: endPoint.row,
      previousType,
      type: node.type,
      hasError,
      hasNode: true,
      nodes,
    });
    nodes = [];
    start = node.endIndex;
    startPoint = endPoint;
    previousType = node.type;
    hasError = false;
  }
  const lastLine = lines.lineCount - 1;
  regions.push({
    start,
    end: lines.text.length,
    firstLine: startPoint.row,
    lastLine,
    previousType,
    type: '',
    hasError,
    hasNode: false,
    nodes,
  });
  return regions;
}
