// How `rfl check` prints its verdict: rustc's own text (`human`) or rustc's JSON lines (`json`).
import type { CheckResult } from './checkModule';
import { primarySpan, type RustcDiagnostic } from './rustcDiagnostic';

export const MESSAGE_FORMATS = ['human', 'json'] as const;
/** rustc's rendering (paths already real); a one-line form when rustc gave none. */
export function renderHuman(diagnostic: RustcDiagnostic): string {
  if (diagnostic.rendered) return diagnostic.rendered.endsWith('\n') ? diagnostic.rendered : `${diagnostic.rendered}\n`;
  const span = primarySpan(diagnostic);
  const code = diagnostic.code ? `[${diagnostic.code.code}]` : '';
  const where = span ? `${span.file_name}:${span.line_start}:${span.column_start}: ` : '';
  return `${where}${diagnostic.level}${code}: ${diagnostic.message}\n`;
}

/** One JSON object per line, rustc's `--error-format=json` shape. */
export function renderJson(diagnostic: RustcDiagnostic): string {
  return `${JSON.stringify(diagnostic)}\n`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `rfl check: 1 error, 2 warnings (1.4 s)`. */
export function summaryLine(result: CheckResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const verdict =
    result.errors + result.warnings === 0
      ? 'no errors or warnings'
      : `${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}`;
  const how = result.cached ? ', unchanged since the last check' : result.replayed ? ', compiler only' : '';
  return `rfl check: ${verdict} (${seconds} s${how})\n`;
}
