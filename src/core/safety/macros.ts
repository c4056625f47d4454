// What the SAFETY rules need to know about macros without expanding them: which macros of the file
// are used, and which ones hand an argument back as the caller's expression (`vec![..]`, or a local
// `macro_rules! id { ($e:expr) => { $e } }`), so that rustc's HIR sees the caller's code directly.
import type { SyntaxNode } from '../parse/rustParser';
import type { LintContext } from './context';
import { isLintAllowed } from './lintLevels';
import type { RuleName } from './rules';

/** Standard macros whose arguments stay plain expressions of the caller (no block in between). */
const STD_EXPRESSION_MACROS: ReadonlySet<string> = new Set(['vec']);

interface MacroIndex {
  /** Invocations by the macro's last path segment. */
  invocations: Map<string, SyntaxNode[]>;
  /** Local `macro_rules!` whose every arm expands to one of its metavariables. */
  passThrough: Set<string>;
  /** Local `macro_rules!` with an arm whose expansion holds an unsafe block outside nested braces. */
  unsafeExpansion: Set<string>;
}

const indexes = new WeakMap<LintContext, MacroIndex>();

export function macroName(invocation: SyntaxNode): string {
  const name = invocation.childForFieldName('macro') ?? invocation.namedChildren[0];
  const text = name?.text ?? '';
  return text.slice(text.lastIndexOf(':') + 1);
}

export function macroRulesName(definition: SyntaxNode): string | undefined {
  return definition.namedChildren.find((child) => child?.type === 'identifier')?.text;
}

/** `($e:expr) => { $e }`: the arm's expansion is a single metavariable. */
function isPassThroughRule(rule: SyntaxNode): boolean {
  const body = rule.lastNamedChild;
  if (body?.type !== 'token_tree') return false;
  const inner = body.namedChildren.filter((child) => child !== null && !child.type.endsWith('comment'));
  return inner.length === 1 && inner[0]!.type === 'metavariable' && body.childCount === 3;
}

/** `() => { unsafe { .. } }`: an unsafe block among the arm's top-level tokens. */
function hasTopLevelUnsafeBlock(rule: SyntaxNode): boolean {
  const body = rule.lastNamedChild;
  if (body?.type !== 'token_tree') return false;
  for (let child = body.firstChild; child !== null; child = child.nextSibling) {
    if (child.type === 'unsafe' && child.nextSibling?.type === 'token_tree' && child.nextSibling.text.startsWith('{')) {
      return true;
    }
  }
  return false;
}

function buildIndex(ctx: LintContext): MacroIndex {
  const invocations = new Map<string, SyntaxNode[]>();
  {
    for (const invocation of ctx.index.macroInvocations) {
      const key = macroName(invocation);
      const list = invocations.get(key);
      if (list) list.push(invocation);
      else invocations.set(key, [invocation]);
    }
  }
  const passThrough = new Set<string>();
  const unsafeExpansion = new Set<string>();
  {
    for (const definition of ctx.index.macroDefinitions) {
      const name = macroRulesName(definition);
      if (!name) continue;
      const rules = definition.namedChildren.filter((child) => child?.type === 'macro_rule');
      if (rules.length > 0 && rules.every((rule) => rule !== null && isPassThroughRule(rule))) passThrough.add(name);
      if (rules.some((rule) => rule !== null && hasTopLevelUnsafeBlock(rule))) unsafeExpansion.add(name);
    }
  }
  return { invocations, passThrough, unsafeExpansion };
}

function macroIndex(ctx: LintContext): MacroIndex {
  let index = indexes.get(ctx);
  if (!index) {
    index = buildIndex(ctx);
    indexes.set(ctx, index);
  }
  return index;
}

/**
 * The calls of a `macro_rules!` macro: calls by its name that follow the definition in the same
 * module or block (macro_rules scoping is textual), the nested modules included.
 */
export function usesOf(ctx: LintContext, definition: SyntaxNode): SyntaxNode[] {
  const name = macroRulesName(definition);
  const scope = definition.parent;
  if (!name || !scope) return [];
  const calls = macroIndex(ctx).invocations.get(name) ?? [];
  return calls.filter((call) => call.startIndex >= definition.endIndex && call.endIndex <= scope.endIndex);
}

/** Whether the macro's arguments reach the caller's expression without a block around them. */
export function isExpressionMacro(ctx: LintContext, invocation: SyntaxNode): boolean {
  const name = macroName(invocation);
  return STD_EXPRESSION_MACROS.has(name) || macroIndex(ctx).passThrough.has(name);
}

/**
 * Whether the code a macro call expands to holds an unsafe block that clippy's statement check
 * reaches: one passed through as an argument, or one in the expansion of a local macro's arm.
 */
export function macroExpandsToUnsafeBlock(ctx: LintContext, invocation: SyntaxNode): boolean {
  const name = macroName(invocation);
  if (macroIndex(ctx).unsafeExpansion.has(name)) return true;
  return isExpressionMacro(ctx, invocation) && /\bunsafe\b/.test(invocation.text);
}

/**
 * Whether a lint is allowed for code a `macro_rules!` expands to: rustc takes the lint level at each
 * expansion site, so the attributes around the calls decide, not those on the definition.
 */
export function isLintAllowedAtEveryUse(ctx: LintContext, rule: RuleName, definition: SyntaxNode): boolean {
  const uses = usesOf(ctx, definition);
  return uses.length > 0 && uses.every((use) => isLintAllowed(rule, use));
}
