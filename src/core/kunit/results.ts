// The results of one test run, suite by suite and case by case, from what KUnit printed (KTAP), what
// the source declares (so that cases which never ran are still named) and how the run ended (a
// kernel problem inside a case, a hang, a cancel). This is the model every output format prints.
import type { KtapTest } from './ktap';

export const TEST_STATUSES = ['passed', 'failed', 'skipped', 'timeout', 'error', 'not-run'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

export interface CaseResult {
  name: string;
  status: TestStatus;
  /** Why it failed, was skipped or did not run: the assertion and its operands, a panic, a timeout. */
  message?: string;
  /** The failing line when known (the assertion, the panic), else the test function's line. */
  file?: string;
  line?: number;
  /** Time between the previous result and this one as seen on the console, or KUnit's own runtime. */
  durationMs?: number;
  /** KUnit's speed attribute (`normal`, `slow`, `very_slow`). */
  speed?: string;
  /** What the case printed (diagnostics, assertion details), for the test output. */
  log: string[];
}

export interface SuiteResult {
  name: string;
  status: TestStatus;
  message?: string;
  durationMs?: number;
  /** The module whose suite this is (KUnit's `# module:` line). */
  module?: string;
  cases: CaseResult[];
}

/** A kernel problem report (panic, oops, BUG, WARN) and the console line where it began. */
export interface KernelEvent {
  atLine: number;
  /** `Rust panic`, `oops`, ... */
  kind: string;
  title: string;
  message?: string;
  file?: string;
  line?: number;
}

/** Why the run stopped early, if it did: the case that was running gets this status. */
export interface RunStop {
  status: 'timeout' | 'error';
  message: string;
}

/** A test function in the source, to name cases KTAP never reached. */
export interface ExpectedSuite {
  name: string;
  cases: { name: string; file?: string; line?: number }[];
}

export interface ResultInput {
  tests: readonly KtapTest[];
  /** The suites and cases selected to run, in run order; without them only KTAP's names are known. */
  expected?: readonly ExpectedSuite[];
  events?: readonly KernelEvent[];
  stop?: RunStop;
  /** Turns a path as the kernel printed it into a real file (undefined: keep it as printed). */
  resolveFile?: (printed: string) => string | undefined;
}

const ASSERTION = /(?:ASSERTION|EXPECTATION) FAILED at (\S+):(\d+)\s*$/;
const FAULT_LOCATION = /try faulted: last line seen (\S+):(\d+)/;
const ATTRIBUTE = /^#\s*[\w-]+\.([\w-]+):\s*(.*)$/;
const RUNTIME = /runtime: (\d+)\.(\d+)s/;
/** The condition the `#[kunit_tests]` wrapper asserts for a test that returns a Result. */
const RETURNED_ERR = /\bis_test_result_ok\(/;
const TIMED_OUT = /\b(?:try timed out|test case timed out)\b/;
const FAULTED = /\btry faulted\b/;

/** `# case: text` → `text`; other lines as they are. */
function withoutCasePrefix(line: string): string {
  return line.replace(/^#\s*(?:[\w.-]+:\s)?/, '');
}

function caseFromKtap(test: KtapTest, resolveFile: ResultInput['resolveFile']): CaseResult {
  const result: CaseResult = { name: test.name, status: 'passed', log: test.log };
  const details: string[] = [];
  for (const line of test.log) {
    const attribute = ATTRIBUTE.exec(line);
    if (attribute) {
      if (attribute[1] === 'speed') result.speed = attribute[2];
      continue;
    }
    const location = ASSERTION.exec(line) ?? FAULT_LOCATION.exec(line);
    if (location && result.line === undefined) {
      result.file = resolveFile?.(location[1] ?? '') ?? location[1];
      result.line = Number(location[2]);
    }
    const runtime = RUNTIME.exec(line);
    if (runtime) result.durationMs = Number(runtime[1]) * 1000 + Number(`0.${runtime[2]}`) * 1000;
    details.push(withoutCasePrefix(line));
  }
  if (result.durationMs === undefined && test.startMs !== undefined && test.endMs !== undefined)
    result.durationMs = test.endMs - test.startMs;
  const logText = test.log.join('\n');
  switch (test.directive) {
    case 'SKIP':
      result.status = 'skipped';
      if (test.reason) result.message = test.reason;
      return result;
    case 'TODO':
      result.status = 'skipped';
      result.message = `TODO${test.reason ? ` ${test.reason}` : ''}`;
      return result;
    case 'XFAIL':
      result.status = 'passed';
      result.message = `expected failure${test.reason ? `: ${test.reason}` : ''}`;
      return result;
    case 'TIMEOUT':
      result.status = 'timeout';
      break;
    case 'ERROR':
      result.status = 'error';
      break;
    default:
      if (test.ok) return result;
      result.status = TIMED_OUT.test(logText) ? 'timeout' : FAULTED.test(logText) ? 'error' : 'failed';
  }
  const message = [test.reason && test.directive ? `${test.directive}: ${test.reason}` : test.reason, ...details]
    .filter(Boolean)
    .join('\n');
  result.message = message || 'not ok';
  return result;
}

function aggregate(statuses: readonly TestStatus[]): TestStatus {
  for (const status of ['error', 'timeout', 'failed'] as const) if (statuses.includes(status)) return status;
  if (statuses.length > 0 && statuses.every((status) => status === 'not-run')) return 'not-run';
  if (statuses.length > 0 && statuses.every((status) => status === 'skipped')) return 'skipped';
  return statuses.includes('not-run') ? 'failed' : 'passed';
}

function eventMessage(event: KernelEvent): string {
  const where = event.file ? ` at ${event.file}${event.line ? `:${event.line}` : ''}` : '';
  return `${event.kind}${where}${event.message ? `: ${event.message}` : ''}\n${event.title}`;
}

interface Placed {
  result: CaseResult;
  firstLine: number;
  lastLine: number;
}

function suiteFromKtap(test: KtapTest, input: ResultInput, placed: Placed[]): SuiteResult {
  const cases = test.children.map((child) => {
    const result = child.complete ? caseFromKtap(child, input.resolveFile) : runningCase(child, input.stop);
    placed.push({ result, firstLine: child.firstLine, lastLine: child.lastLine ?? Number.MAX_SAFE_INTEGER });
    return result;
  });
  const suite: SuiteResult = { name: test.name, status: 'passed', cases };
  const module = test.header.map((line) => /^#\s*module:\s*(\S+)/.exec(line)?.[1]).find(Boolean);
  if (module) suite.module = module;
  if (test.startMs !== undefined && test.endMs !== undefined) suite.durationMs = test.endMs - test.startMs;
  if (test.complete && !test.ok && cases.every((one) => one.status === 'passed' || one.status === 'skipped')) {
    // The suite itself failed (its init returned an error): say why from its own lines.
    suite.message =
      [...test.header, ...test.log]
        .map(withoutCasePrefix)
        .filter((line) => /fail|error/i.test(line))
        .join('\n') || 'not ok';
  }
  return suite;
}

function runningCase(test: KtapTest, stop: RunStop | undefined): CaseResult {
  const result: CaseResult = { name: test.name, status: stop?.status ?? 'error', log: test.log };
  result.message = stop?.message ?? 'the case printed no result line (the kernel stopped in it)';
  return result;
}

/** Builds the suites' results; see ResultInput for what each input adds. */
export interface StatusCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  timeout: number;
  error: number;
  'not-run': number;
}

export function countStatuses(suites: readonly SuiteResult[]): StatusCounts {
  const counts: StatusCounts = { total: 0, passed: 0, failed: 0, skipped: 0, timeout: 0, error: 0, 'not-run': 0 };
  for (const one of suites.flatMap((suite) => suite.cases)) {
    counts.total++;
    counts[one.status]++;
  }
  return counts;
}

/** Every case passed or was skipped, and there was at least one. */
export function allPassed(suites: readonly SuiteResult[]): boolean {
  const counts = countStatuses(suites);
  return counts.total > 0 && counts.passed + counts.skipped === counts.total && suites.every((suite) => !suite.message);
}

export function buildResults(input: ResultInput): SuiteResult[] {
  const placed: Placed[] = [];
  const suites = input.tests.map((test) => ({ ktap: test, result: suiteFromKtap(test, input, placed) }));

  for (const event of input.events ?? []) {
    const owner = placed.find((entry) => entry.firstLine <= event.atLine && event.atLine <= entry.lastLine);
    if (!owner || owner.result.status === 'passed' || owner.result.status === 'skipped') continue;
    // A panic or oops inside a case: KUnit reports the case as failed (`try faulted`); the kernel's
    // report says what really happened and where.
    owner.result.status = 'error';
    owner.result.message = `${eventMessage(event)}${owner.result.message ? `\n${owner.result.message}` : ''}`;
    if (event.file && event.line) {
      owner.result.file = event.file;
      owner.result.line = event.line;
    }
  }

  const results: SuiteResult[] = [];
  const unmatched = [...suites];
  for (const expected of input.expected ?? []) {
    const index = unmatched.findIndex((entry) => entry.result.name === expected.name);
    const found = index >= 0 ? unmatched.splice(index, 1)[0] : undefined;
    results.push(found ? mergeSuite(found.result, found.ktap.complete, expected, input.stop) : notRunSuite(expected, input.stop));
  }
  results.push(...unmatched.map((entry) => entry.result));
  for (const suite of results) {
    suite.cases.forEach((one, index) => {
      if (one.name === '') one.name = `case ${index + 1}`;
    });
    const statuses = suite.cases.map((one) => one.status);
    const own = suite.message ? 'error' : undefined;
    suite.status = own ?? aggregate(statuses);
  }
  return results;
}

function notRunSuite(expected: ExpectedSuite, stop: RunStop | undefined): SuiteResult {
  const message = stop ? 'not run: the kernel stopped before this suite started' : 'not run: KUnit printed nothing for this suite';
  return {
    name: expected.name,
    status: 'not-run',
    cases: expected.cases.map((one) => ({ name: one.name, status: 'not-run', message, log: [], ...location(one) })),
  };
}

function location(source: { file?: string; line?: number }): { file?: string; line?: number } {
  return { ...(source.file ? { file: source.file } : {}), ...(source.line ? { line: source.line } : {}) };
}

/** Whether an unfinished case's own lines include the attribute lines KUnit prints after it ran. */
function printedOwnAttributes(result: CaseResult, name: string): boolean {
  return result.log.some((line) => {
    const attribute = /^#\s*([\w-]+)\.[\w-]+:/.exec(line.trim());
    return attribute?.[1] === name;
  });
}

/** Names the KTAP cases from the source, adds the source's locations and the cases that never ran. */
function mergeSuite(suite: SuiteResult, complete: boolean, expected: ExpectedSuite, stop: RunStop | undefined): SuiteResult {
  const ran = [...suite.cases];
  const cases: CaseResult[] = [];
  // An unfinished suite had one case running when the kernel stopped.
  let runningFound = complete;
  for (const source of expected.cases) {
    let index = ran.findIndex((one) => one.name === source.name);
    // The running case printed no result line, so KTAP never named it: it is the next one in order.
    if (index < 0) index = ran.findIndex((one) => one.name === '');
    if (index >= 0) {
      const [result] = ran.splice(index, 1) as [CaseResult];
      if (result.name === '' && printedOwnAttributes(result, source.name)) {
        // KUnit prints a case's `# NAME.ATTR:` lines after the case returned, just before its result
        // line (lib/kunit/test.c). Seen on 7.2 under TCG: when the next case spins, that result line
        // stays in the kernel's log buffer and never reaches the console. So this case finished, with
        // an unknown result, and the stop belongs to the next one.
        cases.push({
          name: source.name,
          status: 'error',
          message:
            'this case finished, but its result line never reached the console: the next case kept the CPU and the kernel stopped before printing it',
          log: result.log,
          ...location(source),
        });
        continue;
      }
      if (result.name === '') runningFound = true;
      result.name = source.name;
      if (result.status === 'failed' && RETURNED_ERR.test(result.message ?? '')) {
        // The macro's wrapper asserts on the test's Result (rust/macros/kunit.rs): the failure is
        // the test's own return value, so point at the test, not at the generated assertion.
        result.message = `the test returned Err\n${result.message ?? ''}`;
        delete result.file;
        delete result.line;
      }
      if (result.line === undefined) Object.assign(result, location(source));
      cases.push(result);
      continue;
    }
    if (!runningFound) {
      // It printed nothing at all before the kernel stopped (a silent hang).
      runningFound = true;
      cases.push({
        name: source.name,
        status: stop?.status ?? 'error',
        message: stop?.message ?? 'the kernel stopped in this case',
        log: [],
        ...location(source),
      });
      continue;
    }
    cases.push({
      name: source.name,
      status: 'not-run',
      message: complete ? 'not run: KUnit did not report this case' : 'not run: an earlier case stopped the kernel',
      log: [],
      ...location(source),
    });
  }
  cases.push(...ran);
  return { ...suite, cases };
}
