// What happens when a `rust-for-linux` task starts, in order, each refusal with its reason in the
// terminal and exit status 2: an untrusted workspace runs nothing; a malformed tasks.json entry or
// wrong settings are named; no kernel folder is explained; a run already going (RunGate) refuses
// this one. Then the core runs and its verdict ends the task. No `vscode` import (tested directly).
import type { RunGate } from './runGate';
import { readBuildLoadSettings, type SettingsSource } from './settings';
import { parseTaskDefinition, planTask, taskName, type PlanDependencies } from './taskDefinition';
import { EXIT_FAILED, EXIT_SETUP } from '../core/tasks/exitCodes';
import type { OutputSink, TaskOutcome } from '../core/tasks/output';
import { runTaskPlan, type CoreCalls } from './taskRun';

export interface TaskRequest {
  /** The definition as VS Code resolved it (variables substituted). */
  definition: unknown;
  workspaceFolder: string;
  trusted: boolean;
  settings: SettingsSource;
  gate: RunGate;
  sink: OutputSink;
  /** Called once the run holds the gate, with its cancel function (Ctrl-C, closing the terminal). */
  onStarted?: (cancel: () => void) => void;
  core?: CoreCalls;
  planDependencies?: PlanDependencies;
}

export const UNTRUSTED_MESSAGE =
  'this workspace is not trusted, so Rust for Linux runs no build, clippy, load or rust-analyzer task here ' +
  "(they start make and QEMU with programs, folders and arguments this workspace's settings may name). " +
  'Trust the workspace ("Workspaces: Manage Workspace Trust") to run them.';

export async function executeTaskRequest(request: TaskRequest): Promise<TaskOutcome> {
  const refuse = (summary: string, details: readonly string[] = []): TaskOutcome => {
    request.sink.line(`rfl: ${summary}`, 'error');
    for (const detail of details) request.sink.line(`  ${detail}`, 'error');
    return { exitCode: EXIT_SETUP, ok: false, summary };
  };
  if (!request.trusted) return refuse(UNTRUSTED_MESSAGE);

  const parsed = parseTaskDefinition(request.definition);
  if (!parsed.ok) return refuse(`this rust-for-linux task cannot run: ${parsed.error}`);
  const definition = parsed.value;

  const { settings, problems } = readBuildLoadSettings(request.settings, request.workspaceFolder);
  if (problems.length > 0) {
    return refuse(
      'fix these settings first (a wrong value is not passed to make or QEMU):',
      problems.map((problem) => `${problem.setting}: ${problem.message}`),
    );
  }
  const plan = planTask(definition, settings, request.workspaceFolder, request.planDependencies);
  if (!plan.ok) return refuse(plan.error);

  const name = taskName(definition);
  const started = request.gate.tryStart(name, definition.command, plan.value.moduleDir);
  if (!started.ok) return refuse(started.message);
  const run = started.run;
  request.onStarted?.(run.cancel);
  let outcome: TaskOutcome = { exitCode: EXIT_SETUP, ok: false, summary: `${name}: ended unexpectedly` };
  try {
    outcome = await runTaskPlan(plan.value, request.sink, run.signal, request.core);
    if (run.signal.aborted && outcome.ok) outcome = { ...outcome, ok: false, exitCode: EXIT_FAILED, summary: `${name}: cancelled` };
    return outcome;
  } finally {
    run.finish(outcome);
  }
}
