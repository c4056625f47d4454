// unnecessary_safety_comment: a SAFETY comment above a statement, tail expression or item that holds
// no unsafe block. Clippy asks, for every statement and item, whether a SAFETY comment sits above it;
// here the search runs the other way, from each SAFETY comment to the code below it, and then applies
// clippy's own test to that code, so that files without such comments cost nothing.
import type { SyntaxNode } from '../parse/navTree';
import { blockCommentEnd, findSafetyCommentAbove, type CommentLocation } from './commentScan';
import { clippySpan, matchesInRegion, nodeRange, position, type LintContext } from './context';
import type { Finding, Fix } from './findings';
import { isLintAllowed } from './lintLevels';
import { itemStartBefore, itemStartNode, macroItemDescription, readMacroItem, usedMacroDefinition } from './macroItems';
import { macroExpandsToUnsafeBlock, isLintAllowedAtEveryUse } from './macros';
import { itemSearchFirstLine, statementSearchFirstLine } from './placement';
import { hasUnsafeKeyword, isExpression, isInsideUnsafeBlock, isItem, tailExpression } from './syntax';

/**
 * Lines right below each SAFETY comment (blank lines, comment lines and attributes skipped): the only
 * lines where code can carry one. A superset: clippy's own test then decides for the code there.
 */
function linesBelowSafetyComments(ctx: LintContext): Set<number> {
  const targets = new Set<number>();
  let scannedTo = -1;
  for (const match of matchesInRegion(ctx, /safety:/gi)) {
    let last = ctx.lines.lineOf(match.index);
    // Tags come in text order: a tag above the line the previous scan stopped at leads to the
    // same code line, so the scan never walks the same comment lines twice.
    if (last < scannedTo) continue;
    // A tag inside a multi-line block comment (even on a line of it that starts with `//`): the code
    // comes after the comment's end.
    const node = ctx.root.descendantForIndex(match.index);
    // In a `/** .. */` doc comment, the tag sits in the comment's `doc_comment` child.
    const comment = node?.type === 'doc_comment' ? node.parent : node;
    if (comment?.type === 'block_comment') last = Math.max(last, comment.endPosition.row);
    if (last < scannedTo) continue;
    let next = last + 1;
    for (; next < ctx.lines.lineCount; next++) {
      const text = ctx.lines.lineText(next).trimStart();
      if (text === '' || text.startsWith('//') || (text.startsWith('#') && text.trimEnd().endsWith(']'))) continue;
      targets.add(next);
      break;
    }
    scannedTo = next;
  }
  return targets;
}

/**
 * The nodes that start on a line, wherever on the line (after a block comment, or after the end of another
 * statement); for an attribute, the item or statement it belongs to.
 */
function codeStartingOn(ctx: LintContext, line: number): SyntaxNode[] {
  const lineStart = ctx.lines.lineStart(line);
  const first = lineStart + ctx.lines.indentWidth(line);
  const last = lineStart + ctx.lines.contentEnd(line);
  if (last <= first) return [];
  const found: SyntaxNode[] = [];
  const add = (node: SyntaxNode): void => {
    // Code of the next region (on the line where this one ends) is that region's to check; looking
    // at it here makes this region's findings depend on it.
    if (node.startIndex < ctx.region.start || node.startIndex >= ctx.region.end) ctx.readsOutsideRegion = true;
    if (node.type !== 'attribute_item') {
      found.push(node);
      return;
    }
    let attributed = node.nextNamedSibling;
    while (attributed && (attributed.type === 'attribute_item' || attributed.type.endsWith('comment'))) {
      attributed = attributed.nextNamedSibling;
    }
    if (attributed) found.push(attributed);
  };
  const cover = ctx.root.descendantForIndex(first, last - 1);
  if (!cover) return found;
  for (let node: SyntaxNode | null = cover; node !== null && node.startPosition.row === line; node = node.parent) add(node);
  // Pre-order, without recursion: an `else if` chain on one line nests thousands of levels deep.
  const pending: (SyntaxNode | null)[] = [cover.firstChildForIndex(first)];
  while (pending.length > 0) {
    const child = pending[pending.length - 1]!;
    if (child === null || child.startIndex >= last) {
      pending.pop();
      continue;
    }
    ctx.budget.check();
    pending[pending.length - 1] = child.nextSibling;
    if (child.startIndex >= first) add(child);
    if (child.childCount > 0) pending.push(child.firstChildForIndex(first));
  }
  return found;
}

