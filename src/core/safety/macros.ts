// What the SAFETY rules need to know about macros without expanding them: which macros of the file
// are used, and which ones hand an argument back as the caller's expression (`vec![..]`, or a local
// `macro_rules! id { ($e:expr) => { $e } }`), so that rustc's HIR sees the caller's code directly.
import type { SyntaxNode } from '../parse/navTree';
import type { LintContext } from './context';
import { isLintAllowed } from './lintLevels';
import type { RuleName } from './rules';

/** Standard macros whose arguments stay plain expressions of the caller (no block in between). */
const STD_EXPRESSION_MACROS: ReadonlySet<string> = new Set(['vec']);

/**
 * Macros that turn their arguments into tokens or text for later, never into code of the crate that
 * holds them: std's `stringify!`, the `quote` crate's `quote!`/`quote_spanned!` (the kernel's
 * proc-macro crates use them, and 6.x's rust/macros/quote.rs has its own of both) and syn's
 * `parse_quote!`/`parse_quote_spanned!`. An `unsafe { .. }` written there is no block to clippy: not
 * in this crate, and where a proc macro emits it, its span comes from that macro's expansion, which
 * clippy's SAFETY lints skip as external.
 */
const TOKEN_QUOTING_MACROS: ReadonlySet<string> = new Set(['stringify', 'quote', 'quote_spanned', 'parse_quote', 'parse_quote_spanned']);

/**
 * Whether `token` lies in the arguments of a token-quoting macro, at any depth: a macro call node, or
 * inside token trees (a `macro_rules!` body, another macro's arguments) the tokens `quote ! {..}`.
 */
export function isInQuotedTokens(token: SyntaxNode): boolean {
  for (let node = token.parent; node !== null; node = node.parent) {
    if (node.type === 'macro_invocation') return TOKEN_QUOTING_MACROS.has(macroName(node));
    if (node.type !== 'token_tree' && node.type !== 'token_repetition') return false;
    const bang = node.previousSibling;
    if (bang?.type === '!' && TOKEN_QUOTING_MACROS.has(bang.previousSibling?.text ?? '')) return true;
  }
  return false;
}

/** What the macro definitions of one region contribute to the file's macro facts. */
export interface MacroSummary {
  /** Local `macro_rules!` whose every arm expands to one of its metavariables. */
  passThrough: string[];
  /** Local `macro_rules!` with an arm whose expansion holds an unsafe block outside nested braces. */
  unsafeExpansion: string[];
}

/**
 * The file's macros: the names of local macros of each kind, known from every region's summary,
 * and the calls of a macro, found the first time a rule asks for them.
 */
export class FileMacros {
  private readonly invocations = new Map<string, SyntaxNode[]>();
  readonly passThrough: ReadonlySet<string>;
  readonly unsafeExpansion: ReadonlySet<string>;

  constructor(
    private readonly root: SyntaxNode,
    private readonly text: string,
    summaries: MacroSummary[],
  ) {
    this.passThrough = new Set(summaries.flatMap((summary) => summary.passThrough));
    this.unsafeExpansion = new Set(summaries.flatMap((summary) => summary.unsafeExpansion));
  }

  private words: Map<string, number[]> | undefined;

  private wordOffsets(): Map<string, number[]> {
    return (this.words ??= wordsOf(this.text));
  }

  /** A key that changes whenever the names change: cached findings of every region depend on them. */
  get key(): string {
    return `${[...this.passThrough].sort().join(',')};${[...this.unsafeExpansion].sort().join(',')}`;
  }

  /**
   * The invocations whose macro path ends in `name`, in source order. Found from the text, which
   * is much cheaper than walking the whole tree: the path of each such call ends in the word `name`.
   */
  invocationsOf(name: string): SyntaxNode[] {
    let calls = this.invocations.get(name);
    if (calls) return calls;
    calls = [];
    for (const at of this.wordOffsets().get(name) ?? []) {
      const invocation = invocationNamedAt(this.root, at, at + name.length);
      if (invocation && macroName(invocation) === name && calls.at(-1)?.id !== invocation.id) calls.push(invocation);
    }
    this.invocations.set(name, calls);
    return calls;
  }
}

