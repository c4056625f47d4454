// Items written inside a `macro_rules!` body. tree-sitter sees them only as tokens, but rustc checks
// them in every expansion with spans in the macro definition, so clippy reports them there. This reads
// the common shapes (`pub unsafe fn $name(..) {..}`, `struct $t;`, `impl Trait for $t {..}`) from the
// token sequence of a macro arm; anything fancier is left alone.
import type { SyntaxNode } from '../parse/navTree';
import type { LintContext } from './context';
import { isOuterDocComment } from './docComments';
import { isInQuotedTokens, usesOf } from './macros';

export interface MacroItem {
  /** First token of the item (after its attributes): `pub`, `unsafe`, `fn`... */
  first: SyntaxNode;
  /** The token that names the kind: `fn`, `struct`, `impl`, `macro_rules`... */
  keyword: SyntaxNode;
  isUnsafe: boolean;
  /** Last token of the item: its `;` or its `{..}` body. */
  last: SyntaxNode;
  /** The `{..}` body, if the item ends with one. */
  body: SyntaxNode | undefined;
}

const MODIFIERS: ReadonlySet<string> = new Set(['const', 'async', 'unsafe', 'extern', 'default']);
const KINDS: Readonly<Record<string, string>> = {
  fn: 'function',
  struct: 'struct',
  enum: 'enum',
  union: 'union',
  trait: 'trait',
  type: 'type alias',
  mod: 'module',
  use: 'import',
  static: 'static',
  const: 'constant',
  impl: 'impl',
  macro_rules: 'macro',
};

/**
 * The `macro_rules!` definition a node sits in, if that macro is used in the file. Not for tokens
 * quoted inside the body (`quote! { .. }`): they are never code of the expansion.
 */
export function usedMacroDefinition(ctx: LintContext, node: SyntaxNode): SyntaxNode | undefined {
  if (isInQuotedTokens(node)) return undefined;
  for (let parent = node.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'macro_definition') {
      return usesOf(ctx, parent).length > 0 ? parent : undefined;
    }
    if (parent.type !== 'token_tree' && parent.type !== 'macro_rule' && parent.type !== 'token_repetition') return undefined;
  }
  return undefined;
}

function isBraceTree(node: SyntaxNode | null): boolean {
  return node?.type === 'token_tree' && node.text.startsWith('{');
}

/** `$(#[$m])*`: a repetition of attributes, which belong to the item without being its start. */
function isAttributeRepetition(node: SyntaxNode): boolean {
  return node.type === 'token_repetition' && node.child(2)?.type === '#';
}

/**
 * A metavariable or repetition before an item's keyword, standing for its visibility or modifiers
 * (`$vis fn`, `$($qualifiers)* fn`): part of the item, which starts there.
 */
function isPrefixSubstitution(node: SyntaxNode): boolean {
  return node.type === 'metavariable' || (node.type === 'token_repetition' && !isAttributeRepetition(node));
}

/** `#[..]` or `#![..]` ending at `tree`, or undefined: the `#` that starts it. */
function attributeStart(tree: SyntaxNode): SyntaxNode | undefined {
  if (tree.type !== 'token_tree' || !tree.text.startsWith('[')) return undefined;
  let before = tree.previousSibling;
  if (before?.type === '!') before = before.previousSibling;
  return before?.type === '#' ? before : undefined;
}

/**
 * Whether an item can start at `first`: the tokens before it, past comments and attributes, end a
 * statement or item (`;`, a `{..}` body) or open the enclosing token tree. Elsewhere `fn` and
 * `unsafe fn` are function pointer types (`impl Trait for $($prefix)* fn($arg) -> $ret {}`,
 * `type F = unsafe fn();`), not items.
 */
function followsItemBoundary(first: SyntaxNode): boolean {
  let token = first.previousSibling;
  for (;;) {
    if (token === null) return true;
    if (token.type === 'line_comment' || token.type === 'block_comment' || isAttributeRepetition(token)) {
      token = token.previousSibling;
      continue;
    }
    const attribute = attributeStart(token);
    if (attribute) {
      token = attribute.previousSibling;
      continue;
    }
    return token.type === ';' || isBraceTree(token) || token.type === '{' || token.type === '(' || token.type === '[';
  }
}

/** Where clippy puts the start of an item whose first token is `first`: inside a leading `$( .. )*`. */
export function itemStartNode(first: SyntaxNode): SyntaxNode {
  return first.type === 'token_repetition' ? (first.child(2) ?? first) : first;
}

/**
 * Reads an item whose first token is `first`, or undefined when the tokens are no item (or stand
 * where no item can start).
 */
export function readMacroItem(first: SyntaxNode): MacroItem | undefined {
  if (!followsItemBoundary(first)) return undefined;
  let token: SyntaxNode | null = first;
  while (token !== null && isPrefixSubstitution(token)) token = token.nextSibling;
  if (token?.text === 'pub') {
    token = token.nextSibling;
    if (token?.type === 'token_tree' && token.text.startsWith('(')) token = token.nextSibling;
  }
  let isUnsafe = false;
  while (token !== null && (MODIFIERS.has(token.text) || isPrefixSubstitution(token))) {
    const next: SyntaxNode | null = token.nextSibling;
    if (token.text === 'const' && !(next && (MODIFIERS.has(next.text) || next.text === 'fn'))) break;
    if (token.text === 'extern' && next?.text === 'crate') {
      return itemEnding(first, token, false, 'extern crate');
    }
    if (token.text === 'unsafe') isUnsafe = true;
    token = next?.type === 'string_literal' && token.text === 'extern' ? next.nextSibling : next;
  }
  if (token === null || KINDS[token.text] === undefined) return undefined;
  if (token.text === 'macro_rules' && token.nextSibling?.text !== '!') return undefined;
  return itemEnding(first, token, isUnsafe, token.text);
}

