// Where clippy looks for a SAFETY comment: the first line of the search window for a piece of code,
// and the statement an unsafe block climbs to. Mirrors `get_body_search_span`,
// `comment_start_before_item`, `stmt_has_safety_comment` and `find_unsafe_block_parent_in_expr` in
// clippy_lints/src/undocumented_unsafe_blocks.rs, expressed over tree-sitter's tree.
import type { SyntaxNode } from '../parse/navTree';
import type { LintContext } from './context';
import { isExpressionMacro } from './macros';
import { isBranchy, isExpression, isItem, isStructLikeRange, isTransparent, previousItem } from './syntax';

function isConstOrStatic(node: SyntaxNode): boolean {
  return node.type === 'const_item' || node.type === 'static_item';
}

/** First line clippy searches for a comment above an item of a module (None: no search). */
function firstLineBeforeModuleItem(item: SyntaxNode, moduleStartLine: number): number {
  const previous = previousItem(item);
  return previous ? previous.endPosition.row + 1 : moduleStartLine + 1;
}

/**
 * Line of the crate's first token: rustc's span of the crate's contents starts there, after any plain
 * comments (doc comments are tokens).
 */
export function firstTokenLine(sourceFile: SyntaxNode): number {
  for (const node of sourceFile.children) {
    const type = node.type;
    const isPlainComment =
      (type === 'line_comment' || type === 'block_comment') && !node.children.some((part) => part.type.endsWith('doc_comment_marker'));
    if (!isPlainComment) return node.startPosition.row;
  }
  return 0;
}

/**
 * First line of the window in which clippy looks for a comment above an unsafe block:
 * the line after the start of the enclosing function (or impl/trait for associated consts),
 * or for a const/static of a module, after the previous item.
 */
export function bodySearchFirstLine(node: SyntaxNode): number {
  // The climb from an ancestor reached with no const item pending depends on that ancestor alone:
  // remembered, so that the blocks of a deep `else if` chain do not each climb it all.
  const pending: SyntaxNode[] = [];
  const line = climbToBody(node, pending);
  for (const ancestor of pending) bodyLines.set(ancestor, line);
  return line;
}

const bodyLines = new WeakMap<SyntaxNode, number>();

function climbToBody(node: SyntaxNode, pending: SyntaxNode[]): number {
  let constItem: SyntaxNode | undefined;
  for (let parent = node.parent; parent !== null; parent = parent.parent) {
    if (constItem === undefined) {
      const known = bodyLines.get(parent);
      if (known !== undefined) return known;
      pending.push(parent);
    }
    if (isConstOrStatic(parent)) {
      constItem = parent;
      continue;
    }
    if (parent.type === 'source_file') return firstTokenLine(parent) + 1;
    if (parent.type === 'mod_item') {
      return constItem?.parent?.parent?.id === parent.id
        ? firstLineBeforeModuleItem(constItem, parent.startPosition.row)
        : parent.startPosition.row + 1;
    }
    // Functions, impls, traits, and items whose types hold a const expression (array lengths,
    // enum discriminants): the search starts below the item's first line.
    if (isItem(parent)) return parent.startPosition.row + 1;
    if (parent.type !== 'declaration_list') constItem = undefined;
  }
  return 1;
}

/**
 * First line of the window above an item (`item_has_safety_comment`), or undefined where clippy does
 * not look (items of traits and extern blocks).
 */
export function itemSearchFirstLine(item: SyntaxNode): number | undefined {
  const parent = item.parent;
  if (parent === null) return undefined;
  switch (parent.type) {
    case 'source_file': {
      const previous = previousItem(item);
      // Before the first item of a file sit only rustc's injected prelude items, whose spans are
      // dummies: clippy then searches from the file's very first line.
      return previous ? previous.endPosition.row + 1 : 0;
    }
    case 'declaration_list': {
      // Items of impls and traits are not HIR items: clippy 1.96 does not look above them.
      const owner = parent.parent;
      if (owner?.type !== 'mod_item') return undefined;
      return firstLineBeforeModuleItem(item, owner.startPosition.row);
    }
    case 'block':
      return parent.startPosition.row + 1;
    default:
      return undefined;
  }
}

/** First line of the window above a statement or tail expression: after its block's opening line. */
export function statementSearchFirstLine(statement: SyntaxNode): number | undefined {
  const parent = statement.parent?.type === 'expression_statement' ? statement.parent.parent : statement.parent;
  return parent?.type === 'block' ? parent.startPosition.row + 1 : undefined;
}

/**
 * The line above which a comment also documents an unsafe block: the start of the `let`, assignment,
 * const/static or expression statement that holds it, climbing through enclosing expressions but not
 * out of branches. Undefined where clippy does not climb.
 * `start` is the unsafe block, or for an unsafe block in macro arguments, the macro invocation.
 */
export function statementLineAbove(ctx: LintContext, start: SyntaxNode, startsInMacroArguments: boolean): number | undefined {
  if (startsInMacroArguments) {
    const invocation = enclosingMacroInvocation(start);
    if (!invocation || !isExpressionMacro(ctx, invocation)) return undefined;
    return climbFrom(invocation, true);
  }
  return climbFrom(start, false);
}

/**
 * The climb itself. `fromMacro`: `start` is a macro invocation standing for code it expands to;
 * ending the climb at the invocation itself gives a span inside the expansion, which clippy
 * never searches above.
 */
export function climbFrom(start: SyntaxNode, fromMacro: boolean): number | undefined {
  let expression = start;
  let parent = start.parent;
  for (;;) {
    while (parent !== null && isTransparent(parent)) parent = parent.parent;
    if (parent === null) return undefined;
    if (parent.type === 'let_declaration' || isConstOrStatic(parent)) return parent.startPosition.row;
    if (parent.type === 'assignment_expression') {
      // clippy takes the span of the `=` operator here, not the whole assignment.
      const operator = parent.children.find((child) => child?.type === '=');
      return operator?.startPosition.row ?? parent.startPosition.row;
    }
    if (parent.type === 'token_tree') return undefined;
    if (isExpression(parent) && parent.type !== 'block' && !isStructLikeRange(parent)) {
      expression = parent;
      parent = parent.parent;
      continue;
    }
    if (isBranchy(expression)) return undefined;
    if (fromMacro && expression.id === start.id) return undefined;
    return expression.startPosition.row;
  }
}

function enclosingMacroInvocation(node: SyntaxNode): SyntaxNode | undefined {
  return node.closest('macro_invocation') ?? undefined;
}
