// Runs KUnit tests from the Test Explorer: per module folder, one build-boot-load run through the
// core (runTests) with KUnit's filter for what was asked, the console streamed to the test output, and
// each case marked passed, failed (the assertion's message at its line), skipped or errored. It
// holds the RunGate like a task (one VM at a time); cancelling the run kills the VM. An untrusted
// workspace lists the tests but runs none, and says why on every item.
import * as vscode from 'vscode';
import { runTests } from '../core/kunit/runTests';
import type { CaseResult, SuiteResult } from '../core/kunit/results';
import { LoadSetupError } from '../core/qemu/loadRun';
import type { KunitItemData, KunitTestTree } from './kunitTestController';
import { planKunitRun } from './kunitPlan';
import type { RunGate } from './runGate';
import { settingsSourceFor } from './vscodeSettings';

export const UNTRUSTED_TESTS_MESSAGE =
  'This workspace is not trusted, so Rust for Linux runs no tests here: a test run builds the module with make and ' +
  "boots a kernel in QEMU, with programs and folders this workspace's settings may name. Trust the workspace " +
  '("Workspaces: Manage Workspace Trust") to run them.';

/** How the runner marked one test item (what the Test Explorer shows), for the integration tests. */
export interface KunitMark {
  id: string;
  state: 'passed' | 'failed' | 'skipped' | 'errored';
  message?: string;
  /** Where the message is shown: the file and 0-based line. */
  location?: { file: string; line: number };
}

export interface KunitRunEnd {
  suites: SuiteResult[];
  marks: KunitMark[];
  exitCode: number;
  /** Set when the run could not start or the kernel could not run tests. */
  error?: string;
}

export class KunitTestRunner implements vscode.Disposable {
  private readonly ended = new vscode.EventEmitter<KunitRunEnd>();
  /** Fires at the end of each module's run (for tests: wait on this, not on time). */
  readonly onDidEndRun = this.ended.event;

  constructor(
    private readonly tree: KunitTestTree,
    private readonly gate: RunGate,
  ) {}

  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const controller = this.tree.controller;
    const run = controller.createTestRun(request);
    try {
      const requested = request.include ?? [...gather(controller.items)];
      const groups = this.groupByModule(requested, request.exclude ?? []);
      if (!vscode.workspace.isTrusted) {
        const cases = [...groups.values()].flatMap((group) => group.cases);
        for (const item of cases) run.errored(item, new vscode.TestMessage(UNTRUSTED_TESTS_MESSAGE));
        void vscode.window.showWarningMessage(`Rust for Linux: ${UNTRUSTED_TESTS_MESSAGE}`);
        this.ended.fire({
          suites: [],
          marks: cases.map((item) => ({ id: item.id, state: 'errored', message: UNTRUSTED_TESTS_MESSAGE })),
          exitCode: 2,
          error: UNTRUSTED_TESTS_MESSAGE,
        });
        return;
      }
      for (const group of groups.values()) {
        if (token.isCancellationRequested) break;
        await this.runModule(run, group, token);
      }
    } finally {
      run.end();
    }
  }

  private groupByModule(requested: readonly vscode.TestItem[], excluded: readonly vscode.TestItem[]): Map<string, ModuleGroup> {
    const groups = new Map<string, ModuleGroup>();
    const skip = new Set(excluded.map((item) => item.id));
    for (const item of requested) {
      for (const leaf of gather(item.children, item)) {
        const data = this.tree.data.get(leaf);
        if (!data || data.kind !== 'case' || skip.has(leaf.id) || (leaf.parent && skip.has(leaf.parent.id))) continue;
        let group = groups.get(data.module.dir);
        if (!group) {
          group = { module: data.module, cases: [], selection: [] };
          groups.set(data.module.dir, group);
        }
        if (!group.cases.includes(leaf)) {
          group.cases.push(leaf);
          group.selection.push({ suite: data.suite, case: data.case });
        }
      }
    }
    // A whole suite asked for: filter by suite, not by its only case.
    for (const group of groups.values()) {
      const suites = new Set(group.selection.map((one) => one.suite));
      const wholeSuites = requested.filter((item) => this.tree.data.get(item)?.kind !== 'case');
      if (suites.size === 1 && wholeSuites.length > 0) group.selection = [{ suite: [...suites][0] as string }];
    }
    return groups;
  }

  private async runModule(run: vscode.TestRun, group: ModuleGroup, token: vscode.CancellationToken): Promise<void> {
    const folder = group.module.folder;
    const planned = planKunitRun(group.module.dir, folder.uri.fsPath, settingsSourceFor(folder), group.selection);
    const fail = (message: string) => {
      for (const item of group.cases) run.errored(item, new vscode.TestMessage(message));
      run.appendOutput(`rfl: ${message.replace(/\n/g, '\r\n')}\r\n`);
      this.ended.fire({
        suites: [],
        marks: group.cases.map((item) => ({ id: item.id, state: 'errored' as const, message })),
        exitCode: 2,
        error: message,
      });
    };
    if (!planned.ok) return fail(planned.error);
    const name = `test ${vscode.workspace.asRelativePath(group.module.dir, true)}`;
    const started = this.gate.tryStart(name, 'test', group.module.dir);
    if (!started.ok) return fail(started.message);
    for (const item of group.cases) run.started(item);
    const cancel = token.onCancellationRequested(() => started.run.cancel());
    try {
      const result = await runTests({
        ...planned.value,
        signal: started.run.signal,
        onEvent: (event) => {
          if (event.type === 'output') run.appendOutput(`${event.line}\r\n`);
          else if (event.type === 'note') run.appendOutput(`rfl: note: ${event.message}\r\n`);
          else if (event.status === 'start' && event.phase !== 'verdict') run.appendOutput(`rfl: ${event.phase}...\r\n`);
        },
      });
      for (const note of result.notes) run.appendOutput(`rfl: ${note}\r\n`);
      const marks = this.report(run, group, result.suites, result.notes);
      started.run.finish({ exitCode: result.exitCode, ok: result.exitCode === 0, summary: summarise(result.suites) });
      this.ended.fire({ suites: result.suites, marks, exitCode: result.exitCode });
    } catch (error) {
      const message = (error as Error).message;
      started.run.finish({ exitCode: 2, ok: false, summary: message });
      fail(error instanceof LoadSetupError ? message : `the test run could not start: ${message}`);
    } finally {
      cancel.dispose();
    }
  }

  private report(run: vscode.TestRun, group: ModuleGroup, suites: readonly SuiteResult[], notes: readonly string[]): KunitMark[] {
    return group.cases.map((item) => {
      const data = this.tree.data.get(item) as Extract<KunitItemData, { kind: 'case' }>;
      const result = suites.find((suite) => suite.name === data.suite)?.cases.find((one) => one.name === data.case);
      if (!result) {
        const message = notes[0] ?? 'KUnit reported nothing for this case';
        run.errored(item, new vscode.TestMessage(message));
        return { id: item.id, state: 'errored', message };
      }
      return markCase(run, item, result);
    });
  }

  dispose(): void {
    this.ended.dispose();
  }
}

