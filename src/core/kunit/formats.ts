// The output formats of `rfl test`: a human summary (text), the JSON shape other tools read, JUnit
// XML (junit.ts) and the kernel's own KTAP passed through.
import { countStatuses, type CaseResult, type StatusCounts, type SuiteResult, type TestStatus } from './results';

export const TEST_FORMATS = ['text', 'ktap', 'junit', 'json'] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];

/** `{"suites": [{"name", "status", "cases": [{"name", "status", "message"?, "file"?, "line"?}]}]}` */
export function toJson(suites: readonly SuiteResult[]): string {
  const shaped = {
    suites: suites.map((suite) => ({
      name: suite.name,
      status: suite.status,
      ...(suite.message ? { message: suite.message } : {}),
      cases: suite.cases.map((one) => ({
        name: one.name,
        status: one.status,
        ...(one.message !== undefined ? { message: one.message } : {}),
        ...(one.file !== undefined ? { file: one.file } : {}),
        ...(one.line !== undefined ? { line: one.line } : {}),
      })),
    })),
  };
  return `${JSON.stringify(shaped, null, 2)}\n`;
}

const LABELS: Record<TestStatus, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  skipped: 'SKIP',
  timeout: 'TIMEOUT',
  error: 'ERROR',
  'not-run': 'NOT RUN',
};

function duration(ms: number | undefined): string {
  return ms === undefined ? '' : ms < 1000 ? ` (${Math.round(ms)} ms)` : ` (${(ms / 1000).toFixed(2)} s)`;
}

function caseLines(one: CaseResult): string[] {
  const where = one.status !== 'passed' && one.file && one.line ? ` at ${one.file}:${one.line}` : '';
  const lines = [`  ${LABELS[one.status].padEnd(7)} ${one.name}${duration(one.durationMs)}${where}`];
  if (one.message && one.status !== 'passed') lines.push(...one.message.split('\n').map((line) => `          ${line}`));
  return lines;
}

export function summaryLine(counts: StatusCounts): string {
  const parts = [`${counts.passed} passed`, `${counts.failed} failed`];
  if (counts.skipped) parts.push(`${counts.skipped} skipped`);
  if (counts.timeout) parts.push(`${counts.timeout} timed out`);
  if (counts.error) parts.push(`${counts.error} error${counts.error === 1 ? '' : 's'}`);
  if (counts['not-run']) parts.push(`${counts['not-run']} not run`);
  return `${parts.join(', ')} (${counts.total} tests)`;
}

export function toText(suites: readonly SuiteResult[]): string {
  const lines: string[] = [];
  for (const suite of suites) {
    lines.push(`suite ${suite.name}: ${LABELS[suite.status]}${suite.message ? ` (${suite.message.split('\n')[0]})` : ''}`);
    for (const one of suite.cases) lines.push(...caseLines(one));
  }
  lines.push(summaryLine(countStatuses(suites)));
  return `${lines.join('\n')}\n`;
}
