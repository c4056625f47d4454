// Runs one planned task through the task layer (runKbuild / runLoad in src/core/tasks, which start
// make and QEMU from argument arrays in their own process groups) and writes what happens, line by
// line, to a sink: the build output, the live serial console, notes, and at the end the verdict.
// Returns the outcome the task ends with. No `vscode` import: the pseudoterminal is one sink, a test
// is another.
import type { BuildOptions, BuildResult } from '../core/kbuild/build';
import { buildModule } from '../core/kbuild/build';
import { loadModule, type LoadOptions } from '../core/qemu/loadRun';
import type { LoadVerdict } from '../core/qemu/verdict';
import { runKbuild } from '../core/tasks/kbuild';
import { runLoad, verdictLines } from '../core/tasks/load';
import type { OutputSink, TaskOutcome } from '../core/tasks/output';
import type { TaskPlan } from './taskDefinition';

export interface CoreCalls {
  buildModule: (options: BuildOptions) => Promise<BuildResult>;
  loadModule: (options: LoadOptions) => Promise<LoadVerdict>;
}

const realCore: CoreCalls = { buildModule, loadModule };

export async function runTaskPlan(plan: TaskPlan, sink: OutputSink, signal: AbortSignal, core: CoreCalls = realCore): Promise<TaskOutcome> {
  sink.line(`rfl: ${plan.command} ${plan.moduleDir}`, 'info');
  sink.line(`rfl: kernel ${plan.kdir} (${describeKernelSource(plan.kernelSource)})`, 'info');
  if (plan.command !== 'load') return runKbuild(plan.command, plan, sink, signal, core.buildModule);
  const { outcome, verdict } = await runLoad(
    {
      kdir: plan.kdir,
      moduleDir: plan.moduleDir,
      toolchain: plan.toolchain,
      outDir: plan.outDir,
      params: plan.params,
      guestScript: plan.guestScript,
      accel: plan.accel,
      timeoutMs: plan.timeoutMs,
      signal,
    },
    sink,
    core.loadModule,
  );
  if (verdict) for (const { text, style } of verdictLines(verdict)) sink.line(text, style);
  return outcome;
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
      return "the running kernel's build folder; set rustForLinux.kernelDir to choose another";
    case 'option':
      return 'given';
  }
}