interface ModuleGroup {
  module: KunitItemData['module'];
  cases: vscode.TestItem[];
  selection: { suite: string; case?: string }[];
}

function markCase(run: vscode.TestRun, item: vscode.TestItem, result: CaseResult): KunitMark {
  const mark: KunitMark = { id: item.id, state: 'passed' };
  const message = () => {
    const text = new vscode.TestMessage(result.message ?? result.status);
    mark.message = result.message ?? result.status;
    if (result.file && result.line) {
      // The failing line itself (the assertion, the panic), where VS Code shows the message inline.
      text.location = new vscode.Location(vscode.Uri.file(result.file), new vscode.Position(result.line - 1, 0));
      mark.location = { file: result.file, line: result.line - 1 };
    }
    return text;
  };
  switch (result.status) {
    case 'passed':
      run.passed(item, result.durationMs);
      break;
    case 'failed':
      mark.state = 'failed';
      run.failed(item, message(), result.durationMs);
      break;
    case 'skipped':
      mark.state = 'skipped';
      run.skipped(item);
      break;
    case 'not-run':
      mark.state = 'skipped';
      mark.message = result.message ?? 'not run';
      run.skipped(item);
      run.appendOutput(`rfl: ${item.label}: ${mark.message}\r\n`, undefined, item);
      break;
    case 'timeout':
    case 'error':
      mark.state = 'errored';
      run.errored(item, message(), result.durationMs);
      break;
  }
  return mark;
}

function summarise(suites: readonly SuiteResult[]): string {
  const cases = suites.flatMap((suite) => suite.cases);
  const passed = cases.filter((one) => one.status === 'passed').length;
  return `${passed} of ${cases.length} tests passed`;
}

/** The item and every item under it, depth first. */
function* gather(collection: vscode.TestItemCollection, self?: vscode.TestItem): Generator<vscode.TestItem> {
  if (self) yield self;
  for (const [, item] of collection) yield* gather(item.children, item);
}
