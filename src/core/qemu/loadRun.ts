// One build-and-load run: check the kernel tree, build the module, write an initramfs, boot QEMU
// (KVM only when it really boots, else TCG, said out loud), read the console, and return the
// verdict. Progress and the live console go to onEvent, so a terminal, a VS Code pseudoterminal or
// a test can follow along; an AbortSignal cancels and kills the VM at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildModule } from '../kbuild/build';
import { cacheDirs, cacheRoot as defaultCacheRoot } from '../cache/cachePaths';
import { kbuildModulePath } from '../kbuild/moduleLink';
import { makeTempDir } from '../process/liveWork';
import type { Toolchain } from '../toolchain/toolchain';
import { BZIMAGE, checkKernelTree, failedChecks, formatCheck } from '../kernel/checks';
import { DEFAULT_KVM_PROBE_MS, planAccel, rememberKvmFailure, type AccelChoice } from './accel';
import { ConsoleParser } from './consoleParser';
import { demangleLines } from './demangle';
import { ensureFinsmod } from './finsmod';
import { writeInitramfs } from './initramfs';
import { judge } from './judge';
import { resolveLoadOrder } from './moduleInfo';
import type { Accel } from './qemuArgs';
import type { LoadVerdict } from './verdict';
import { startVm, type VmResult } from './vm';
import { EXIT_FAILED } from '../exitCodes';

export type LoadPhase = 'check' | 'build' | 'initramfs' | 'boot' | 'verdict';

export type LoadEvent =
  | { type: 'phase'; phase: LoadPhase; status: 'start' | 'end'; ok?: boolean; durationMs?: number }
  /** A line of build output (paths resolved) or of the guest console. */
  | { type: 'output'; source: 'build' | 'console'; line: string; elapsedMs?: number }
  /** Something the user should know that is not an error (e.g. the KVM fallback). */
  | { type: 'note'; message: string };

export interface LoadOptions {
  kdir: string;
  moduleDir: string;
  toolchain: Toolchain;
  outDir?: string | undefined;
  /** Build before loading (default true). */
  build?: boolean;
  /** Names of the modules to load (default: every .ko in the module folder). */
  modules?: readonly string[];
  /** finit_module parameters for the modules under test, e.g. `count=3`. */
  params?: string;
  /** A script run in the guest (busybox sh) between insmod and rmmod. */
  guestScript?: string | undefined;
  accel?: AccelChoice;
  /** Limit for the VM part of the run (boot to exit). */
  timeoutMs?: number;
  buildTimeoutMs?: number;
  kvmProbeMs?: number;
  /** Extra kernel command-line words. */
  append?: readonly string[];
  memoryMiB?: number;
  signal?: AbortSignal;
  onEvent?: (event: LoadEvent) => void;
  cacheRoot?: string;
  /** Keep the run folder (initramfs, /init) for inspection. */
  keepRunDir?: boolean;
}

/** Setup problems (no kernel, nothing built) that are not a verdict on the module: exit status 2. */
export class LoadSetupError extends Error {}

export const DEFAULT_LOAD_TIMEOUT_MS = 60_000;
/** After /init says done, the guest gets this long to reboot before it is killed. */
const EXIT_GRACE_MS = 5000;
const CONSOLE_TAIL_LINES = 30;