/**
 * Whether an unsafe block is reachable in an expression without entering a nested block expression
 * (clippy's `expr_has_unnecessary_safety_comment`). A `loop` body is no block expression in rustc's
 * HIR, so it is searched; the bodies of `if`, `while`, `for`, `match` arms and closures are not.
 */
function containsUnsafeBlock(ctx: LintContext, expression: SyntaxNode): boolean {
  // With a stack, not recursion: an `else if` chain nests thousands of levels deep.
  const pending = [expression];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.type === 'unsafe_block') return true;
    if (node.type === 'loop_expression') {
      const body = node.childForFieldName('body');
      if (body !== null) pending.push(...body.namedChildren);
      continue;
    }
    if (node.type === 'block' || isItem(node) || isDestructuringAssignment(node)) continue;
    if (node.type === 'macro_invocation') {
      if (macroExpandsToUnsafeBlock(ctx, node)) return true;
      continue;
    }
    for (const child of node.namedChildren) pending.push(child);
  }
  return false;
}

/**
 * `(a, b) = ..`, `[a, b] = ..`, `S { a, b } = ..` and `T(a, b) = ..` lower to a block of several
 * statements (a `let` of the pattern, then one assignment per place), a block clippy does not enter.
 * `_ = ..` (or a pattern of only `_`) lowers to a lone `let`, which it does enter.
 */
const DESTRUCTURING_PATTERNS: ReadonlySet<string> = new Set([
  'tuple_expression',
  'array_expression',
  'call_expression',
  'struct_expression',
]);

function isDestructuringAssignment(node: SyntaxNode): boolean {
  if (node.type !== 'assignment_expression') return false;
  const left = node.childForFieldName('left');
  return left !== null && DESTRUCTURING_PATTERNS.has(left.type) && hasAssignee(left);
}

function hasAssignee(pattern: SyntaxNode): boolean {
  switch (pattern.type) {
    case 'tuple_expression':
    case 'array_expression':
      return pattern.namedChildren.some((child) => child !== null && hasAssignee(child));
    case 'call_expression': {
      const args = pattern.childForFieldName('arguments');
      return args !== null && args.namedChildren.some((child) => child !== null && hasAssignee(child));
    }
    case 'struct_expression':
      return true;
    case 'parenthesized_expression':
      return pattern.namedChildren.some((child) => child !== null && hasAssignee(child));
    case 'identifier':
      return pattern.text !== '_';
    default:
      return false;
  }
}

function found(ctx: LintContext, firstLine: number | undefined, codeLine: number): CommentLocation | undefined {
  return firstLine === undefined ? undefined : findSafetyCommentAbove(ctx.lines, firstLine, codeLine);
}

/** A fix that deletes the SAFETY comment: its line and the comment lines that continue it. */
function removeCommentFix(ctx: LintContext, comment: CommentLocation): Fix {
  let last = comment.line;
  const firstText = ctx.lines.lineText(comment.line).trimStart();
  if (firstText.startsWith('/*')) {
    last = ctx.lines.lineOf(blockCommentEnd(ctx.text, ctx.lines.lineStart(comment.line) + comment.column));
  } else {
    while (
      last + 1 < ctx.lines.lineCount &&
      ctx.lines
        .lineText(last + 1)
        .trimStart()
        .startsWith('//')
    )
      last++;
  }
  return {
    title: 'Remove the unnecessary SAFETY comment',
    edits: [{ range: { start: position(comment.line, 0), end: position(last + 1, 0) }, newText: '' }],
  };
}

