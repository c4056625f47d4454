// Lints files from disk with one parser: the shared engine of the CLI and the benchmark.
import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_FILE_BYTES, readSource } from '../files/readSource';
import { kernelCfgFor, type CfgSet } from '../safety/kernelCfg';
import type { Finding } from '../safety/findings';
import { LintLimitError, SafetyLinter } from '../safety/safetyLinter';
import { severityOf, type Severity, type SeverityOverrides } from '../safety/rules';
import { findingsUnderSite, skipsFile } from '../safety/siteFilter';
import type { SiteVerdict } from '../safety/treeSites';

export interface ReportedFinding extends Finding {
  severity: Exclude<Severity, 'off'>;
}

export interface FileResult {
  file: string;
  findings: ReportedFinding[];
  /** The text, kept for formats that show source lines or need character columns. */
  text?: string;
  /** A problem that stopped the file from being linted. */
  error?: string;
  /** A problem the file has that still allowed a best-effort lint. */
  warning?: string;
}

export interface LintOptions {
  severities?: SeverityOverrides;
  maxFileBytes?: number;
  /**
   * The cfg sets of kernel trees found so far, by folder: a file in a configured kernel tree is
   * linted under its `include/generated/rustc_cfg`. Give one map for a run over many files.
   */
  kernelCfgs?: Map<string, CfgSet | null>;
}

export function applySeverities(findings: Finding[], overrides: SeverityOverrides = {}): ReportedFinding[] {
  const reported: ReportedFinding[] = [];
  for (const finding of findings) {
    const severity = severityOf(finding.rule, overrides);
    if (severity !== 'off') reported.push({ ...finding, severity });
  }
  return reported;
}

export async function lintFile(linter: SafetyLinter, file: string, options: LintOptions = {}): Promise<FileResult> {
  let cfg: CfgSet | undefined;
  let site: SiteVerdict | undefined;
  try {
    cfg = kernelCfgFor(file, options.kernelCfgs);
    // A file compiled through an `include!` or a `mod x;` is checked under that item's cfg and lint
    // levels. One the build never lints is skipped before the size and time limits apply: the
    // generated bindings are megabytes.
    site = cfg?.sites?.verdict(file, linter);
    if (site && skipsFile(site, () => readFileSync(file, 'utf8'))) return { file, findings: [] };
  } catch (cause) {
    if (cause instanceof LintLimitError) return { file, findings: [], error: cause.message };
    return { file, findings: [], error: `cannot tell how the kernel tree compiles it: ${(cause as Error).message}` };
  }
  let read;
  try {
    read = await readSource(file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  } catch (cause) {
    return { file, findings: [], error: `cannot read: ${(cause as Error).message}` };
  }
  if (read.kind === 'skipped') return { file, findings: [], error: `skipped: ${read.reason}` };
  try {
    const { findings: all, tree } = linter.lint(read.text, undefined, undefined, cfg);
    const findings = site ? findingsUnderSite(all, site, tree, read.text) : all;
    tree.delete();
    return {
      file,
      text: read.text,
      findings: applySeverities(findings, options.severities),
      ...(read.warning ? { warning: read.warning } : {}),
    };
  } catch (cause) {
    const reason = cause instanceof LintLimitError ? cause.message : `internal error: ${(cause as Error).stack}`;
    return { file, findings: [], error: reason };
  }
}
