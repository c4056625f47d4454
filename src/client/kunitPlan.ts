// What a Test Explorer run of one module needs, from the same settings and kernel lookup as the
// `load` task (kernel folder, toolchain, VM timeout, acceleration), plus the KUnit filter for the
// items asked for. No `vscode` import, so it is tested directly.
import { filterForSelection } from '../core/kunit/filter';
import type { TestRunOptions } from '../core/kunit/runTests';
import { readBuildLoadSettings, type SettingsSource } from './settings';
import { planTask, type Checked, type PlanDependencies } from './taskDefinition';

export interface KunitSelection {
  suite: string;
  case?: string;
}

export function planKunitRun(
  moduleDir: string,
  workspaceFolder: string,
  settings: SettingsSource,
  selection: readonly KunitSelection[],
  dependencies?: PlanDependencies,
): Checked<Omit<TestRunOptions, 'signal' | 'onEvent'>> {
  const read = readBuildLoadSettings(settings, workspaceFolder);
  if (read.problems.length > 0)
    return { ok: false, error: read.problems.map((problem) => `${problem.setting} ${problem.message}`).join('; ') };
  const planned = planTask({ type: 'rust-for-linux', command: 'load', moduleDir }, read.settings, workspaceFolder, dependencies);
  if (!planned.ok) return planned;
  const plan = planned.value;
  if (plan.command !== 'load') return { ok: false, error: 'internal: a load plan was expected' };
  const filter = filterForSelection(selection);
  return {
    ok: true,
    value: {
      kdir: plan.kdir,
      moduleDir: plan.moduleDir,
      toolchain: plan.toolchain,
      outDir: plan.outDir,
      timeoutMs: plan.timeoutMs,
      accel: plan.accel,
      ...(filter ? { filter } : {}),
    },
  };
}
