// Attributes of an item, read from the syntax tree: tree-sitter keeps `#[...]` lines as the item's
// preceding siblings, not as its children. Used by the module checks and the KUnit test finder.
import type { SyntaxNode } from './rustParser';

/** Attributes directly above an item (comments between them are skipped). */
export function precedingAttributes(item: SyntaxNode): SyntaxNode[] {
  const attributes: SyntaxNode[] = [];
  for (let node = item.previousSibling; node; node = node.previousSibling) {
    if (node.type === 'attribute_item') attributes.unshift(node);
    else if (node.type !== 'line_comment' && node.type !== 'block_comment') break;
  }
  return attributes;
}