function finding(ctx: LintContext, node: SyntaxNode, message: string, comment: CommentLocation, fullSpan: boolean): Finding {
  const extent = nodeRange(node);
  // `if c { .. };`: tree-sitter ends a block-like statement at its `}` and makes the `;` an empty
  // statement of its own; rustc's statement takes the `;` in.
  const semicolon = node.type === 'expression_statement' && node.lastChild?.type !== ';' ? node.nextSibling : null;
  if (semicolon?.type === 'empty_statement') extent.end = nodeRange(semicolon).end;
  return {
    rule: 'unnecessary_safety_comment',
    message,
    range: fullSpan ? extent : clippySpan(ctx, extent.start, extent.end),
    fixes: [removeCommentFix(ctx, comment)],
  };
}

/** The statement or tail expression a candidate node stands for, with the expression it evaluates. */
function asStatement(
  node: SyntaxNode,
): { statement: SyntaxNode; expression: SyntaxNode; reported: SyntaxNode; isTail: boolean } | undefined {
  const block = node.parent;
  if (block?.type !== 'block') return undefined;
  if (node.type === 'let_declaration') {
    const value = node.childForFieldName('value');
    return value ? { statement: node, expression: value, reported: node, isTail: false } : undefined;
  }
  const tail = tailExpression(block);
  if (node.type === 'expression_statement') {
    const expression = node.firstNamedChild;
    if (!expression) return undefined;
    const isTail = tail?.id === expression.id;
    return { statement: node, expression, reported: isTail ? expression : node, isTail };
  }
  if (isExpression(node) && tail?.id === node.id) return { statement: node, expression: node, reported: node, isTail: true };
  return undefined;
}

function checkStatementOrTail(ctx: LintContext, node: SyntaxNode): Finding | undefined {
  const parts = asStatement(node);
  // Statements and tail expressions that are macro calls get the macro expansion's span, under which
  // clippy does not look; a `let` keeps its own span whatever its value.
  if (!parts || (parts.expression.type === 'macro_invocation' && parts.statement.type !== 'let_declaration')) {
    return undefined;
  }
  const comment = found(ctx, statementSearchFirstLine(parts.statement), parts.statement.startPosition.row);
  if (!comment) return undefined;
  if (isInsideUnsafeBlock(parts.statement) || containsUnsafeBlock(ctx, parts.expression)) return undefined;
  if (isLintAllowed('unnecessary_safety_comment', parts.statement)) return undefined;
  const message = parts.isTail ? 'expression has unnecessary safety comment' : 'statement has unnecessary safety comment';
  return finding(ctx, parts.reported, message, comment, true);
}

const ITEM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  function_item: 'function',
  struct_item: 'struct',
  enum_item: 'enum',
  union_item: 'union',
  type_item: 'type alias',
  const_item: 'constant',
  static_item: 'static',
  trait_item: 'trait',
  mod_item: 'module',
  use_declaration: 'import',
  extern_crate_declaration: 'extern crate',
  macro_definition: 'macro',
  foreign_mod_item: 'foreign module',
};

function isUnsafeBlockValue(item: SyntaxNode): boolean {
  return item.childForFieldName('value')?.type === 'unsafe_block';
}

/**
 * The message clippy gives for a SAFETY comment above this item, or undefined when it accepts one.
 * (Items inside impls and traits never get here: clippy 1.96 does not look above them, see
 * `itemSearchFirstLine`.)
 */
function itemMessage(item: SyntaxNode): string | undefined {
  if (item.type === 'impl_item') {
    return item.childForFieldName('trait') !== null && !hasUnsafeKeyword(item) ? 'impl' : undefined;
  }
  if ((item.type === 'const_item' || item.type === 'static_item') && isUnsafeBlockValue(item)) return undefined;
  return ITEM_DESCRIPTIONS[item.type];
}

