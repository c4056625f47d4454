// Applies a file's SiteVerdict (treeSites.ts) to its findings: nothing in a file the build does not
// compile; a lint allowed on the chain of items that declare or include the file is dropped unless
// an attribute inside the file sets its level again (a `#![warn(...)]` at its top, a `#[warn]` on
// an item), as rustc resolves levels from the innermost attribute outwards.
import { LineIndex } from '../parse/lineIndex';
import { NavTree } from '../parse/navTree';
import type { Tree } from '../parse/rustParser';
import type { Finding } from './findings';
import { declaredLevel } from './lintLevels';
import { RULE_NAMES, RULES } from './rules';
import type { SiteVerdict } from './treeSites';

/** The rules of clippy's lints: a file where the kernel allows all of them needs no lint at all. */
const CLIPPY_RULES = RULE_NAMES.filter((rule) => RULES[rule].clippy);

/** An attribute that may set a level again inside the file. */
const RAISES_LEVEL = /#!?\[\s*(?:warn|deny|forbid)\s*\(/;

/**
 * Whether the file needs no lint at all: not compiled, or every clippy lint allowed from outside and
 * nothing inside that could turn one back on (the generated bindings: skipping them saves parsing
 * megabytes on every lint).
 */
export function skipsFile(verdict: SiteVerdict, text: string): boolean {
  if (!verdict.compiled) return true;
  return CLIPPY_RULES.every((rule) => verdict.levels[rule] === 'allow') && !RAISES_LEVEL.test(text);
}

/** The findings that remain under the verdict; `tree` and `text` are those the findings came from. */
export function findingsUnderSite(findings: Finding[], verdict: SiteVerdict, tree: Tree, text: string): Finding[] {
  if (!verdict.compiled) return [];
  if (!findings.some((finding) => verdict.levels[finding.rule] === 'allow')) return findings;
  const root = new NavTree(tree).root;
  const lines = new LineIndex(text);
  return findings.filter((finding) => {
    if (verdict.levels[finding.rule] !== 'allow') return true;
    // The rule climbed from its own node, which may differ from the node at the finding's start;
    // for the attributes that matter here (on items and modules around it) both climbs agree.
    const offset = lines.lineStart(finding.range.start.line) + finding.range.start.character;
    return declaredLevel(finding.rule, root.descendantForIndex(offset)) === 'enable';
  });
}
