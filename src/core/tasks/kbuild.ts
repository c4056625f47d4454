// The commands that run kbuild on a module folder: build, clippy and rust-analyzer (`rfl build
// --rust-analyzer` on the command line), the options they share with load, and the closing lines
// and exit code of a kbuild run, the same in the terminal and in a VS Code task.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildModule, type BuildOptions, type BuildResult } from '../kbuild/build';
import { ACCEL_CHOICES } from '../qemu/accel';
import { formatDiagnostic } from '../kbuild/diagnostics';
import { RUST_PROJECT_FILE } from '../kbuild/moduleLink';
import { resolveToolchain, type Toolchain } from '../toolchain/toolchain';
import { locateKernel } from '../kernel/locate';
import { EXIT_FAILED, EXIT_OK, EXIT_SETUP } from './exitCodes';
import { positiveSeconds, secondsToMs, UsageError, type ArgumentSpec, type OptionSpec, type OptionValues } from './options';
import type { OutputSink, TaskOutcome } from './output';

export const MODULE_DIR_ARGUMENT = {
  name: 'MODULE_DIR',
  help: 'the module folder (default: the current folder)',
  taskField: 'moduleDir',
} as const satisfies ArgumentSpec;

/** `--accel` of every command that boots the kernel (load, test, compare). */
export const ACCEL_OPTION = {
  flag: 'accel',
  value: 'MODE',
  help: 'auto (default: KVM only if it boots, else TCG), kvm or tcg',
  default: 'auto',
  choices: ACCEL_CHOICES,
} as const satisfies OptionSpec;

/** The kernel and toolchain options of every kbuild command (build, clippy, load). */
export const KBUILD_OPTIONS = [
  {
    flag: 'kdir',
    value: 'DIR',
    help: 'kernel build folder (default: $RFL_KDIR, an enclosing kernel tree, or /lib/modules/$(uname -r)/build)',
    taskField: 'kernelDir',
  },
  { flag: 'out-dir', value: 'DIR', help: "the kernel's O= build folder, when it was built out of tree" },
  {
    flag: 'rustc',
    value: 'PATH',
    help: 'rustc that built the kernel (also $RFL_RUSTC; default: the one "rfl kernel prepare" recorded in the kernel folder)',
  },
  { flag: 'bindgen', value: 'PATH', help: 'bindgen (also $RFL_BINDGEN)' },
  { flag: 'clippy-driver', value: 'PATH', help: 'clippy-driver matching rustc (also $RFL_CLIPPY_DRIVER)' },
  { flag: 'rustdoc', value: 'PATH', help: 'rustdoc matching rustc (also $RFL_RUSTDOC)' },
  { flag: 'make-arg', value: 'ARG', repeatable: true, help: 'extra make argument, e.g. KCFLAGS=-g (repeatable)', taskField: 'makeArgs' },
  { flag: 'no-llvm', help: 'build without LLVM=1' },
] as const satisfies readonly OptionSpec[];

export const BUILD_TIMEOUT_OPTION = {
  flag: 'timeout',
  value: 'S',
  help: 'time limit in seconds',
  check: positiveSeconds,
  taskField: 'timeout',
} as const satisfies OptionSpec;

export type KbuildValues = OptionValues<typeof KBUILD_OPTIONS>;

/** What a kbuild run needs, however it was asked for. */
export interface KbuildContext {
  kdir: string;
  moduleDir: string;
  outDir: string | undefined;
  toolchain: Toolchain;
  timeoutMs: number | undefined;
}

/** The context from command-line values; paths are relative to `cwd`. */
export function kbuildContext(
  values: KbuildValues & { timeout: string | undefined },
  moduleDirArgument: string | undefined,
  cwd: string,
): KbuildContext {
  const moduleDir = path.resolve(cwd, moduleDirArgument ?? '.');
  const located = locateKernel(values.kdir ? path.resolve(cwd, values.kdir) : undefined, moduleDir);
  if (!located) {
    throw new UsageError(
      'no kernel build folder found: pass --kdir DIR (or set RFL_KDIR); "rfl kernel prepare --source TARBALL" builds one',
    );
  }
  const toolchain = resolveToolchain(located.kdir, {
    rustc: values.rustc,
    bindgen: values.bindgen,
    clippyDriver: values.clippyDriver,
    rustdoc: values.rustdoc,
    ...(values.llvm ? {} : { llvm: false }),
    makeArgs: values.makeArg,
  });
  return {
    kdir: located.kdir,
    moduleDir,
    outDir: values.outDir ? path.resolve(cwd, values.outDir) : undefined,
    toolchain,
    timeoutMs: secondsToMs(values.timeout),
  };
}