function checkItem(ctx: LintContext, item: SyntaxNode): Finding | undefined {
  const comment = found(ctx, itemSearchFirstLine(item), item.startPosition.row);
  if (!comment) return undefined;
  const description = itemMessage(item);
  if (description === undefined || isLintAllowed('unnecessary_safety_comment', item)) return undefined;
  return finding(ctx, item, `${description} has unnecessary safety comment`, comment, false);
}

/**
 * An item at the top of a used `macro_rules!` arm: clippy checks it in each expansion, searching
 * from the line after `macro_rules!` down to the item, and reports it at the definition.
 */
function checkMacroItem(ctx: LintContext, token: SyntaxNode): Finding | undefined {
  const definition = usedMacroDefinition(ctx, token);
  if (!definition) return undefined;
  if (token.type === 'let') return checkMacroLet(ctx, definition, token);
  if (token.parent?.parent?.type !== 'macro_rule' || itemStartBefore(token).id !== token.id) return undefined;
  const item = readMacroItem(token);
  const description = item && macroItemDescription(item);
  if (!item || !description) return undefined;
  const comment = found(ctx, definition.startPosition.row + 1, token.startPosition.row);
  if (!comment || isLintAllowedAtEveryUse(ctx, 'unnecessary_safety_comment', definition)) return undefined;
  const itemStart = itemStartNode(item.first).startPosition;
  const start = position(itemStart.row, itemStart.column);
  const end = position(item.last.endPosition.row, item.last.endPosition.column);
  return {
    rule: 'unnecessary_safety_comment',
    message: `${description} has unnecessary safety comment`,
    range: clippySpan(ctx, start, end),
    fixes: [removeCommentFix(ctx, comment)],
  };
}

/** Whether tokens hold `unsafe {` outside nested braces (which stand for blocks clippy does not enter). */
function tokensHaveUnsafeBlock(first: SyntaxNode | null, stop: SyntaxNode): boolean {
  for (let token = first; token !== null && token.id !== stop.id; token = token.nextSibling) {
    if (token.type === 'unsafe' && token.nextSibling?.type === 'token_tree') return true;
    if (token.type === 'token_tree' && !token.text.startsWith('{') && tokensHaveUnsafeBlock(token.firstChild, token.lastChild!)) {
      return true;
    }
    // A metavariable may stand for anything, unsafe blocks included.
    if (token.type === 'metavariable' || token.type === 'token_repetition') return true;
  }
  return false;
}

/** `let x = ..;` in a used macro's body: a statement of each expansion, reported at the definition. */
function checkMacroLet(ctx: LintContext, definition: SyntaxNode, token: SyntaxNode): Finding | undefined {
  let semicolon: SyntaxNode | null = token.nextSibling;
  while (semicolon !== null && semicolon.type !== ';') semicolon = semicolon.nextSibling;
  if (semicolon === null || tokensHaveUnsafeBlock(token.nextSibling, semicolon)) return undefined;
  const comment = found(ctx, definition.startPosition.row + 1, token.startPosition.row);
  if (!comment || isLintAllowedAtEveryUse(ctx, 'unnecessary_safety_comment', definition)) return undefined;
  return {
    rule: 'unnecessary_safety_comment',
    message: 'statement has unnecessary safety comment',
    range: {
      start: position(token.startPosition.row, token.startPosition.column),
      end: position(semicolon.endPosition.row, semicolon.endPosition.column),
    },
    fixes: [removeCommentFix(ctx, comment)],
  };
}

export function checkUnnecessarySafetyComments(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<number>();
  for (const line of linesBelowSafetyComments(ctx)) {
    for (const node of codeStartingOn(ctx, line)) {
      ctx.budget.check();
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      if (node.parent?.type === 'token_tree') {
        const result = checkMacroItem(ctx, node);
        if (result) findings.push(result);
        continue;
      }
      const result = isItem(node) ? checkItem(ctx, node) : checkStatementOrTail(ctx, node);
      if (result) findings.push(result);
    }
  }
  return findings;
}
