// "Compare with another module…" without `vscode`: plans the run from the settings (the same
// kernel, toolchain and accel a `load` task would use), holds the RunGate (one VM at a time), runs
// the core's compare and writes its progress and console to a sink. Tested without the editor.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareModules, defaultCompareTimeoutMs, type CompareOptions } from '../core/compare/compareRun';
import { formatText, type CompareReport } from '../core/compare/report';
import type { RunGate } from './runGate';
import { readBuildLoadSettings, type SettingsSource } from './settings';
import { planTask, TASK_TYPE } from './taskDefinition';
import { EXIT_SETUP } from '../core/tasks/exitCodes';
import type { OutputSink } from '../core/tasks/output';

export interface CompareRequest {
  aDir: string;
  bDir: string;
  workload: string;
  rounds: number;
  workspaceFolder: string;
  settings: SettingsSource;
  gate: RunGate;
  sink: OutputSink;
  onStarted?: (cancel: () => void) => void;
  /** The core call (a test may pass its own). */
  compare?: (options: CompareOptions) => Promise<CompareReport>;
}

export type CompareOutcome = { exitCode: number; ok: boolean; summary: string; report?: CompareReport };

/** Whether a module folder's sources register a misc device (then the ready workload fits). */
export function looksLikeMiscDevice(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir)
    .filter((name) => name.endsWith('.rs') || name.endsWith('.c'))
    .some((name) =>
      /\bMiscDeviceRegistration\b|\bstruct miscdevice\b|\bmisc_register\s*\(/.test(readFileSync(path.join(dir, name), 'utf8')),
    );
}

export async function runCompareRequest(request: CompareRequest): Promise<CompareOutcome> {
  const refuse = (summary: string, details: readonly string[] = []): CompareOutcome => {
    request.sink.line(`rfl: ${summary}`, 'error');
    for (const detail of details) request.sink.line(`  ${detail}`, 'error');
    return { exitCode: EXIT_SETUP, ok: false, summary };
  };
  const { settings, problems } = readBuildLoadSettings(request.settings, request.workspaceFolder);
  if (problems.length > 0)
    return refuse(
      'fix these settings first:',
      problems.map((problem) => `${problem.setting}: ${problem.message}`),
    );
  const plan = planTask({ type: TASK_TYPE, command: 'load', moduleDir: request.aDir }, settings, request.workspaceFolder);
  if (!plan.ok) return refuse(plan.error);
  if (plan.value.command !== 'load') return refuse('internal: a load plan was expected');
  const name = `compare ${path.basename(request.aDir)} ${path.basename(request.bDir)}`;
  // The gate knows build, clippy, load and rust-analyzer: a compare boots a VM, like load.
  const started = request.gate.tryStart(name, 'load', request.aDir);
  if (!started.ok) return refuse(started.message);
  request.onStarted?.(started.run.cancel);
  let outcome: CompareOutcome = { exitCode: EXIT_SETUP, ok: false, summary: `${name}: ended unexpectedly` };
  try {
    request.sink.line(
      `rfl: comparing A ${request.aDir} with B ${request.bDir} on ${plan.value.kdir}, ${request.rounds} rounds, workload ${request.workload}`,
      'info',
    );
    const report = await (request.compare ?? compareModules)({
      kdir: plan.value.kdir,
      aDir: request.aDir,
      bDir: request.bDir,
      toolchain: plan.value.toolchain,
      outDir: plan.value.outDir,
      workload: request.workload,
      rounds: request.rounds,
      accel: plan.value.accel,
      timeoutMs: defaultCompareTimeoutMs(request.rounds),
      signal: started.run.signal,
      onEvent: (event) => {
        if (event.type === 'note') request.sink.line(`rfl: ${event.message}`, 'info');
        else if (event.type === 'output') request.sink.line(event.line);
        else if (event.status === 'start') request.sink.line(`rfl: ${event.phase}...`, 'info');
      },
    });
    for (const line of formatText(report).split('\n'))
      request.sink.line(line, line.startsWith('== ') ? (report.ok ? 'pass' : 'error') : 'plain');
    outcome = { exitCode: report.exitCode, ok: report.ok, summary: report.verdict, report };
    return outcome;
  } catch (error) {
    outcome = refuse(`compare failed: ${(error as Error).message}`);
    return outcome;
  } finally {
    started.run.finish(outcome);
  }
}