function itemEnding(first: SyntaxNode, keyword: SyntaxNode, isUnsafe: boolean, kind: string): MacroItem | undefined {
  for (let token = keyword.nextSibling; token !== null; token = token.nextSibling) {
    if (token.type === ';') return { first, keyword, isUnsafe, last: token, body: undefined };
    // `struct S { .. }`, `fn f() { .. }`, `impl X { .. }`; but `const C: T = unsafe { .. };` ends at `;`.
    if (isBraceTree(token) && kind !== 'const' && kind !== 'static' && kind !== 'type' && kind !== 'extern crate') {
      return { first, keyword, isUnsafe, last: token, body: token };
    }
  }
  return undefined;
}

/** The description clippy gives a SAFETY comment above the item, or undefined when it is accepted. */
export function macroItemDescription(item: MacroItem): string | undefined {
  const kind = item.keyword.text;
  if (kind === 'extern' || item.keyword.nextSibling?.text === 'crate') return 'extern crate';
  if (kind === 'impl') {
    if (item.isUnsafe) return undefined;
    for (let token = item.keyword.nextSibling; token !== null && token.id !== item.last.id; token = token.nextSibling) {
      if (token.text === 'for') return 'impl';
    }
    return undefined;
  }
  if (kind === 'const' || kind === 'static') {
    // Accepted when the value is exactly an unsafe block: `= unsafe { .. };`.
    const semicolon = item.last;
    const block = semicolon.previousSibling;
    const keyword = block?.previousSibling;
    if (isBraceTree(block) && keyword?.text === 'unsafe' && keyword.previousSibling?.text === '=') return undefined;
  }
  return KINDS[kind];
}

/** Whether the item sits in the braces of a trait impl (`impl X for Y { .. }`) of the macro body. */
export function isInTraitImpl(item: MacroItem): boolean {
  const tree = item.first.parent;
  if (!tree || tree.parent?.type !== 'token_tree') return false;
  let sawFor = false;
  for (let token = tree.previousSibling; token !== null; token = token.previousSibling) {
    if (token.text === 'for') sawFor = true;
    if (token.text === 'impl') return sawFor;
    if (token.type === ';' || isBraceTree(token)) return false;
  }
  return false;
}

/** Whether the item sits directly in a macro arm or in the braces of an impl or trait there. */
export function isAtItemLevel(item: MacroItem): boolean {
  const tree = item.first.parent;
  if (tree?.parent?.type === 'macro_rule') return true;
  if (tree?.type !== 'token_tree' || tree.parent?.type !== 'token_tree') return false;
  for (let token = tree.previousSibling; token !== null; token = token.previousSibling) {
    if (token.text === 'impl' || token.text === 'trait' || token.text === 'mod') return true;
    if (token.type === ';' || isBraceTree(token)) return false;
  }
  return false;
}

/**
 * The first token of the item that `token` belongs to, walking back over its modifiers and the
 * metavariables that stand for them.
 */
export function itemStartBefore(token: SyntaxNode): SyntaxNode {
  let first = token;
  for (let previous = token.previousSibling; previous !== null; previous = previous.previousSibling) {
    if (MODIFIERS.has(previous.text) || previous.text === 'pub' || previous.type === 'string_literal' || isPrefixSubstitution(previous)) {
      first = previous;
    } else if (previous.type === 'token_tree' && previous.text.startsWith('(') && previous.previousSibling?.text === 'pub') {
      first = previous;
    } else {
      break;
    }
  }
  return first;
}

/**
 * The doc nodes written before a macro item (doc comments and `#[doc = ..]` token trees), or
 * undefined when they cannot be known: attributes passed in through metavariables (`$(#[$m])*`), or
 * `#[doc(hidden)]`, which exempts the item.
 */
export function macroItemDocs(item: MacroItem): SyntaxNode[] | undefined {
  const docs: SyntaxNode[] = [];
  for (let token = item.first.previousSibling; token !== null; token = token.previousSibling) {
    if (token.type === 'line_comment' || token.type === 'block_comment') {
      if (isOuterDocComment(token)) docs.unshift(token);
      continue;
    }
    if (token.type === 'token_tree' && token.text.startsWith('[') && token.previousSibling?.text === '#') {
      const inner = token.text.slice(1, -1).trim();
      if (inner.includes('$')) return undefined;
      if (/^doc\s*\(\s*hidden\s*\)$/.test(inner)) return undefined;
      if (/^doc\b/.test(inner)) docs.unshift(token);
      token = token.previousSibling;
      continue;
    }
    if (token.type === 'token_repetition' || token.type === 'metavariable') return undefined;
    break;
  }
  return docs;
}
