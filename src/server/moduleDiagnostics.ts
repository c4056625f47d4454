// module! findings as LSP diagnostics: errors, because the kernel's macro fails the build on each.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { ModuleFinding } from '../core/authoring/moduleChecks';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../shared/protocol';

export function moduleDiagnostics(findings: ModuleFinding[]): Diagnostic[] {
  return findings.map((finding) => {
    const data: DiagnosticData = { rule: finding.check };
    return {
      range: finding.range,
      severity: DiagnosticSeverity.Error,
      code: finding.check,
      source: DIAGNOSTIC_SOURCE,
      message: finding.message,
      data,
    };
  });
}
