// Lint results as LSP diagnostics, in the client's position encoding: severity from settings, the
// rule as code with a link to its docs, the whole unsafe extent in `data` for the client's
// highlight; module! findings as errors, because the kernel's macro fails the build on each.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import { RULES, severityOf, type RuleName, type Severity, type SeverityOverrides } from '../core/safety/rules';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../shared/protocol';
import type { LintOutcome, WireFinding } from './lint/wire';
import type { LspLines, PositionEncoding } from './text/lspLines';

const LSP_SEVERITY: Readonly<Record<Exclude<Severity, 'off'>, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

function findingDiagnostic(
  finding: WireFinding,
  lines: LspLines,
  encoding: PositionEncoding,
  overrides: SeverityOverrides,
): Diagnostic | undefined {
  const range = lines.rangeAt(finding.range, encoding);
  if (finding.kind === 'module') {
    const data: DiagnosticData = { rule: finding.code };
    return { range, severity: DiagnosticSeverity.Error, code: finding.code, source: DIAGNOSTIC_SOURCE, message: finding.message, data };
  }
  const rule = finding.code as RuleName;
  const severity = severityOf(rule, overrides);
  if (severity === 'off') return undefined;
  const data: DiagnosticData = { rule, ...(finding.extent ? { extent: lines.rangeAt(finding.extent, encoding) } : {}) };
  return {
    range,
    severity: LSP_SEVERITY[severity],
    code: rule,
    codeDescription: { href: RULES[rule].docsUrl },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(rule === 'unnecessary_safety_comment' ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data,
  };
}

/** A diagnostic that says why a document was not linted. */
export function notLintedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: `SAFETY lint: ${reason}`,
  };
}

export function toDiagnostics(
  outcome: LintOutcome,
  lines: LspLines,
  encoding: PositionEncoding,
  overrides: SeverityOverrides,
): Diagnostic[] {
  switch (outcome.kind) {
    case 'notLinted':
      return [notLintedDiagnostic(outcome.reason)];
    case 'failed':
      return [notLintedDiagnostic(`failed: ${outcome.message}`)];
    case 'linted':
      return outcome.findings.flatMap((finding) => findingDiagnostic(finding, lines, encoding, overrides) ?? []);
  }
}
