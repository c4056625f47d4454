// Findings as LSP diagnostics: severity from settings, the rule as code with a link to its docs,
// the whole unsafe extent in `data` for the client's highlight.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from '../core/safety/findings';
import { RULES, severityOf, type Severity, type SeverityOverrides } from '../core/safety/rules';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../shared/protocol';

const LSP_SEVERITY: Readonly<Record<Exclude<Severity, 'off'>, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostics(findings: Finding[], overrides: SeverityOverrides): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const finding of findings) {
    const severity = severityOf(finding.rule, overrides);
    if (severity === 'off') continue;
    const data: DiagnosticData = { rule: finding.rule, ...(finding.extent ? { extent: finding.extent } : {}) };
    diagnostics.push({
      range: finding.range,
      severity: LSP_SEVERITY[severity],
      code: finding.rule,
      codeDescription: { href: RULES[finding.rule].docsUrl },
      source: DIAGNOSTIC_SOURCE,
      message: finding.message,
      ...(finding.rule === 'unnecessary_safety_comment' ? { tags: [DiagnosticTag.Unnecessary] } : {}),
      data,
    });
  }
  return diagnostics;
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
