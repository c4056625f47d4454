// Builds an out-of-tree module with kbuild (also `CLIPPY=1` and `make rust-analyzer`), streaming
// the output, collecting rustc diagnostics on their real files, and explaining common failures.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { explainBuildFailure } from '../kernel/toolchainHint';
import { cacheDirs, cacheRoot } from '../cache/cachePaths';
import { DiagnosticCollector, type KbuildDiagnostic } from './diagnostics';
import { kbuildMakeArgs, type KbuildRequest } from './makeArgs';
import { copyBackModules, copyBackRustProject, kbuildModulePath, RUST_PROJECT_FILE, stagedModuleObjects } from './moduleLink';
import { describeCommand, describeOutcome } from '../process/describe';
import { runProcess } from '../process/runProcess';
import { acquireLock, MODULE_LOCK_WAIT_MS, moduleBuildLockPath } from './moduleLock';

export interface BuildOptions extends KbuildRequest {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each output line, with rustc's `-->` paths rewritten to the real absolute file. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  make?: string;
  /** The caller already holds the module folder's build lock (checkModule holds it across its cache). */
  moduleLockHeld?: boolean;
}

export interface BuildResult {
  ok: boolean;
  command: string;
  durationMs: number;
  diagnostics: KbuildDiagnostic[];
  /** The module objects kbuild produced (absolute paths in the real module folder). */
  modules: string[];
  /** A plain explanation and a fix, when the failure is one we recognise. */
  hint?: string;
  /** How the run ended, e.g. "exit status 2". */
  outcome: string;
  /** The folder kbuild saw as M=: the module folder, or its staging folder (see moduleLink.ts). */
  kbuildDir?: string;
}

export const DEFAULT_BUILD_TIMEOUT_MS = 10 * 60_000;

/** The build cannot start: the kernel or module folder is not there. Not a verdict on the module. */
export class BuildSetupError extends Error {}

export async function buildModule(options: BuildOptions): Promise<BuildResult> {
  const moduleDir = path.resolve(options.moduleDir);
  // Said plainly here rather than left to make ("No such file or directory", exit status 2 as a failed build).
  if (!existsSync(path.join(options.kdir, 'Makefile'))) {
    throw new BuildSetupError(
      `${options.kdir} is not a kernel build folder that make -C can build against (${existsSync(options.kdir) ? 'it has no Makefile' : 'it does not exist'}): pass the folder with --kdir (rfl kernel check --kdir DIR tells what it lacks), or prepare one with rfl kernel prepare --source DIR_OR_TARBALL`,
    );
  }
  if (!existsSync(moduleDir)) throw new BuildSetupError(`the module folder ${moduleDir} does not exist`);
  if (options.moduleLockHeld) return buildLocked(options, moduleDir);
  const release = await acquireLock(moduleBuildLockPath(moduleDir), MODULE_LOCK_WAIT_MS, options.signal);
  try {
    return await buildLocked(options, moduleDir);
  } finally {
    release();
  }
}

/** The build itself, once no other build of the module folder runs. */
async function buildLocked(options: BuildOptions, moduleDir: string): Promise<BuildResult> {
  // For a module folder kbuild cannot take (spaces, shell metacharacters) this is a staging folder
  // with a plain real path holding links to its sources; kbuild's outputs land there and are copied
  // back below. See moduleLink.ts for why (6.13+ kbuild resolves symlinks given as M=).
  const kbuildDir = kbuildModulePath(moduleDir, cacheDirs.links(cacheRoot()));
  const staged = kbuildDir !== moduleDir;
  const target = options.target ?? 'modules';
  const args = kbuildMakeArgs({
    kdir: options.kdir,
    moduleDir: kbuildDir,
    toolchain: options.toolchain,
    outDir: options.outDir,
    clippy: options.clippy ?? false,
    target,
    ...(options.extraMakeArgs ? { extraMakeArgs: options.extraMakeArgs } : {}),
  });
  const make = options.make ?? 'make';
  // kbuild rebuilds only what changed, so a second clippy run would check nothing and pass:
  // drop the objects of the module's Rust files so clippy sees every crate again.
  if (options.clippy) forgetRustObjects(kbuildDir);
  // Never copy back a project file an earlier run left in the staging folder.
  if (staged && target === 'rust-analyzer') rmSync(path.join(kbuildDir, RUST_PROJECT_FILE), { force: true });
  // The copies in the module folder of what `clean` is about to remove from the staging folder.
  const copiedModules =
    staged && target === 'clean' ? stagedModuleObjects(kbuildDir).map((file) => path.join(moduleDir, path.basename(file))) : [];
  const collector = new DiagnosticCollector({
    kdir: options.kdir,
    moduleDir,
    moduleAliases: staged ? [kbuildDir] : [],
    outDir: options.outDir,
  });
  let output = '';
  const onLine = (stream: 'stdout' | 'stderr') => (line: string) => {
    collector.push(line);
    output += `${line}\n`;
    options.onLine?.(collector.rewriteLocation(line), stream);
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  const result = await runProcess(make, args, {
    cwd: moduleDir,
    timeoutMs,
    signal: options.signal,
    onStdoutLine: onLine('stdout'),
    onStderrLine: onLine('stderr'),
  });
  let ok = result.exitCode === 0 && !result.timedOut && !result.cancelled;
  let hint = ok ? undefined : explainBuildFailure(output, options.kdir);
  let outcome = describeOutcome(result, timeoutMs);
  if (ok && staged) {
    try {
      if (target === 'modules') copyBackModules(kbuildDir, moduleDir);
      else if (target === 'rust-analyzer') copyBackRustProject(kbuildDir, moduleDir);
      else for (const file of copiedModules) rmSync(file, { force: true });
    } catch (error) {
      ok = false;
      outcome = `${outcome}, but copying the results from ${kbuildDir} to ${moduleDir} failed`;
      hint = `kbuild built in ${kbuildDir} (the module folder's path has characters kbuild cannot take); copying back failed: ${(error as Error).message}`;
    }
  }
  return {
    ok,
    command: describeCommand(make, args, moduleDir),
    durationMs: result.durationMs,
    diagnostics: collector.diagnostics,
    modules: ok ? listModuleObjects(moduleDir) : [],
    ...(hint ? { hint } : {}),
    outcome,
    kbuildDir,
  };
}

function listModuleObjects(moduleDir: string): string[] {
  return readdirSync(moduleDir)
    .filter((name) => name.endsWith('.ko'))
    .sort()
    .map((name) => path.join(moduleDir, name));
}

function forgetRustObjects(moduleDir: string): void {
  for (const name of readdirSync(moduleDir)) {
    if (name.endsWith('.rs')) rmSync(path.join(moduleDir, `${name.slice(0, -3)}.o`), { force: true });
  }
}