export async function loadModule(options: LoadOptions): Promise<LoadVerdict> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  const root = options.cacheRoot ?? defaultCacheRoot();
  const moduleDir = path.resolve(options.moduleDir);
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;

  // Before anything is built: a missing script would otherwise be found only at the initramfs step.
  if (options.guestScript !== undefined && !isFile(options.guestScript)) {
    throw new LoadSetupError(
      `the guest script ${path.resolve(options.guestScript)} ${existsSync(options.guestScript) ? 'is not a file' : 'does not exist'}`,
    );
  }
  emit({ type: 'phase', phase: 'check', status: 'start' });
  const failures = failedChecks(checkKernelTree(options.kdir, { needImage: true }));
  emit({ type: 'phase', phase: 'check', status: 'end', ok: failures.length === 0 });
  if (failures.length > 0) {
    throw new LoadSetupError(`the kernel folder ${options.kdir} cannot be used:\n${failures.map(formatCheck).join('\n')}`);
  }

  let build: LoadVerdict['build'];
  if (options.build !== false) {
    emit({ type: 'phase', phase: 'build', status: 'start' });
    const result = await buildModule({
      kdir: options.kdir,
      moduleDir,
      toolchain: options.toolchain,
      outDir: options.outDir,
      timeoutMs: options.buildTimeoutMs,
      signal: options.signal,
      onLine: (line) => emit({ type: 'output', source: 'build', line }),
    });
    build = {
      ok: result.ok,
      durationMs: result.durationMs,
      diagnostics: result.diagnostics,
      command: result.command,
      outcome: result.outcome,
      ...(result.hint ? { hint: result.hint } : {}),
    };
    emit({ type: 'phase', phase: 'build', status: 'end', ok: result.ok, durationMs: result.durationMs });
    if (!result.ok) return buildFailedVerdict(build, options.signal?.aborted ?? false, Date.now() - started);
  }

  const mainModules = selectModules(moduleDir, options.modules);
  const order = resolveLoadOrder(mainModules, moduleDir, options.kdir);
  const mainNames = new Set(mainModules.map((file) => path.basename(file, '.ko').replace(/-/g, '_')));
  const guestModules = order.map((info) => ({
    name: info.name,
    file: info.file,
    isDependency: !mainNames.has(info.name),
    params: mainNames.has(info.name) ? (options.params ?? '') : '',
  }));

  emit({ type: 'phase', phase: 'initramfs', status: 'start' });
  // Registered with liveWork, so an interrupted run (a signal to the CLI) removes it too.
  const tempDir = makeTempDir('rfl-load-');
  const runDir = tempDir.path;
  if (options.keepRunDir) {
    tempDir.keep();
    emit({ type: 'note', message: `run folder kept: ${runDir}` });
  }
  try {
    const finsmod = await ensureFinsmod(cacheDirs.tools(root), options.signal);
    const initramfs = await writeInitramfs({
      kdir: options.kdir,
      workDir: runDir,
      modules: guestModules,
      finsmod,
      guestScript: options.guestScript ? path.resolve(options.guestScript) : undefined,
      signal: options.signal,
    });
    emit({ type: 'phase', phase: 'initramfs', status: 'end', ok: true, durationMs: initramfs.durationMs });

    const plan = planAccel(options.accel ?? 'auto', cacheDirs.state(root));
    let accelNote = plan.note;
    if (accelNote) emit({ type: 'note', message: accelNote });
    const boot = (accel: Accel) =>
      bootOnce({
        ...options,
        timeoutMs,
        bzImage: path.join(options.kdir, BZIMAGE),
        initramfs: initramfs.image,
        accel,
        names: guestModules.map((m) => m.name),
        emit,
      });
    emit({ type: 'phase', phase: 'boot', status: 'start' });
    let accel = plan.first;
    let run = await boot(accel);
    // A KVM that hangs prints no banner; one that cannot start at all (`failed to set MSR`) exits.
    if (accel === 'kvm' && run.parser.state.kernelStartMs === undefined && !run.vm.timedOut && !options.signal?.aborted) {
      const reason = run.vm.startTimedOut
        ? `no kernel banner within ${((options.kvmProbeMs ?? DEFAULT_KVM_PROBE_MS) / 1000).toFixed(0)} s`
        : `QEMU ended before the kernel started (exit status ${run.vm.exitCode}): ${run.tail.slice(-2).join(' / ')}`;
      if (plan.fallBackToTcg) {
        rememberKvmFailure(cacheDirs.state(root), reason);
        accelNote = `KVM did not boot (${reason}); the VM was killed and the run repeated with TCG`;
        emit({ type: 'note', message: accelNote });
        accel = 'tcg';
        run = await boot(accel);
      } else {
        accelNote = `KVM did not boot (${reason}); use --accel auto to fall back to TCG, or --accel tcg`;
      }
    }
    emit({ type: 'phase', phase: 'boot', status: 'end', ok: run.parser.state.initStartMs !== undefined, durationMs: run.vm.durationMs });

    const paths = {
      kdir: options.kdir,
      moduleDir,
      moduleAliases: [kbuildModulePath(moduleDir, cacheDirs.links(root))].filter((alias) => alias !== moduleDir),
      outDir: options.outDir,
    };
    const verdict = judge({
      parser: run.parser,
      vm: run.vm,
      accel,
      accelNote,
      modules: guestModules,
      timeoutMs,
      paths,
      consoleTail: run.tail,
      build,
      timings: {
        ...(build ? { buildMs: build.durationMs } : {}),
        initramfsMs: initramfs.durationMs,
        totalMs: Date.now() - started,
      },
    });
    for (const problem of verdict.problems) problem.callTrace = await demangleLines(problem.callTrace, options.signal);
    emit({ type: 'phase', phase: 'verdict', status: 'end', ok: verdict.ok });
    return verdict;
  } finally {
    if (!options.keepRunDir) tempDir.remove();
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function selectModules(moduleDir: string, names: readonly string[] | undefined): string[] {
  const built = readdirSync(moduleDir)
    .filter((name) => name.endsWith('.ko'))
    .sort();
  if (!names || names.length === 0) {
    if (built.length === 0) throw new LoadSetupError(`no .ko file in ${moduleDir}: build the module first (or drop --no-build)`);
    return built.map((name) => path.join(moduleDir, name));
  }
  return names.map((name) => {
    const file = path.join(moduleDir, `${name.replace(/\.ko$/, '')}.ko`);
    if (!existsSync(file)) throw new LoadSetupError(`${file} does not exist; built modules here: ${built.join(', ') || 'none'}`);
    return file;
  });
}

interface BootRequest extends LoadOptions {
  timeoutMs: number;
  bzImage: string;
  initramfs: string;
  accel: Accel;
  names: string[];
  emit: (event: LoadEvent) => void;
}

async function bootOnce(request: BootRequest): Promise<{ vm: VmResult; parser: ConsoleParser; tail: string[] }> {
  const parser = new ConsoleParser(request.names);
  const tail: string[] = [];
  let exitTimer: NodeJS.Timeout | undefined;
  const handle = startVm({
    bzImage: request.bzImage,
    initramfs: request.initramfs,
    accel: request.accel,
    ...(request.memoryMiB ? { memoryMiB: request.memoryMiB } : {}),
    ...(request.append ? { append: request.append } : {}),
    timeoutMs: request.timeoutMs,
    signal: request.signal,
    ...(request.accel === 'kvm' ? { startWatchdogMs: request.kvmProbeMs ?? DEFAULT_KVM_PROBE_MS } : {}),
    onLine: (line, elapsedMs) => {
      parser.push(line, elapsedMs);
      tail.push(line);
      if (tail.length > CONSOLE_TAIL_LINES) tail.shift();
      request.emit({ type: 'output', source: 'console', line, elapsedMs });
      if (parser.state.doneMs !== undefined && !exitTimer) exitTimer = setTimeout(() => handle.stop(), EXIT_GRACE_MS);
    },
  });
  try {
    return { vm: await handle.result, parser, tail };
  } finally {
    if (exitTimer) clearTimeout(exitTimer);
  }
}

function buildFailedVerdict(build: NonNullable<LoadVerdict['build']>, cancelled: boolean, totalMs: number): LoadVerdict {
  const errors = build.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const first = errors[0];
  const where = first ? ` (first error: ${first.file ?? first.printedFile}:${first.line}: ${first.message})` : '';
  return {
    ok: false,
    exitCode: EXIT_FAILED,
    summary: cancelled ? 'FAIL: cancelled during the build' : `FAIL: build failed, ${build.outcome}${where}`,
    bad: cancelled ? ['cancelled'] : ['build-failed'],
    build,
    modules: [],
    problems: [],
    timedOut: false,
    cancelled,
    timings: { buildMs: build.durationMs, totalMs },
  };
}
