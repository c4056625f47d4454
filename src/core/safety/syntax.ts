// Facts about tree-sitter-rust's syntax tree that the SAFETY rules need, phrased in the terms
// clippy uses for rustc's HIR (items, statements, tail expressions, attributes).
import type { SyntaxNode } from '../parse/navTree';

/** Nodes that rustc lowers to HIR items when they appear in a module, a block or an impl. */
export const ITEM_TYPES: ReadonlySet<string> = new Set([
  'function_item',
  'function_signature_item',
  'struct_item',
  'enum_item',
  'union_item',
  'type_item',
  'const_item',
  'static_item',
  'trait_item',
  'impl_item',
  'mod_item',
  'use_declaration',
  'extern_crate_declaration',
  'macro_definition',
  'foreign_mod_item',
  'associated_type',
]);

/** Nodes that are not statements, items or expressions: they never count as code. */
const TRIVIA_TYPES: ReadonlySet<string> = new Set(['line_comment', 'block_comment', 'attribute_item', 'inner_attribute_item']);

/**
 * Expressions after which clippy stops climbing from an unsafe block to its statement: rustc's
 * `if`, `match` and `loop`, and what lowers to them (`while`, `for`, `?`, `.await`).
 */
const BRANCHY_TYPES: ReadonlySet<string> = new Set([
  'if_expression',
  'match_expression',
  'loop_expression',
  'while_expression',
  'for_expression',
  'try_expression',
  'await_expression',
]);

/**
 * (A struct literal's `field: value` is a node of its own in HIR, `ExprField`, which stops the climb,
 * so `field_initializer` is not transparent.)
 * Syntax nodes that sit between an expression and its parent expression in tree-sitter's tree but
 * are not nodes of rustc's HIR; climbing passes through them.
 */
const TRANSPARENT_TYPES: ReadonlySet<string> = new Set([
  'arguments',
  'field_initializer_list',
  'base_field_initializer',
  'else_clause',
  'let_condition',
  'let_chain',
  'condition',
]);

export function isTrivia(node: SyntaxNode): boolean {
  return TRIVIA_TYPES.has(node.type);
}

export function isItem(node: SyntaxNode): boolean {
  return ITEM_TYPES.has(node.type);
}

export function isItemType(type: string): boolean {
  return ITEM_TYPES.has(type);
}

export function isBranchy(node: SyntaxNode): boolean {
  return BRANCHY_TYPES.has(node.type);
}

export function isTransparent(node: SyntaxNode): boolean {
  return TRANSPARENT_TYPES.has(node.type);
}

/**
 * `a..b`, `a..` and `..b` lower to struct literals (`Range { start: a, end: b }`), whose fields stop
 * the climb like a struct literal's; `a..=b` lowers to a call (`RangeInclusive::new`), which does not.
 */
export function isStructLikeRange(node: SyntaxNode): boolean {
  return node.type === 'range_expression' && !node.children.some((child) => child?.type === '..=');
}

/** Whether a node is an expression (tree-sitter names them *_expression, plus literals and blocks). */
export function isExpression(node: SyntaxNode): boolean {
  const type = node.type;
  return (
    type.endsWith('_expression') ||
    type.endsWith('_literal') ||
    type === 'unsafe_block' ||
    type === 'async_block' ||
    type === 'const_block' ||
    type === 'block' ||
    type === 'identifier' ||
    type === 'scoped_identifier' ||
    type === 'self' ||
    type === 'macro_invocation' ||
    type === 'generic_function' ||
    type === 'array_expression' ||
    type === 'tuple_expression' ||
    type === 'unit_expression' ||
    type === 'compound_assignment_expr'
  );
}

export function hasUnsafeKeyword(node: SyntaxNode): boolean {
  for (const child of node.children) {
    if (child === null) continue;
    if (child.type === 'unsafe') return true;
    if (child.type === 'function_modifiers' && child.children.some((m) => m?.type === 'unsafe')) return true;
  }
  return false;
}

/** The attribute items written directly before a node in its list (outer attributes, doc comments skipped). */
export function outerAttributes(node: SyntaxNode): SyntaxNode[] {
  const attributes: SyntaxNode[] = [];
  for (let sibling = node.previousSibling; sibling !== null; sibling = sibling.previousSibling) {
    if (sibling.type === 'attribute_item') attributes.unshift(sibling);
    else if (sibling.type === 'line_comment' || sibling.type === 'block_comment') continue;
    else break;
  }
  return attributes;
}

/** Items of the same list (module, impl, block) that come before `item`, nearest first. */
export function previousItem(item: SyntaxNode): SyntaxNode | undefined {
  for (let sibling = item.previousNamedSibling; sibling !== null; sibling = sibling.previousNamedSibling) {
    if (isItem(sibling) || sibling.type === 'macro_invocation') return sibling;
    if (!isTrivia(sibling)) return undefined;
  }
  return undefined;
}

/** The tail expression of a block: its last expression, not followed by a semicolon. */
export function tailExpression(block: SyntaxNode): SyntaxNode | undefined {
  for (let child = block.lastNamedChild; child !== null; child = child.previousNamedSibling) {
    if (isTrivia(child)) continue;
    if (child.type === 'expression_statement') {
      const last = child.lastChild;
      return last !== null && last.type !== ';' ? (child.firstNamedChild ?? undefined) : undefined;
    }
    return isExpression(child) ? child : undefined;
  }
  return undefined;
}

/** Whether any ancestor of a node is an unsafe block. */
export function isInsideUnsafeBlock(node: SyntaxNode): boolean {
  return node.closest('unsafe_block') !== null;
}