export type KbuildCommand = 'build' | 'clippy' | 'rust-analyzer';

/** Where `make M=DIR rust-analyzer` writes the project file. */
export function rustProjectFile(moduleDir: string): string {
  return path.join(moduleDir, RUST_PROJECT_FILE);
}

/**
 * Runs kbuild for `command`, streaming its output (rustc's `-->` paths made absolute, which the
 * `$rfl-rustc` problem matcher relies on), then writes the closing lines and says how it ended:
 * build passes when make does, clippy only without warnings (so CI and the editor agree),
 * rust-analyzer when it wrote rust-project.json. A run that cannot start ends with EXIT_SETUP.
 */
export async function runKbuild(
  command: KbuildCommand,
  context: KbuildContext,
  sink: OutputSink,
  signal?: AbortSignal,
  build: (options: BuildOptions) => Promise<BuildResult> = buildModule,
): Promise<TaskOutcome> {
  let result: BuildResult;
  try {
    result = await build({
      kdir: context.kdir,
      moduleDir: context.moduleDir,
      toolchain: context.toolchain,
      outDir: context.outDir,
      clippy: command === 'clippy',
      target: command === 'rust-analyzer' ? 'rust-analyzer' : 'modules',
      timeoutMs: context.timeoutMs,
      signal,
      onLine: (line, stream) => sink.line(line, 'plain', stream),
    });
  } catch (error) {
    return cannotRun(command, error, sink);
  }
  return kbuildOutcome(command, context.moduleDir, result, sink);
}

/** The closing lines of a kbuild run and its outcome. */
export function kbuildOutcome(command: KbuildCommand, moduleDir: string, result: BuildResult, sink: OutputSink): TaskOutcome {
  const seconds = (result.durationMs / 1000).toFixed(1);
  if (!result.ok) {
    sink.line(`rfl: ${result.command} failed (${result.outcome}) after ${seconds} s`, 'error');
    for (const diagnostic of result.diagnostics.filter((d) => d.severity === 'error'))
      sink.line(`  ${formatDiagnostic(diagnostic)}`, 'error');
    if (result.hint) for (const text of result.hint.split('\n')) sink.line(text, 'error');
    const summary = result.outcome === 'cancelled' ? `${command}: cancelled` : `${command} failed (${result.outcome})`;
    return { exitCode: EXIT_FAILED, ok: false, summary };
  }
  if (command === 'rust-analyzer') {
    const project = rustProjectFile(moduleDir);
    if (!existsSync(project)) {
      const summary = `make rust-analyzer ended well but wrote no ${project}`;
      sink.line(`rfl: ${summary}`, 'error');
      return { exitCode: EXIT_FAILED, ok: false, summary };
    }
    sink.line(`rfl: rust-analyzer project written: ${project}`, 'pass');
    return { exitCode: EXIT_OK, ok: true, summary: `${RUST_PROJECT_FILE} written in ${seconds} s` };
  }
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
  const built = result.modules.map((file) => path.basename(file)).join(', ');
  const counted = warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : '';
  const ok = command === 'clippy' ? warnings === 0 : true;
  const summary = `${command} ${ok ? 'ok' : 'found problems'} in ${seconds} s${built ? `: ${built}` : ''}${counted}`;
  sink.line(`rfl: ${summary}`, ok ? 'pass' : 'error');
  return { exitCode: ok ? EXIT_OK : EXIT_FAILED, ok, summary };
}

/**
 * A run that could not start (an unusable kernel folder, make or QEMU missing) is no verdict on the
 * module: EXIT_SETUP, with the core's message, which names what it ran.
 */
export function cannotRun(command: string, error: unknown, sink: OutputSink, prefix = `${command} could not run: `): TaskOutcome {
  const message = error instanceof Error ? error.message : String(error);
  const summary = `${prefix}${message}`;
  for (const text of summary.split('\n')) sink.line(text, 'error');
  return { exitCode: EXIT_SETUP, ok: false, summary: summary.split('\n')[0] ?? summary };
}