/** Where each word (a run of [A-Za-z0-9_]) occurs: one pass over the text for all macro names. */
function wordsOf(text: string): Map<string, number[]> {
  const words = new Map<string, number[]>();
  const pattern = /[A-Za-z0-9_]+/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const offsets = words.get(match[0]);
    if (offsets) offsets.push(match.index);
    else words.set(match[0], [match.index]);
  }
  return words;
}

/** The macro invocation whose path holds the identifier at [start, end), if any. */
function invocationNamedAt(root: SyntaxNode, start: number, end: number): SyntaxNode | undefined {
  let node: SyntaxNode | null = root.descendantForIndex(start, end - 1);
  while (node !== null && (node.type === 'identifier' || node.type === 'scoped_identifier')) node = node.parent;
  return node?.type === 'macro_invocation' ? node : undefined;
}

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

export function summarizeMacros(definitions: SyntaxNode[]): MacroSummary {
  const summary: MacroSummary = { passThrough: [], unsafeExpansion: [] };
  for (const definition of definitions) {
    const name = macroRulesName(definition);
    if (!name) continue;
    const rules = definition.namedChildren.filter((child) => child?.type === 'macro_rule');
    if (rules.length > 0 && rules.every((rule) => rule !== null && isPassThroughRule(rule))) summary.passThrough.push(name);
    if (rules.some((rule) => rule !== null && hasTopLevelUnsafeBlock(rule))) summary.unsafeExpansion.push(name);
  }
  return summary;
}

/**
 * The calls of a `macro_rules!` macro: calls by its name that follow the definition in the same
 * module or block (macro_rules scoping is textual), the nested modules included.
 */
export function usesOf(ctx: LintContext, definition: SyntaxNode): SyntaxNode[] {
  const name = macroRulesName(definition);
  const scope = definition.parent;
  if (!name || !scope) return [];
  // The calls may sit anywhere in the file: what this region finds now depends on other regions.
  ctx.readsOutsideRegion = true;
  // Asked once for each unsafe token of the macro's body: remembered per definition.
  let uses = usesOfDefinition.get(definition);
  if (!uses) {
    uses = ctx.macros.invocationsOf(name).filter((call) => call.startIndex >= definition.endIndex && call.endIndex <= scope.endIndex);
    usesOfDefinition.set(definition, uses);
  }
  return uses;
}

const usesOfDefinition = new WeakMap<SyntaxNode, SyntaxNode[]>();

/** Whether the macro's arguments reach the caller's expression without a block around them. */
export function isExpressionMacro(ctx: LintContext, invocation: SyntaxNode): boolean {
  const name = macroName(invocation);
  return STD_EXPRESSION_MACROS.has(name) || ctx.macros.passThrough.has(name);
}

/**
 * Whether the code a macro call expands to holds an unsafe block that clippy's statement check
 * reaches: one passed through as an argument, or one in the expansion of a local macro's arm.
 */
export function macroExpandsToUnsafeBlock(ctx: LintContext, invocation: SyntaxNode): boolean {
  const name = macroName(invocation);
  if (ctx.macros.unsafeExpansion.has(name)) return true;
  return isExpressionMacro(ctx, invocation) && /\bunsafe\b/.test(invocation.text);
}

/**
 * Whether a lint is allowed for code a `macro_rules!` expands to: rustc takes the lint level at each
 * expansion site, so the attributes around the calls decide, not those on the definition.
 */
export function isLintAllowedAtEveryUse(ctx: LintContext, rule: RuleName, definition: SyntaxNode): boolean {
  const uses = usesOf(ctx, definition);
  let known = allowedAtEveryUse.get(definition);
  if (!known) allowedAtEveryUse.set(definition, (known = new Map()));
  let allowed = known.get(rule);
  if (allowed === undefined) {
    allowed = uses.length > 0 && uses.every((use) => isLintAllowed(rule, use));
    known.set(rule, allowed);
  }
  return allowed;
}

const allowedAtEveryUse = new WeakMap<SyntaxNode, Map<RuleName, boolean>>();
