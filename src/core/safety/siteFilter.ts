// Applies a file's SiteVerdict (treeSites.ts) to its findings: nothing in a file the build does not
// compile; a lint allowed on the chain of items that declare or include the file is dropped unless
// an attribute inside the file sets its level again (a `#![warn(...)]` at its top, a `#[warn]` on
// an item), as rustc resolves levels from the innermost attribute outwards.
import { LineIndex } from '../parse/lineIndex';
import { NavTree, type SyntaxNode } from '../parse/navTree';
import type { Tree } from '../parse/rustParser';
import type { Finding } from './findings';
import { declaredLevel } from './lintLevels';
import { RULE_NAMES, RULES, type RuleName } from './rules';
import { ITEM_TYPES } from './syntax';
import type { SiteVerdict } from './treeSites';

/** The rules of clippy's lints: a file where the kernel allows all of them needs no lint at all. */
const CLIPPY_RULES = RULE_NAMES.filter((rule) => RULES[rule].clippy);

/**
 * Text without which a rule cannot fire: an `unsafe` to document, or a SAFETY comment or `# Safety`
 * section (any case) to judge. Conservative: the word anywhere, comments and strings included.
 */
const NEEDS: Readonly<Partial<Record<RuleName, RegExp>>> = {
  undocumented_unsafe_blocks: /\bunsafe\b/,
  missing_safety_doc: /\bunsafe\b/,
  unnecessary_safety_comment: /safety/i,
  unnecessary_safety_doc: /safety/i,
};

/** An attribute that may set a level again inside the file. */
const RAISES_LEVEL = /#!?\[\s*(?:warn|deny|forbid)\s*\(/;

/**
 * Whether the file needs no lint at all: not compiled, in a crate kbuild builds without clippy, or
 * (a file declared or included by another) every clippy lint allowed from outside
 * (with nothing inside that could turn one back on) or unable to fire on this text. The generated
 * bindings are the case in point: `unsafe` everywhere under an allow, and no SAFETY text, so
 * megabytes are not parsed on every lint. `text`: the file's text, or how to read it when needed.
 */
export function skipsFile(verdict: SiteVerdict, text: string | (() => string)): boolean {
  if (!verdict.compiled || !verdict.clippyRuns) return true;
  // A crate root is always linted: it may hold `module!`, which the editor checks with the same lint.
  if (verdict.chain.length === 0) return false;
  const source = typeof text === 'string' ? text : text();
  const allowed = !RAISES_LEVEL.test(source);
  return CLIPPY_RULES.every((rule) => (allowed && verdict.levels[rule] === 'allow') || NEEDS[rule]?.test(source) === false);
}

/** The doc lints that clippy's `check-private-items` extends to items that are not exported. */
const DOC_RULES: ReadonlySet<RuleName> = new Set(['missing_safety_doc', 'unnecessary_safety_doc']);

/** The unsafe fn or trait a doc finding is about, and whether it is plainly `pub`. */
function isPlainPub(node: SyntaxNode): boolean {
  let item: SyntaxNode | null = node;
  while (item && !ITEM_TYPES.has(item.type)) item = item.parent;
  return item?.namedChildren.some((child) => child.type === 'visibility_modifier' && child.text === 'pub') ?? true;
}

/** The findings that remain under the verdict; `tree` and `text` are those the findings came from. */
export function findingsUnderSite(findings: Finding[], verdict: SiteVerdict, tree: Tree, text: string): Finding[] {
  if (!verdict.compiled || !verdict.clippyRuns) return [];
  const privateDocs = !verdict.checkPrivateItems && findings.some((finding) => DOC_RULES.has(finding.rule));
  if (!privateDocs && !findings.some((finding) => verdict.levels[finding.rule] === 'allow')) return findings;
  const root = new NavTree(tree).root;
  const lines = new LineIndex(text);
  return findings.filter((finding) => {
    const offset = lines.lineStart(finding.range.start.line) + finding.range.start.character;
    const node = root.descendantForIndex(offset);
    // Without `check-private-items` (6.1 has no .clippy.toml) clippy's doc lints look at exported
    // items only; a plain `pub` stands for "exported" (a `pub` item of a private module is not).
    if (!verdict.checkPrivateItems && DOC_RULES.has(finding.rule) && !isPlainPub(node)) return false;
    if (verdict.levels[finding.rule] !== 'allow') return true;
    // The rule climbed from its own node, which may differ from the node at the finding's start;
    // for the attributes that matter here (on items and modules around it) both climbs agree.
    return declaredLevel(finding.rule, node) === 'enable';
  });
}
