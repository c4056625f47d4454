// unnecessary_safety_comment: a SAFETY comment above a statement, tail expression or item that holds
// no unsafe block. Clippy asks, for every statement and item, whether a SAFETY comment sits above it;
// here the search runs the other way, from each SAFETY comment to the code below it, and then applies
// clippy's own test to that code, so that files without such comments cost nothing.
import type { SyntaxNode } from '../parse/rustParser';
import { blockCommentEnd, findSafetyCommentAbove, type CommentLocation } from './commentScan';
import { clippySpan, nodeRange, position, type LintContext } from './context';
import type { Finding, Fix } from './findings';
import { isLintAllowed } from './lintLevels';
import { itemSearchFirstLine, statementSearchFirstLine } from './placement';
import {
  hasUnsafeKeyword,
  isExpression,
  isInsideUnsafeBlock,
  isItem,
  tailExpression,
} from './syntax';

/** Macros whose arguments end up in the caller's expression, not inside a block of their own. */
const EXPRESSION_MACROS: ReadonlySet<string> = new Set(['vec']);

/**
 * Lines right below each SAFETY comment (blank lines, comment lines and attributes skipped): the only
 * lines where code can carry one. A superset: clippy's own test then decides for the code there.
 */
function linesBelowSafetyComments(ctx: LintContext): Set<number> {
  const targets = new Set<number>();
  const pattern = /safety:/gi;
  for (let match = pattern.exec(ctx.text); match !== null; match = pattern.exec(ctx.text)) {
    let last = ctx.lines.lineOf(match.index);
    const opening = ctx.text.lastIndexOf('/*', match.index);
    if (opening !== -1 && ctx.lines.lineOf(opening) <= last) {
      last = Math.max(last, ctx.lines.lineOf(blockCommentEnd(ctx.text, opening)));
    }
    for (let next = last + 1; next < ctx.lines.lineCount; next++) {
      const text = ctx.lines.lineText(next).trimStart();
      if (text === '' || text.startsWith('//') || (text.startsWith('#') && text.trimEnd().endsWith(']'))) continue;
      targets.add(next);
      break;
    }
  }
  return targets;
}

/** Statements, tail expressions and items that start on a line (their attributes included). */
function codeStartingOn(ctx: LintContext, line: number): SyntaxNode[] {
  const text = ctx.lines.lineText(line);
  const column = text.length - text.trimStart().length;
  let node: SyntaxNode | null = ctx.root.descendantForPosition({ row: line, column });
  const found: SyntaxNode[] = [];
  for (; node !== null && node.startPosition.row === line; node = node.parent) {
    if (node.type === 'attribute_item') {
      let attributed = node.nextNamedSibling;
      while (attributed && (attributed.type === 'attribute_item' || attributed.type.endsWith('comment'))) {
        attributed = attributed.nextNamedSibling;
      }
      if (attributed) found.push(attributed);
      break;
    }
    found.push(node);
  }
  return found;
}

/**
 * Whether an unsafe block is reachable in an expression without entering a nested block expression
 * (clippy's `expr_has_unnecessary_safety_comment`). A `loop` body is no block expression in rustc's
 * HIR, so it is searched; the bodies of `if`, `while`, `for`, `match` arms and closures are not.
 */
function containsUnsafeBlock(node: SyntaxNode): boolean {
  if (node.type === 'unsafe_block') return true;
  if (node.type === 'loop_expression') {
    const body = node.childForFieldName('body');
    return body !== null && body.namedChildren.some((child) => child !== null && containsUnsafeBlock(child));
  }
  if (node.type === 'block' || isItem(node)) return false;
  if (node.type === 'macro_invocation') {
    const name = node.namedChildren[0]?.text ?? '';
    if (!EXPRESSION_MACROS.has(name)) return false;
    return node.text.includes('unsafe');
  }
  for (const child of node.namedChildren) if (child && containsUnsafeBlock(child)) return true;
  return false;
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
    while (last + 1 < ctx.lines.lineCount && ctx.lines.lineText(last + 1).trimStart().startsWith('//')) last++;
  }
  return {
    title: 'Remove the unnecessary SAFETY comment',
    edits: [{ range: { start: position(comment.line, 0), end: position(last + 1, 0) }, newText: '' }],
  };
}

function finding(
  ctx: LintContext,
  node: SyntaxNode,
  message: string,
  comment: CommentLocation,
  fullSpan: boolean,
): Finding {
  const extent = nodeRange(node);
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
  // Statements that are macro calls are expanded by rustc; clippy does not judge them.
  if (!parts || parts.expression.type === 'macro_invocation') return undefined;
  const comment = found(ctx, statementSearchFirstLine(parts.statement), parts.statement.startPosition.row);
  if (!comment) return undefined;
  if (isInsideUnsafeBlock(parts.statement) || containsUnsafeBlock(parts.expression)) return undefined;
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

function isInImpl(item: SyntaxNode): boolean {
  return item.parent?.type === 'declaration_list' && item.parent.parent?.type === 'impl_item';
}

function hasSelfParameter(fn: SyntaxNode): boolean {
  return fn.childForFieldName('parameters')?.namedChildren.some((p) => p?.type === 'self_parameter') ?? false;
}

function isUnsafeBlockValue(item: SyntaxNode): boolean {
  return item.childForFieldName('value')?.type === 'unsafe_block';
}

/** The message clippy gives for a SAFETY comment above this item, or undefined when it accepts one. */
function itemMessage(item: SyntaxNode): string | undefined {
  if (isInImpl(item)) {
    if (item.type === 'const_item') return isUnsafeBlockValue(item) ? undefined : 'associated constant';
    if (item.type === 'function_item') {
      if (hasUnsafeKeyword(item)) return undefined;
      return hasSelfParameter(item) ? 'method' : 'associated function';
    }
    return undefined;
  }
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

export function checkUnnecessarySafetyComments(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<number>();
  for (const line of linesBelowSafetyComments(ctx)) {
    for (const node of codeStartingOn(ctx, line)) {
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      const result = isItem(node) ? checkItem(ctx, node) : checkStatementOrTail(ctx, node);
      if (result) findings.push(result);
    }
  }
  return findings;
}
