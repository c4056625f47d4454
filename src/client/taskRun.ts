// Runs one planned task through the core (buildModule / loadModule, which start make and QEMU from
// argument arrays in their own process groups) and writes what happens, line by line, to a sink:
// the build output, the live serial console, notes, and at the end the verdict. Returns the exit
// code the task ends with. No `vscode` import: the pseudoterminal is one sink, a test is another.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { buildModule, type BuildOptions, type BuildResult } from '../core/kbuild/build';
import { formatDiagnostic } from '../core/kbuild/diagnostics';
import { formatVerdict } from '../core/qemu/formatVerdict';
import { LoadSetupError, loadModule, type LoadEvent, type LoadOptions } from '../core/qemu/loadRun';
import type { LoadVerdict } from '../core/qemu/verdict';
import type { KbuildPlan, LoadPlan, TaskPlan } from './taskDefinition';

/** Exit codes, as `rfl` uses them. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_SETUP = 2;

export interface TaskOutcome {
  exitCode: number;
  ok: boolean;
  summary: string;
}

export interface OutputSink {
  /** One line of output, without its newline. */
  line(text: string, style?: LineStyle): void;
}

/** How a line is shown: `info` for rfl's own progress, `error`/`pass` for the closing lines. */
export type LineStyle = 'plain' | 'info' | 'error' | 'pass';

export interface CoreCalls {
  buildModule: (options: BuildOptions) => Promise<BuildResult>;
  loadModule: (options: LoadOptions) => Promise<LoadVerdict>;
}

const realCore: CoreCalls = { buildModule, loadModule };

export async function runTaskPlan(plan: TaskPlan, sink: OutputSink, signal: AbortSignal, core: CoreCalls = realCore): Promise<TaskOutcome> {
  sink.line(`rfl: ${plan.command} ${plan.moduleDir}`, 'info');
  sink.line(`rfl: kernel ${plan.kdir} (${describeKernelSource(plan.kernelSource)})`, 'info');
  try {
    return plan.command === 'load' ? await runLoad(plan, sink, signal, core) : await runKbuild(plan, sink, signal, core);
  } catch (error) {
    // Setup problems (an unusable kernel folder, make or QEMU missing) are not a verdict on the
    // module: exit status 2, like `rfl`, with the core's message, which names what it ran.
    const message = error instanceof Error ? error.message : String(error);
    const summary = error instanceof LoadSetupError ? `cannot run: ${message}` : `${plan.command} could not run: ${message}`;
    for (const text of summary.split('\n')) sink.line(text, 'error');
    return { exitCode: EXIT_SETUP, ok: false, summary: summary.split('\n')[0] ?? summary };
  }
}

async function runLoad(plan: LoadPlan, sink: OutputSink, signal: AbortSignal, core: CoreCalls): Promise<TaskOutcome> {
  const verdict = await core.loadModule({
    kdir: plan.kdir,
    moduleDir: plan.moduleDir,
    toolchain: plan.toolchain,
    outDir: plan.outDir,
    params: plan.params,
    guestScript: plan.guestScript,
    accel: plan.accel,
    timeoutMs: plan.timeoutMs,
    signal,
    onEvent: (event) => writeLoadEvent(event, sink),
  });
  for (const text of formatVerdict(verdict).split('\n')) sink.line(text, verdictLineStyle(text, verdict));
  return { exitCode: verdict.exitCode, ok: verdict.ok, summary: verdict.summary };
}

export function writeLoadEvent(event: LoadEvent, sink: OutputSink): void {
  if (event.type === 'output') sink.line(event.line);
  else if (event.type === 'note') sink.line(`rfl: note: ${event.message}`, 'info');
  else if (event.status === 'start' && event.phase !== 'verdict') sink.line(`rfl: ${event.phase}...`, 'info');
}

function verdictLineStyle(text: string, verdict: LoadVerdict): LineStyle {
  if (!text.startsWith('== ')) return 'plain';
  return verdict.ok ? 'pass' : 'error';
}

async function runKbuild(plan: KbuildPlan, sink: OutputSink, signal: AbortSignal, core: CoreCalls): Promise<TaskOutcome> {
  const result = await core.buildModule({
    kdir: plan.kdir,
    moduleDir: plan.moduleDir,
    toolchain: plan.toolchain,
    outDir: plan.outDir,
    clippy: plan.command === 'clippy',
    target: plan.command === 'rust-analyzer' ? 'rust-analyzer' : 'modules',
    ...(plan.timeoutMs ? { timeoutMs: plan.timeoutMs } : {}),
    signal,
    // Lines come with rustc's `-->` paths made absolute, which the $rfl-rustc matcher relies on.
    onLine: (line) => sink.line(line),
  });
  const seconds = (result.durationMs / 1000).toFixed(1);
  if (!result.ok) {
    sink.line(`rfl: ${result.command} failed (${result.outcome}) after ${seconds} s`, 'error');
    for (const diagnostic of result.diagnostics.filter((d) => d.severity === 'error')) sink.line(`  ${formatDiagnostic(diagnostic)}`, 'error');
    if (result.hint) for (const text of result.hint.split('\n')) sink.line(text, 'error');
    const summary = result.outcome === 'cancelled' ? `${plan.command}: cancelled` : `${plan.command} failed (${result.outcome})`;
    return { exitCode: EXIT_FAILED, ok: false, summary };
  }
  if (plan.command === 'rust-analyzer') {
    const project = rustProjectFile(plan.moduleDir);
    if (!existsSync(project)) {
      const summary = `make rust-analyzer ended well but wrote no ${project}`;
      sink.line(`rfl: ${summary}`, 'error');
      return { exitCode: EXIT_FAILED, ok: false, summary };
    }
    sink.line(`rfl: rust-analyzer project written: ${project}`, 'pass');
    return { exitCode: EXIT_OK, ok: true, summary: `rust-project.json written in ${seconds} s` };
  }
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  const built = result.modules.map((file) => path.basename(file)).join(', ');
  const counted = warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : '';
  // Like `rfl clippy`: a clippy run passes only without findings, so CI and the button agree.
  const ok = plan.command === 'clippy' ? warnings === 0 : true;
  const summary = `${plan.command} ${ok ? 'ok' : 'found problems'} in ${seconds} s${built ? `: ${built}` : ''}${counted}`;
  sink.line(`rfl: ${summary}`, ok ? 'pass' : 'error');
  return { exitCode: ok ? EXIT_OK : EXIT_FAILED, ok, summary };
}

/** Where `make M=DIR rust-analyzer` writes the project file. */
export function rustProjectFile(moduleDir: string): string {
  return path.join(moduleDir, 'rust-project.json');
}

function describeKernelSource(source: TaskPlan['kernelSource']): string {
  switch (source) {
    case 'setting':
      return 'from the rustForLinux.kernelDir setting';
    case 'task':
      return 'from the task\'s "kernelDir"';
    case 'environment':
      return 'from RFL_KDIR';
    case 'enclosing tree':
      return 'the kernel tree that holds the module';
    case 'running kernel':
      return 'the running kernel\'s build folder; set rustForLinux.kernelDir to choose another';
    case 'option':
      return 'given';
  }
}
