// `load`: build the module, boot the kernel in QEMU with it, load it, run the guest script, unload
// it, and give a verdict. The options (with the kbuild ones), the module-parameter rule, and the
// run itself with its exit code; the CLI prints the verdict as text or JSON, the VS Code task in
// colour.
import manifest from '../../../package.json';
import { DEFAULT_BUILD_TIMEOUT_MS } from '../kbuild/build';
import { formatVerdict } from '../qemu/formatVerdict';
import { DEFAULT_LOAD_TIMEOUT_MS, LoadSetupError, loadModule, type LoadEvent, type LoadOptions } from '../qemu/loadRun';
import type { LoadVerdict } from '../qemu/verdict';
import { ACCEL_OPTION, KBUILD_OPTIONS, MODULE_DIR_ARGUMENT, cannotRun } from './kbuild';
import { positiveSeconds, type CommandSpec, type OptionSpec } from './options';
import type { LineStyle, OutputSink, TaskOutcome } from './output';

/**
 * A module parameter as finit_module takes it: one word, `name=value`. Declared once, as the
 * `pattern` of package.json's `rustForLinux.load.params` schema, which VS Code's settings editor
 * checks too (the task definition's `params` repeat it; test/unit/cliHelp.test.ts keeps them equal).
 */
export const MODULE_PARAM_PATTERN = new RegExp(manifest.contributes.configuration.properties['rustForLinux.load.params'].items.pattern);

export function checkModuleParam(value: string): string | undefined {
  return MODULE_PARAM_PATTERN.test(value) ? undefined : `wants NAME=VALUE without spaces, not "${value}"`;
}

export const LOAD_OPTIONS = [
  ...KBUILD_OPTIONS,
  {
    flag: 'timeout',
    value: 'S',
    help: `time limit for the VM in seconds (default ${DEFAULT_LOAD_TIMEOUT_MS / 1000})`,
    check: positiveSeconds,
    taskField: 'timeout',
  },
  {
    flag: 'build-timeout',
    value: 'S',
    help: `time limit for the build in seconds (default ${DEFAULT_BUILD_TIMEOUT_MS / 1000})`,
    check: positiveSeconds,
  },
  { ...ACCEL_OPTION, taskField: 'accel' },
  {
    flag: 'param',
    value: 'NAME=VALUE',
    repeatable: true,
    help: 'module parameter for the modules under test (repeatable)',
    check: checkModuleParam,
    taskField: 'params',
  },
  { flag: 'module', value: 'NAME', repeatable: true, help: 'load only this module of the folder (repeatable)' },
  {
    flag: 'guest-script',
    value: 'FILE',
    help: 'busybox sh script to run in the guest while the module is loaded',
    taskField: 'guestScript',
  },
  { flag: 'append', value: 'WORD', repeatable: true, help: 'extra kernel command-line word, e.g. panic_on_warn=1 (repeatable)' },
  { flag: 'no-build', help: 'load the .ko files already built' },
  { flag: 'json', help: 'print the verdict as JSON instead of text' },
  { flag: 'quiet', help: 'do not stream the build output and console' },
  { flag: 'keep', help: 'keep the run folder (initramfs, /init) and print its path' },
] as const satisfies readonly OptionSpec[];

export const LOAD_SPEC = {
  name: 'load',
  summary: 'build a module, load and unload it in QEMU, and report a verdict',
  description:
    'Builds the module in MODULE_DIR, boots the kernel of --kdir in QEMU with it in a fresh initramfs, loads it (dependencies first), ' +
    "runs --guest-script, unloads it, and reports: build, boot, insmod (with the errno), the module's log lines, any " +
    'panic/oops/BUG/WARN/KASAN report with its call trace, rmmod, and the time of each phase.',
  arguments: [MODULE_DIR_ARGUMENT],
  options: LOAD_OPTIONS,
  exitStatus:
    '0 clean load and unload, 1 any bad outcome (build, boot, insmod errno, panic/oops/BUG/WARN, rmmod, timeout), 2 usage error or unusable kernel folder',
} as const satisfies CommandSpec;

/** Progress of a load run as lines: the build output and console plain, rfl's phases as info. */
export function writeLoadEvent(event: LoadEvent, sink: OutputSink): void {
  if (event.type === 'output') sink.line(event.line);
  else if (event.type === 'note') sink.line(`rfl: note: ${event.message}`, 'note');
  else if (event.status === 'start' && event.phase !== 'verdict') sink.line(`rfl: ${event.phase}...`, 'info');
}

/** The verdict as lines, the `== ` headline styled by how the run went. */
export function verdictLines(verdict: LoadVerdict): { text: string; style: LineStyle }[] {
  return formatVerdict(verdict)
    .split('\n')
    .map((text) => ({ text, style: !text.startsWith('== ') ? 'plain' : verdict.ok ? 'pass' : 'error' }));
}

export interface LoadRun {
  outcome: TaskOutcome;
  /** Absent when the run could not start (the outcome says why). */
  verdict?: LoadVerdict;
}

/** Runs one load; the verdict's exit code is the run's. A setup problem ends with EXIT_SETUP. */
export async function runLoad(
  options: Omit<LoadOptions, 'onEvent'>,
  sink: OutputSink,
  load: (options: LoadOptions) => Promise<LoadVerdict> = loadModule,
): Promise<LoadRun> {
  try {
    const verdict = await load({ ...options, onEvent: (event) => writeLoadEvent(event, sink) });
    return { outcome: { exitCode: verdict.exitCode, ok: verdict.ok, summary: verdict.summary }, verdict };
  } catch (error) {
    return { outcome: cannotRun('load', error, sink, error instanceof LoadSetupError ? 'cannot run: ' : undefined) };
  }
}
