// The build-and-load settings (`rustForLinux.kernelDir`, `rustForLinux.make.*`, `rustForLinux.load.*`),
// each read through one typed getter and validated: a wrong value is reported with the setting's
// name and falls back to the default instead of reaching make or QEMU. No `vscode` import, so the
// task code and the tests read settings the same way (the editor passes its configuration in).
import os from 'node:os';
import { ACCEL_CHOICES, isAccelChoice, type AccelChoice } from '../core/qemu/accel';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../core/qemu/loadRun';
import { checkModuleParam } from '../core/tasks/load';
import { listChoices } from '../core/tasks/options';
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

  const optionalString = (key: SettingName): string | undefined => {
    const value = source.get(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
      complain(key, `should be a string, not ${describe(value)}`);
      return undefined;
    }
    if (value.includes('\0')) {
      complain(key, 'contains a NUL character');
      return undefined;
    }
    return value.trim() === '' ? undefined : value;
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
  const stringArray = (key: SettingName, check?: (word: string) => string | undefined): string[] => {
    const value = source.get(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      complain(key, `should be an array of strings, not ${describe(value)}`);
      return [];
    }
    const words: string[] = [];
    for (const [index, item] of value.entries()) {
      const problem = typeof item !== 'string' ? `item ${index} should be a string, not ${describe(item)}` : check?.(item);
      if (problem) complain(key, problem);
      else words.push(item as string);
    }
    return words;
  };

  const timeout = source.get(BUILD_LOAD_SETTINGS.loadTimeoutSeconds);
  let loadTimeoutSeconds = DEFAULT_LOAD_TIMEOUT_SECONDS;
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0) loadTimeoutSeconds = timeout;
    else complain(BUILD_LOAD_SETTINGS.loadTimeoutSeconds, `should be a positive number of seconds, not ${describe(timeout)}`);
  }
  const accel = source.get(BUILD_LOAD_SETTINGS.loadAccel);
  let loadAccel: AccelChoice = 'auto';
  if (accel !== undefined && accel !== null) {
    if (isAccelChoice(accel)) loadAccel = accel;
    else complain(BUILD_LOAD_SETTINGS.loadAccel, `should be ${listChoices(ACCEL_CHOICES, '"')}, not ${describe(accel)}`);
  }

  const settings: BuildLoadSettings = {
    kernelDir: pathSetting(BUILD_LOAD_SETTINGS.kernelDir),
    makeExtraArgs: stringArray(BUILD_LOAD_SETTINGS.makeExtraArgs, (word) =>
      word.trim() === '' ? 'contains an empty argument' : word.includes('\0') ? 'contains a NUL character' : undefined,
    ),
    rustc: programSetting(BUILD_LOAD_SETTINGS.rustc),
    bindgen: programSetting(BUILD_LOAD_SETTINGS.bindgen),
    buildDir: pathSetting(BUILD_LOAD_SETTINGS.buildDir),
    loadTimeoutSeconds,
    loadAccel,
    loadParams: stringArray(BUILD_LOAD_SETTINGS.loadParams, (word) =>
      checkModuleParam(word) ? `"${word}" is not NAME=VALUE without spaces` : undefined,
    ),
    loadGuestScript: pathSetting(BUILD_LOAD_SETTINGS.loadGuestScript),
  };
  return { settings, problems };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${JSON.stringify(value)}`;
}
