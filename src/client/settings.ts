// The build-and-load settings (`rustForLinux.kernelDir`, `rustForLinux.make.*`, `rustForLinux.load.*`),
// each read through one typed getter and validated against the JSON schema package.json declares
// for it (ajv, the same rules VS Code's settings editor shows): a wrong value is reported with the setting's
// name and falls back to the default instead of reaching make or QEMU. No `vscode` import, so the
// task code and the tests read settings the same way (the editor passes its configuration in).
import os from 'node:os';
import manifest from '../../package.json';
import type { AccelChoice } from '../core/qemu/accel';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../core/qemu/loadRun';
import { schemaProblems, type JsonSchema } from '../core/schema/jsonSchema';
import { resolveSettingPath } from '../shared/settingPath';

export { resolveSettingPath };

/** Where the values come from: `vscode.workspace.getConfiguration('rustForLinux')` in the editor. */
export interface SettingsSource {
  /** The value of `rustForLinux.<key>`, or undefined when unset. */
  get(key: string): unknown;
}

export const BUILD_LOAD_SETTINGS = {
  kernelDir: 'kernelDir',
  makeExtraArgs: 'make.extraArgs',
  rustc: 'rustc',
  bindgen: 'bindgen',
  buildDir: 'buildDir',
  loadTimeoutSeconds: 'load.timeoutSeconds',
  loadAccel: 'load.accel',
  loadParams: 'load.params',
  loadGuestScript: 'load.guestScript',
} as const;

type SettingName = (typeof BUILD_LOAD_SETTINGS)[keyof typeof BUILD_LOAD_SETTINGS];

/**
 * The settings that name programs, folders or arguments. VS Code ignores their workspace values in
 * an untrusted workspace (package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`,
 * which a test keeps equal to this list), and the tasks refuse to run there at all.
 */
export const RESTRICTED_SETTINGS: readonly string[] = Object.values(BUILD_LOAD_SETTINGS)
  .filter((key) => key !== 'load.timeoutSeconds' && key !== 'load.accel')
  .map((key) => `rustForLinux.${key}`);

/** The JSON schema package.json declares for `rustForLinux.<key>`: what VS Code's settings editor checks, and so do we. */
function settingSchema(key: SettingName): JsonSchema {
  const schema = (manifest.contributes.configuration.properties as Record<string, JsonSchema | undefined>)[`rustForLinux.${key}`];
  if (!schema) throw new Error(`rustForLinux.${key} is not declared in package.json`);
  return schema;
}

export const DEFAULT_LOAD_TIMEOUT_SECONDS = DEFAULT_LOAD_TIMEOUT_MS / 1000;

export interface BuildLoadSettings {
  /** Absolute, or undefined to locate the kernel (RFL_KDIR, an enclosing tree, the running kernel). */
  kernelDir: string | undefined;
  makeExtraArgs: string[];
  rustc: string | undefined;
  bindgen: string | undefined;
  /** `O=`: absolute. */
  buildDir: string | undefined;
  loadTimeoutSeconds: number;
  loadAccel: AccelChoice;
  /** `NAME=VALUE` words for insmod. */
  loadParams: string[];
  /** Absolute. */
  loadGuestScript: string | undefined;
}

export interface SettingProblem {
  /** The full name, e.g. `rustForLinux.load.params`. */
  setting: string;
  message: string;
}

export interface SettingsRead {
  settings: BuildLoadSettings;
  problems: SettingProblem[];
}

/**
 * Reads and validates every build-and-load setting. Relative paths, `~` and `${workspaceFolder}`
 * are resolved against `baseDir` (the workspace folder the task runs in).
 */
export function readBuildLoadSettings(source: SettingsSource, baseDir: string, home: string = os.homedir()): SettingsRead {
  const problems: SettingProblem[] = [];
  const complain = (key: SettingName, message: string) => problems.push({ setting: `rustForLinux.${key}`, message });

  /** The value when it fits the setting's schema in package.json; the items that fit, for an array. */
  const checked = (key: SettingName): unknown => {
    const value = source.get(key);
    if (value === undefined || value === null) return undefined;
    const found = schemaProblems(settingSchema(key), value);
    for (const problem of found) complain(key, problem.path.length > 0 ? `item ${problem.path[0]} ${problem.message}` : problem.message);
    if (found.length === 0) return value;
    if (!Array.isArray(value) || found.some((problem) => problem.path.length === 0)) return undefined;
    const bad = new Set(found.map((problem) => Number(problem.path[0])));
    return value.filter((_, index) => !bad.has(index));
  };
  // A NUL cannot reach exec: said here, as no JSON schema keyword can say it clearly.
  const withoutNul = (key: SettingName, value: string, what = ''): string | undefined => {
    if (!value.includes('\0')) return value;
    complain(key, `${what}contains a NUL character`);
    return undefined;
  };
  const optionalString = (key: SettingName): string | undefined => {
    const value = checked(key) as string | undefined;
    if (value === undefined || value.trim() === '') return undefined;
    return withoutNul(key, value);
  };
  const pathSetting = (key: SettingName): string | undefined => {
    const value = optionalString(key);
    return value === undefined ? undefined : resolveSettingPath(value, baseDir, home);
  };
  /** A program: a bare name is looked up on PATH by make, so only a path with a slash is resolved. */
  const programSetting = (key: SettingName): string | undefined => {
    const value = optionalString(key);
    if (value === undefined) return undefined;
    return /[/\\]|^~|\$\{/.test(value) ? resolveSettingPath(value, baseDir, home) : value;
  };
  const stringArray = (key: SettingName): string[] =>
    ((checked(key) as string[] | undefined) ?? []).flatMap((word, index) => withoutNul(key, word, `item ${index} `) ?? []);

  const settings: BuildLoadSettings = {
    kernelDir: pathSetting(BUILD_LOAD_SETTINGS.kernelDir),
    makeExtraArgs: stringArray(BUILD_LOAD_SETTINGS.makeExtraArgs),
    rustc: programSetting(BUILD_LOAD_SETTINGS.rustc),
    bindgen: programSetting(BUILD_LOAD_SETTINGS.bindgen),
    buildDir: pathSetting(BUILD_LOAD_SETTINGS.buildDir),
    loadTimeoutSeconds: (checked(BUILD_LOAD_SETTINGS.loadTimeoutSeconds) as number | undefined) ?? DEFAULT_LOAD_TIMEOUT_SECONDS,
    loadAccel: (checked(BUILD_LOAD_SETTINGS.loadAccel) as AccelChoice | undefined) ?? 'auto',
    loadParams: stringArray(BUILD_LOAD_SETTINGS.loadParams),
    loadGuestScript: pathSetting(BUILD_LOAD_SETTINGS.loadGuestScript),
  };
  return { settings, problems };
}
