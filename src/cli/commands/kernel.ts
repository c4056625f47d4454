// `rfl kernel check [--kdir DIR]` and `rfl kernel prepare --debian SERIES | --source PATH` (options in
// src/core/tasks/kernel.ts): is this kernel folder usable for Rust modules (and why not, with a
// fix), and build one that is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from '../../core/cache/cachePaths';
import { resolveToolchain, type ToolchainOverrides } from '../../core/toolchain/toolchain';
import { DebianPackageError } from '../../core/debian/aptPackages';
import { prepareTestKernel } from '../../core/debian/prepareTestKernel';
import { checkKernelTree, failedChecks, formatCheck } from '../../core/kernel/checks';
import { locateKernel } from '../../core/kernel/locate';
import { PrepareError } from '../../core/kernel/prepare';
import { EXIT_FAILED, EXIT_OK, EXIT_SETUP } from '../../core/tasks/exitCodes';
import { KERNEL_CHECK_SPEC, KERNEL_PREPARE_SPEC } from '../../core/tasks/kernel';
import { readOptions, secondsToMs, UsageError } from '../../core/tasks/options';
import type { CliCommand, CliIo } from '../command';
import { progressLine } from '../progressLine';

async function check(raw: Readonly<Record<string, unknown>>, _args: string[], io: CliIo): Promise<number> {
  const values = readOptions(KERNEL_CHECK_SPEC.options, raw);
  const located = locateKernel(values.kdir ? path.resolve(io.cwd, values.kdir) : undefined, io.cwd);
  if (!located) throw new UsageError('no kernel folder found: pass --kdir DIR or set RFL_KDIR');
  const checks = checkKernelTree(located.kdir, { needImage: values.image });
  const failed = failedChecks(checks);
  if (values.json) {
    io.stdout(`${JSON.stringify({ kdir: located.kdir, source: located.source, ok: failed.length === 0, checks }, null, 2)}\n`);
  } else {
    io.stdout(`kernel folder ${located.kdir} (${located.source})\n${checks.map(formatCheck).join('\n')}\n`);
  }
  return failed.length === 0 ? EXIT_OK : EXIT_FAILED;
}

/** True when the command line or RFL_* variables name a tool, so no recipe is applied. */
function usesExplicitToolchain(explicit: ToolchainOverrides, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(
    explicit.rustc ??
    explicit.bindgen ??
    explicit.clippyDriver ??
    explicit.rustdoc ??
    env.RFL_RUSTC ??
    env.RFL_BINDGEN ??
    env.RFL_CLIPPY_DRIVER ??
    env.RFL_RUSTDOC,
  );
}

/** The --config file's text, or a usage error that names it (before anything is built). */
function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new UsageError(`cannot read the --config file ${file}: ${why}`);
  }
}

async function prepare(raw: Readonly<Record<string, unknown>>, _args: string[], io: CliIo): Promise<number> {
  const values = readOptions(KERNEL_PREPARE_SPEC.options, raw);
  if (!values.source === !values.debian) throw new UsageError('give one of --debian SERIES (e.g. 6.12) or --source DIR_OR_TARBALL');
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  const root = values.cache ? path.resolve(io.cwd, values.cache) : cacheRoot();
  const explicit: ToolchainOverrides = {
    rustc: values.rustc,
    bindgen: values.bindgen,
    clippyDriver: values.clippyDriver,
    rustdoc: values.rustdoc,
    llvm: values.llvm ? undefined : false,
    makeArgs: values.makeArg,
  };
  const timeoutMs = secondsToMs(values.timeout);
  const extraConfig = values.config === undefined ? undefined : readConfigFile(path.resolve(io.cwd, values.config));
  // On a terminal one progress line replaces make's output (unless --verbose); a log gets both.
  const progress = progressLine(io.stderr, io.stderrIsTerminal === true && !values.verbose);
  const say = (line: string) => progress.message(line);
  const showMake = !values.quiet && (io.stderrIsTerminal !== true || values.verbose);
  try {
    const result = await prepareTestKernel({
      from: values.debian !== undefined ? { series: values.debian } : { source: path.resolve(io.cwd, values.source ?? '') },
      // Explicit tools (options or RFL_* variables) are used as given; otherwise Debian's recipe for
      // the version found in the source. No kernel folder exists yet, so nothing recorded is read.
      ...(usesExplicitToolchain(explicit) ? { toolchain: resolveToolchain('/nonexistent', explicit) } : {}),
      noLlvm: !values.llvm,
      cacheRoot: root,
      extraConfig,
      jobs,
      buildTimeoutMs: timeoutMs,
      onLine: (line) => {
        if (showMake || /^(preparing|prepared|reusing|installing|downloading|waiting) | was damaged /.test(line)) say(line);
      },
      onProgress: (update) => progress.update(update),
    });
    progress.done();
    // The last line of stdout is the folder, so scripts can take it with `tail -n1`.
    io.stdout(`${result.kdir}\n`);
    return EXIT_OK;
  } catch (error) {
    progress.done();
    io.stderr(`rfl kernel prepare: ${(error as Error).message}\n`);
    return error instanceof PrepareError || error instanceof DebianPackageError ? EXIT_FAILED : EXIT_SETUP;
  }
}

export const kernelCheckCommand: CliCommand = { spec: KERNEL_CHECK_SPEC, run: check };
export const kernelPrepareCommand: CliCommand = { spec: KERNEL_PREPARE_SPEC, run: prepare };
