// Entry point of the SAFETY analysis: one syntax tree in, findings out, sorted by position.
// The file is linted region by region (regions.ts); given the cache of the document's previous lint,
// regions whose lines are unchanged reuse their findings, moved to where the region now starts.
import { LineIndex } from '../parse/lineIndex';
import { LintBudget, lintTimeLimitMs } from './limits';
import type { CfgSet } from './kernelCfg';
import { compiledFindings } from './cfgFilter';
import { NavTree, type SyntaxNode } from '../parse/navTree';
import type { Tree } from '../parse/rustParser';
import { checkSafetyCommentText } from './commentStyle';
import { indexRegion, TextMatches, type LintContext, type SyntaxIndex } from './context';
import type { Finding } from './findings';
import { FileMacros, summarizeMacros, type MacroSummary } from './macros';
import { fileKey, isCacheable, LintCache, mayBeCached, regionKey, shiftFindings, type CachedRegion } from './regionCache';
import { splitRegions, type Region } from './regions';
import { checkSafetyDocs } from './safetyDocs';
import { TrackedLines } from './trackedLines';
import { checkUndocumentedUnsafe } from './undocumentedUnsafe';
import { checkUnnecessarySafetyComments } from './unnecessaryComment';

export { LintCache };

/** A region of this lint: reused from the cache, or to be linted with its index. */
interface Plan {
  region: Region;
  key: string | undefined;
  cached: CachedRegion | undefined;
  index: SyntaxIndex | undefined;
  macros: MacroSummary;
}

function planRegion(root: SyntaxNode, region: Region, lines: LineIndex, cache: LintCache | undefined, budget: LintBudget): Plan {
  const key = cache && mayBeCached(region, root) ? regionKey(region, lines) : undefined;
  const cached = key !== undefined ? cache?.regions.get(key) : undefined;
  if (cached) return { region, key, cached, index: undefined, macros: cached.macros };
  const index = indexRegion(region, budget);
  return { region, key, cached: undefined, index, macros: summarizeMacros(index.macroDefinitions) };
}

function lintRegion(ctx: LintContext): Finding[] {
  const unsafeKeywords = ctx.index.unsafeKeywords;
  return [
    ...checkUndocumentedUnsafe(ctx, unsafeKeywords),
    ...checkUnnecessarySafetyComments(ctx),
    ...checkSafetyDocs(ctx, unsafeKeywords),
    ...checkSafetyCommentText(ctx),
  ];
}

export function lintTree(
  tree: Tree,
  text: string,
  lines: LineIndex = new LineIndex(text),
  cache?: LintCache,
  budget: LintBudget = LintBudget.starting(lintTimeLimitMs(text.length)),
  cfg?: CfgSet,
): Finding[] {
  const root = new NavTree(tree).root;
  const plans = splitRegions(root, lines).map((region) => {
    budget.check();
    return planRegion(root, region, lines, cache, budget);
  });
  let macros = new FileMacros(
    root,
    text,
    plans.map((plan) => plan.macros),
  );
  const key = fileKey(root, macros);
  if (cache && cache.fileKey !== key) {
    // A file-wide fact changed: no cached region can be trusted.
    cache.regions.clear();
    for (let i = 0; i < plans.length; i++) if (plans[i]!.cached) plans[i] = planRegion(root, plans[i]!.region, lines, cache, budget);
    macros = new FileMacros(
      root,
      text,
      plans.map((plan) => plan.macros),
    );
  }

  const findings: Finding[] = [];
  const matches = new TextMatches(text);
  const nextRegions = new Map<string, CachedRegion>();
  for (const plan of plans) {
    if (budget.expired) budget.fail();
    const { region } = plan;
    if (plan.cached) {
      findings.push(...shiftFindings(plan.cached.findings, region.firstLine));
      nextRegions.set(plan.key!, plan.cached);
      continue;
    }
    const ctx: LintContext = {
      text,
      lines: new TrackedLines(lines),
      root,
      region,
      index: plan.index!,
      macros,
      matches,
      budget,
      readsOutsideRegion: false,
    };
    const regionFindings = lintRegion(ctx);
    findings.push(...regionFindings);
    if (plan.key !== undefined && isCacheable(region, ctx)) {
      nextRegions.set(plan.key, { findings: shiftFindings(regionFindings, -region.firstLine), macros: plan.macros });
    }
  }
  if (cache) {
    cache.fileKey = key;
    cache.regions = nextRegions;
  }
  const sorted = sortFindings(dedupe(findings));
  return cfg ? compiledFindings(sorted, root, lines, cfg) : sorted;
}

/** rustc reports a diagnostic once even when a macro expands the same code several times. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}:${finding.range.start.line}:${finding.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule),
  );
}
