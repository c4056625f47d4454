// Converts a finding's 0-based UTF-16 range into the 1-based line and character columns that rustc,
// clippy and CI annotations use (a column counts Unicode scalar values; the end is exclusive).
import { LineIndex } from '../parse/lineIndex';
import type { FileResult, ReportedFinding } from '../lint/lintFiles';

export interface ReportLocation {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function locate(lines: LineIndex | undefined, finding: ReportedFinding): ReportLocation {
  const { start, end } = finding.range;
  const column = (line: number, character: number): number => (lines ? lines.charColumn(line, character) : character) + 1;
  return {
    line: start.line + 1,
    column: column(start.line, start.character),
    endLine: end.line + 1,
    endColumn: column(end.line, end.character),
  };
}

export interface FlatFinding extends ReportLocation {
  file: string;
  rule: string;
  severity: string;
  message: string;
}

/** Every finding of every file, with its location, in file order. */
export function flatten(results: readonly FileResult[]): FlatFinding[] {
  const flat: FlatFinding[] = [];
  for (const result of results) {
    const lines = result.text === undefined ? undefined : new LineIndex(result.text);
    for (const finding of result.findings) {
      flat.push({
        file: result.file,
        ...locate(lines, finding),
        rule: finding.rule,
        severity: finding.severity,
        message: finding.message,
      });
    }
  }
  return flat;
}
