// The `rust-for-linux` task definition (declared in package.json `taskDefinitions`) and how one,
// together with the settings, becomes the options of a core call. A tasks.json entry is checked
// against package.json's schema for it, so a typo there ends in a message that names the field, not
// in a make error.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import manifest from '../../package.json';
import type { AccelChoice } from '../core/qemu/accel';
import { resolveToolchain, type Toolchain, type ToolchainOverrides } from '../core/toolchain/toolchain';
import { locateKernel, type LocatedKernel } from '../core/kernel/locate';
import { TASK_COMMAND_NAMES, type TaskCommand } from '../core/tasks';
import { describeValue, schemaProblems, type JsonSchema } from '../core/schema/jsonSchema';
import { resolveSettingPath, type BuildLoadSettings } from './settings';

export const TASK_TYPE = 'rust-for-linux';
export const RFL_COMMANDS: readonly TaskCommand[] = TASK_COMMAND_NAMES;
export type RflCommand = TaskCommand;

export interface RflTaskDefinition {
  type: typeof TASK_TYPE;
  command: RflCommand;
  /** Relative to the workspace folder, or absolute; default: the workspace folder. */
  moduleDir?: string;
  kernelDir?: string;
  /** Seconds: the VM's limit for `load`, the build's for the others. */
  timeout?: number;
  accel?: AccelChoice;
  params?: string[];
  guestScript?: string;
  makeArgs?: string[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** package.json's `taskDefinitions` entry as a JSON schema (its `type` is the task type, not a schema keyword). */
const TASK_SCHEMA: JsonSchema = (() => {
  const declared = manifest.contributes.taskDefinitions.find((entry) => entry.type === TASK_TYPE);
  if (!declared) throw new Error(`package.json declares no "${TASK_TYPE}" task definition`);
  return { type: 'object', required: declared.required, properties: declared.properties };
})();

/**
 * Validates a definition as VS Code hands it over (from tasks.json, so anything may be in it) against
 * the schema package.json declares for it, which is also what VS Code checks tasks.json with.
 */
export function parseTaskDefinition(raw: unknown): Checked<RflTaskDefinition> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'the task definition is not an object' };
  const record = raw as Record<string, unknown>;
  if (record.type !== TASK_TYPE) return { ok: false, error: `"type" should be "${TASK_TYPE}", not ${describeValue(record.type)}` };
  const [problem] = schemaProblems(TASK_SCHEMA, raw);
  if (problem)
    return {
      ok: false,
      error: problem.path.length > 0 ? `"${problem.path[0]}" ${problem.message}` : `the task definition ${problem.message}`,
    };
  const nul = Object.entries(record).find(([, value]) => [value].flat().some((item) => typeof item === 'string' && item.includes('\0')));
  if (nul) return { ok: false, error: `"${nul[0]}" contains a NUL character` };
  const definition: RflTaskDefinition = { type: TASK_TYPE, command: record.command as RflCommand };
  for (const field of ['moduleDir', 'kernelDir', 'guestScript', 'timeout', 'accel'] as const) {
    if (record[field] !== undefined) Object.assign(definition, { [field]: record[field] });
  }
  for (const field of ['params', 'makeArgs'] as const) {
    if (record[field] !== undefined) definition[field] = [...(record[field] as string[])];
  }
  return { ok: true, value: definition };
}

/** The definition VS Code shows and stores for a provided task: moduleDir relative, omitted at the root. */
export function definitionFor(command: RflCommand, workspaceFolder: string, moduleDir: string): RflTaskDefinition {
  const relative = path.relative(workspaceFolder, moduleDir);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  const definition: RflTaskDefinition = { type: TASK_TYPE, command };
  if (relative !== '') definition.moduleDir = inside ? relative.split(path.sep).join('/') : moduleDir;
  return definition;
}

/** `load hello` / `load` (module at the workspace root). */
export function taskName(definition: RflTaskDefinition): string {
  return definition.moduleDir ? `${definition.command} ${definition.moduleDir}` : definition.command;
}

interface PlanBase {
  moduleDir: string;
  kdir: string;
  /** How the kernel folder was chosen, said in the terminal. */
  kernelSource: LocatedKernel['source'] | 'setting' | 'task';
  toolchain: Toolchain;
  outDir: string | undefined;
  timeoutMs: number | undefined;
}

export interface KbuildPlan extends PlanBase {
  command: 'build' | 'clippy' | 'rust-analyzer';
}

export interface LoadPlan extends PlanBase {
  command: 'load';
  timeoutMs: number;
  accel: AccelChoice;
  /** `a=1 b=2`, as finit_module takes them. */
  params: string;
  guestScript: string | undefined;
}

export type TaskPlan = KbuildPlan | LoadPlan;

export interface PlanDependencies {
  locateKernel: (explicit: string | undefined, moduleDir: string) => LocatedKernel | undefined;
  resolveToolchain: (kdir: string, overrides: ToolchainOverrides) => Toolchain;
  isDirectory: (dir: string) => boolean;
}

const defaultDependencies: PlanDependencies = {
  locateKernel: (explicit, moduleDir) => locateKernel(explicit, moduleDir),
  resolveToolchain: (kdir, overrides) => resolveToolchain(kdir, overrides),
  isDirectory: (dir) => existsSync(dir) && statSync(dir).isDirectory(),
};

/**
 * The options of the core call for a task: the task's own fields win over the settings (they are
 * more specific); extra make arguments add up, settings first.
 */
export function planTask(
  definition: RflTaskDefinition,
  settings: BuildLoadSettings,
  workspaceFolder: string,
  dependencies: PlanDependencies = defaultDependencies,
): Checked<TaskPlan> {
  const moduleDir = definition.moduleDir ? resolveSettingPath(definition.moduleDir, workspaceFolder) : workspaceFolder;
  if (!dependencies.isDirectory(moduleDir)) return { ok: false, error: `the module folder ${moduleDir} does not exist` };

  let kdir: string;
  let kernelSource: PlanBase['kernelSource'];
  if (definition.kernelDir) {
    kdir = resolveSettingPath(definition.kernelDir, workspaceFolder);
    kernelSource = 'task';
  } else if (settings.kernelDir) {
    kdir = settings.kernelDir;
    kernelSource = 'setting';
  } else {
    const located = dependencies.locateKernel(undefined, moduleDir);
    if (!located) {
      return {
        ok: false,
        error:
          'no kernel build folder: set "rustForLinux.kernelDir" (or "kernelDir" in the task, or RFL_KDIR); ' +
          '"rfl kernel prepare --source /usr/src/linux-source-6.12.tar.xz" builds one and prints its path',
      };
    }
    kdir = located.kdir;
    kernelSource = located.source;
  }

  const toolchain = dependencies.resolveToolchain(kdir, {
    rustc: settings.rustc,
    bindgen: settings.bindgen,
    makeArgs: [...settings.makeExtraArgs, ...(definition.makeArgs ?? [])],
  });
  const timeoutMs = definition.timeout === undefined ? undefined : definition.timeout * 1000;
  const base = { moduleDir, kdir, kernelSource, toolchain, outDir: settings.buildDir };
  if (definition.command !== 'load') return { ok: true, value: { ...base, command: definition.command, timeoutMs } };
  return {
    ok: true,
    value: {
      ...base,
      command: 'load',
      timeoutMs: timeoutMs ?? settings.loadTimeoutSeconds * 1000,
      accel: definition.accel ?? settings.loadAccel,
      params: (definition.params ?? settings.loadParams).join(' '),
      guestScript: definition.guestScript ? resolveSettingPath(definition.guestScript, workspaceFolder) : settings.loadGuestScript,
    },
  };
}
