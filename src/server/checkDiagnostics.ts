// rustc's and clippy's JSON diagnostics (from `rfl check`'s engine) as LSP diagnostics, per file of the
// module: source `rustc` or `clippy`, the error code or lint name with its documentation link, the
// range of the primary span (followed out of macros to the user's code), the other spans and the
// notes with a place as related information, and rustc's machine-applicable suggestions as fixes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range, type TextEdit } from 'vscode-languageserver';
import {
  callSite,
  codeDocumentationUrl,
  diagnosticCode,
  primarySpan,
  type RustcDiagnostic,
  type RustcSpan,
} from '../core/check/rustcDiagnostic';

/** A fix rustc marks MachineApplicable: the edits can be applied without a human looking. */
export interface CheckFix {
  title: string;
  /** Edits per document URI. */
  edits: Record<string, TextEdit[]>;
}

/** Carried in each check diagnostic's `data`, so a code action request can offer the fixes. */
export interface CheckDiagnosticData {
  check: true;
  fixes: CheckFix[];
}

export function isCheckData(data: unknown): data is CheckDiagnosticData {
  return typeof data === 'object' && data !== null && (data as { check?: unknown }).check === true;
}

export type PositionEncoding = 'utf-8' | 'utf-16' | 'utf-32';

/** Converts rustc's 1-based line and character columns to LSP positions, reading each file once. */
class Positions {
  private readonly lines = new Map<string, string[] | undefined>();

  constructor(private readonly encoding: PositionEncoding) {}

  range(span: RustcSpan): Range {
    return {
      start: { line: span.line_start - 1, character: this.character(span.file_name, span.line_start, span.column_start) },
      end: { line: span.line_end - 1, character: this.character(span.file_name, span.line_end, span.column_end) },
    };
  }

  private character(file: string, line: number, column: number): number {
    if (!this.lines.has(file)) {
      let text: string[] | undefined;
      try {
        text = readFileSync(file, 'utf8').split('\n');
      } catch {
        text = undefined;
      }
      this.lines.set(file, text);
    }
    const text = this.lines.get(file)?.[line - 1];
    if (text === undefined || this.encoding === 'utf-32') return column - 1;
    // rustc counts Unicode scalar values; LSP counts UTF-16 code units (or bytes, if negotiated).
    const before = [...text].slice(0, column - 1).join('');
    return this.encoding === 'utf-8' ? Buffer.byteLength(before, 'utf8') : before.length;
  }
}

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  'error: internal compiler error': DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
  help: DiagnosticSeverity.Hint,
};

function uriOf(file: string): string {
  return pathToFileURL(file).toString();
}

function fixesOf(diagnostic: RustcDiagnostic, positions: Positions, isOwnFile: (file: string) => boolean): CheckFix[] {
  const fixes: CheckFix[] = [];
  for (const child of [diagnostic, ...diagnostic.children]) {
    const spans = child.spans.filter(
      (span) => span.suggested_replacement !== null && span.suggestion_applicability === 'MachineApplicable',
    );
    if (spans.length === 0 || !spans.every((span) => isOwnFile(span.file_name))) continue;
    const edits: Record<string, TextEdit[]> = {};
    for (const span of spans)
      (edits[uriOf(span.file_name)] ??= []).push({ range: positions.range(span), newText: span.suggested_replacement ?? '' });
    const replacement = spans.length === 1 ? (spans[0]?.suggested_replacement ?? '') : '';
    const shown = replacement !== '' && !replacement.includes('\n') && replacement.length <= 60 ? `: \`${replacement}\`` : '';
    fixes.push({ title: `${child === diagnostic ? diagnostic.message : child.message}${shown}`, edits });
  }
  return fixes;
}

/**
 * The LSP diagnostics of one check, keyed by document URI. Only files inside the module folder get
 * diagnostics: the kernel's own sources appear as related information where rustc points there.
 */
export function checkDiagnosticsByUri(
  diagnostics: readonly RustcDiagnostic[],
  moduleDir: string,
  encoding: PositionEncoding = 'utf-16',
): Map<string, Diagnostic[]> {
  const positions = new Positions(encoding);
  const root = `${path.resolve(moduleDir)}/`;
  const isOwnFile = (file: string) => file.startsWith(root);
  const byUri = new Map<string, Diagnostic[]>();
  for (const diagnostic of diagnostics) {
    const primary = primarySpan(diagnostic);
    if (!primary) continue;
    const site = callSite(primary, isOwnFile);
    if (!isOwnFile(site.file_name)) continue;
    const code = diagnosticCode(diagnostic);
    const href = code ? codeDocumentationUrl(code) : undefined;
    const related: DiagnosticRelatedInformation[] = [];
    for (const span of diagnostic.spans) {
      if (span === primary || !span.label) continue;
      related.push({ location: { uri: uriOf(span.file_name), range: positions.range(span) }, message: span.label });
    }
    const notes: string[] = [];
    for (const child of diagnostic.children) {
      const childSpan = primarySpan(child);
      if (childSpan && child.spans.every((span) => span.suggested_replacement === null)) {
        related.push({
          location: { uri: uriOf(childSpan.file_name), range: positions.range(childSpan) },
          message: `${child.level}: ${child.message}`,
        });
      } else {
        notes.push(`${child.level}: ${child.message}`);
      }
    }
    const label = primary.label ? `\n${primary.label}` : '';
    const data: CheckDiagnosticData = { check: true, fixes: fixesOf(diagnostic, positions, isOwnFile) };
    const converted: Diagnostic = {
      range: positions.range(site),
      severity: SEVERITY[diagnostic.level] ?? DiagnosticSeverity.Warning,
      source: code?.startsWith('clippy::') ? 'clippy' : 'rustc',
      message: [diagnostic.message + label, ...notes].join('\n'),
      ...(code ? { code } : {}),
      ...(href ? { codeDescription: { href } } : {}),
      ...(related.length ? { relatedInformation: related } : {}),
      data,
    };
    const uri = uriOf(site.file_name);
    const list = byUri.get(uri) ?? [];
    list.push(converted);
    byUri.set(uri, list);
  }
  return byUri;
}
