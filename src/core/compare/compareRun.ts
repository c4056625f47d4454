// `rfl compare`: build two modules, boot ONE VM, and in each round load A, run the workload,
// unload it, then the same with B; then compare what they did and how fast. Progress and the live
// console go to onEvent; an AbortSignal kills the VM at once.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildModule } from '../kbuild/build';
import { cacheDirs, cacheRoot as defaultCacheRoot } from '../cache/cachePaths';
import { formatDiagnostic } from '../kbuild/diagnostics';
import type { Toolchain } from '../toolchain/toolchain';
import { BZIMAGE, checkKernelTree, failedChecks, formatCheck } from '../kernel/checks';
import { DEFAULT_KVM_PROBE_MS, planAccel, rememberKvmFailure, type AccelChoice } from '../qemu/accel';
import { BENCH_GUEST_PATH, ensureBench } from '../qemu/benchTool';
import { ensureFinsmod } from '../qemu/finsmod';
import { writeInitramfs } from '../qemu/initramfs';
import { judge } from '../qemu/judge';
import type { LoadEvent } from '../qemu/loadRun';
import type { Accel } from '../qemu/qemuArgs';
import { startVm, type VmResult } from '../qemu/vm';
import { compareBehaviour } from './behaviour';
import { CompareConsole } from './compareConsole';
import { moduleGuestPath, renderCompareInit, WORKLOAD_GUEST_PATH, type Side } from './guestInit';
import { sideLabel, type CompareReport, type SideSummary } from './report';
import { INTERVAL_METHOD } from './stats';
import { compareTimings } from './timingTable';
import { turnFailures } from './turnFailures';

export interface CompareOptions {
  kdir: string;
  aDir: string;
  bDir: string;
  toolchain: Toolchain;
  outDir?: string | undefined;
  /** A busybox sh script run in the guest with each module loaded ($RFL_MODULE, $RFL_DEV set). */
  workload: string;
  rounds: number;
  accel?: AccelChoice;
  /** Limit for the VM (boot to exit). */
  timeoutMs?: number;
  buildTimeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: LoadEvent) => void;
  cacheRoot?: string;
}

/** Problems with the input (no kernel, not one module per folder): exit status 2. */
export class CompareSetupError extends Error {}

export const DEFAULT_ROUNDS = 5;
/** Boot plus, per turn, insmod + workload + rmmod under TCG: generous, a hang still ends. */
export function defaultCompareTimeoutMs(rounds: number): number {
  return 60_000 + rounds * 2 * 20_000;
}
const EXIT_GRACE_MS = 5000;
const CONSOLE_TAIL_LINES = 40;

export async function compareModules(options: CompareOptions): Promise<CompareReport> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  const root = options.cacheRoot ?? defaultCacheRoot();
  const dirs: Record<Side, string> = { a: path.resolve(options.aDir), b: path.resolve(options.bDir) };
  const timeoutMs = options.timeoutMs ?? defaultCompareTimeoutMs(options.rounds);

  const failures = failedChecks(checkKernelTree(options.kdir, { needImage: true }));
  if (failures.length > 0)
    throw new CompareSetupError(`the kernel folder ${options.kdir} cannot be used:\n${failures.map(formatCheck).join('\n')}`);

  const sides: Record<Side, SideSummary> = {
    a: { dir: dirs.a, module: path.basename(dirs.a), failures: [] },
    b: { dir: dirs.b, module: path.basename(dirs.b), failures: [] },
  };
  for (const side of ['a', 'b'] as const) {
    emit({ type: 'phase', phase: 'build', status: 'start' });
    emit({ type: 'note', message: `building ${sideLabel(side)}: ${dirs[side]}` });
    const result = await buildModule({
      kdir: options.kdir,
      moduleDir: dirs[side],
      toolchain: options.toolchain,
      outDir: options.outDir,
      ...(options.buildTimeoutMs ? { timeoutMs: options.buildTimeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onLine: (line) => emit({ type: 'output', source: 'build', line }),
    });
    const firstError = result.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
    sides[side].build = {
      ok: result.ok,
      durationMs: result.durationMs,
      outcome: result.outcome,
      ...(firstError ? { firstError: formatDiagnostic(firstError) } : {}),
    };
    emit({ type: 'phase', phase: 'build', status: 'end', ok: result.ok, durationMs: result.durationMs });
  }
  if (!sides.a.build?.ok || !sides.b.build?.ok) return notRun(options, sides, 'build failed', Date.now() - started);
  sides.a.module = singleModule(dirs.a);
  sides.b.module = singleModule(dirs.b);
  const names: Record<Side, string> = { a: sides.a.module, b: sides.b.module };

  emit({ type: 'phase', phase: 'initramfs', status: 'start' });
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'rfl-compare-'));
  try {
    const tools = cacheDirs.tools(root);
    const finsmod = await ensureFinsmod(tools, options.signal);
    const bench = await ensureBench(tools, options.signal);
    const guestModules = [
      { side: 'a' as const, name: names.a },
      { side: 'b' as const, name: names.b },
    ] as const;
    const initramfs = await writeInitramfs({
      kdir: options.kdir,
      workDir: runDir,
      modules: [],
      finsmod,
      initScript: renderCompareInit(guestModules, options.rounds),
      extraFiles: [
        { guestPath: BENCH_GUEST_PATH, file: bench, mode: 0o755 },
        { guestPath: WORKLOAD_GUEST_PATH, file: path.resolve(options.workload), mode: 0o755 },
        ...guestModules.map((module) => ({
          guestPath: moduleGuestPath(module),
          file: path.join(dirs[module.side], `${module.name}.ko`),
          mode: 0o644,
        })),
      ],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    emit({ type: 'phase', phase: 'initramfs', status: 'end', ok: true, durationMs: initramfs.durationMs });

    const plan = planAccel(options.accel ?? 'auto', cacheDirs.state(root));
    let accelNote = plan.note;
    if (accelNote) emit({ type: 'note', message: accelNote });
    const boot = (accel: Accel) =>
      bootCompare({ ...options, timeoutMs, bzImage: path.join(options.kdir, BZIMAGE), initramfs: initramfs.image, accel, names, emit });
    emit({ type: 'phase', phase: 'boot', status: 'start' });
    let accel = plan.first;
    let run = await boot(accel);
    if (
      accel === 'kvm' &&
      run.console.whole.state.kernelStartMs === undefined &&
      !run.vm.timedOut &&
      !options.signal?.aborted &&
      plan.fallBackToTcg
    ) {
      const reason = run.vm.startTimedOut
        ? `no kernel banner within ${DEFAULT_KVM_PROBE_MS / 1000} s`
        : `QEMU ended before the kernel started (exit status ${run.vm.exitCode})`;
      rememberKvmFailure(cacheDirs.state(root), reason);
      accelNote = `KVM did not boot (${reason}); the VM was killed and the run repeated with TCG`;
      emit({ type: 'note', message: accelNote });
      accel = 'tcg';
      run = await boot(accel);
    }
    emit({
      type: 'phase',
      phase: 'boot',
      status: 'end',
      ok: run.console.whole.state.initStartMs !== undefined,
      durationMs: run.vm.durationMs,
    });

    // Boot, timeout and cancel verdicts come from the same judge as `rfl load`.
    const whole = judge({
      parser: run.console.whole,
      vm: run.vm,
      accel,
      accelNote,
      modules: [],
      timeoutMs,
      paths: { kdir: options.kdir, moduleDir: dirs.a },
      consoleTail: run.tail,
      timings: { totalMs: Date.now() - started },
    });
    const runProblems = whole.bad.some((bad) => bad === 'boot-failed' || bad === 'timeout' || bad === 'cancelled')
      ? [whole.summary.replace(/^FAIL: /, '')]
      : [];
    if (!run.console.finished && runProblems.length === 0) runProblems.push('the guest did not finish every round');

    for (const turn of run.console.turns) {
      for (const failure of turnFailures(turn, names[turn.side], turn === run.console.unfinishedTurn)) {
        sides[turn.side].failures.push(`round ${turn.round}: ${failure}`);
      }
    }
    const behaviour = compareBehaviour(run.console.turns, names);
    const timings = compareTimings(run.console.turns);
    const completed = Math.min(
      ...(['a', 'b'] as const).map((side) => run.console.turns.filter((turn) => turn.side === side && turn.ended).length),
    );
    const probe = run.console.ftrace;
    const ftrace = !probe
      ? { available: false, note: 'not probed (the guest never got that far)' }
      : probe.available
        ? {
            available: true,
            note: `tracefs is available (tracers: ${probe.tracers.join(', ') || 'none'}); ${probe.tracers.includes('function_graph') ? 'function_graph could time the file operations, but rfl compare does not trace yet' : 'no function_graph tracer, so no in-kernel times of the file operations'}`,
          }
        : {
            available: false,
            note: `this kernel cannot trace (no tracefs at /sys/kernel/tracing: it was built without CONFIG_FTRACE), so there are no in-kernel times of the file operations; only the workload's own timings are compared`,
          };

    const report: CompareReport = {
      ok: false,
      exitCode: 1,
      verdict: '',
      a: sides.a,
      b: sides.b,
      rounds: { requested: options.rounds, completed: Number.isFinite(completed) ? completed : 0 },
      order: run.console.turns.map((turn) => `${turn.side}${turn.round}`),
      behaviour,
      timings,
      intervalMethod: INTERVAL_METHOD,
      ftrace,
      ...(run.console.whole.state.kernelRelease ? { kernelRelease: run.console.whole.state.kernelRelease } : {}),
      accel,
      ...(accelNote ? { accelNote } : {}),
      runProblems,
      durationMs: Date.now() - started,
      ...(runProblems.length > 0 ? { consoleTail: run.tail } : {}),
    };
    return decide(report);
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** The verdict line and the exit status: 0 only for the same behaviour and two clean modules. */
export function decide(report: CompareReport): CompareReport {
  const reasons: string[] = [...report.runProblems];
  for (const side of ['a', 'b'] as const) {
    if (report[side].failures.length > 0)
      reasons.push(
        `${sideLabel(side)} (${report[side].module}) failed: ${report[side].failures[0]}${report[side].failures.length > 1 ? ` (+${report[side].failures.length - 1} more)` : ''}`,
      );
  }
  const difference = report.behaviour.difference;
  if (difference)
    reasons.push(
      `behaviour differs in round ${difference.round}: A ${JSON.stringify(difference.firstA ?? '(nothing)')}, B ${JSON.stringify(difference.firstB ?? '(nothing)')}`,
    );
  else if (!report.behaviour.same) reasons.push('behaviour could not be compared (no round finished on both sides)');
  const ok = reasons.length === 0;
  const speed = report.timings
    .map(
      (timing) =>
        `${timing.name} B/A ${timing.ratio.toFixed(2)}${timing.ci95 ? ` [${timing.ci95[0].toFixed(2)}, ${timing.ci95[1].toFixed(2)}]` : ''}`,
    )
    .join(', ');
  const verdict = ok
    ? `SAME behaviour in ${report.behaviour.roundsCompared} rounds, both clean${speed ? `; ${speed}` : ''}`
    : `DIFFERENT or FAILED: ${reasons.join('; ')}`;
  return { ...report, ok, exitCode: ok ? 0 : 1, verdict };
}

function notRun(options: CompareOptions, sides: Record<Side, SideSummary>, why: string, durationMs: number): CompareReport {
  return decide({
    ok: false,
    exitCode: 1,
    verdict: '',
    a: sides.a,
    b: sides.b,
    rounds: { requested: options.rounds, completed: 0 },
    order: [],
    behaviour: { same: false, roundsCompared: 0 },
    timings: [],
    intervalMethod: INTERVAL_METHOD,
    ftrace: { available: false, note: 'not probed (no VM ran)' },
    runProblems: [why],
    durationMs,
  });
}

function singleModule(dir: string): string {
  const built = readdirSync(dir).filter((name) => name.endsWith('.ko'));
  if (built.length !== 1) {
    throw new CompareSetupError(
      `${dir} built ${built.length === 0 ? 'no module' : `${built.length} modules (${built.join(', ')})`}: rfl compare takes folders with one module each`,
    );
  }
  return path.basename(built[0] ?? '', '.ko').replace(/-/g, '_');
}

interface BootRequest extends CompareOptions {
  timeoutMs: number;
  bzImage: string;
  initramfs: string;
  accel: Accel;
  names: Record<Side, string>;
  emit: (event: LoadEvent) => void;
}

async function bootCompare(request: BootRequest): Promise<{ vm: VmResult; console: CompareConsole; tail: string[] }> {
  const console = new CompareConsole(request.names);
  const tail: string[] = [];
  let exitTimer: NodeJS.Timeout | undefined;
  const handle = startVm({
    bzImage: request.bzImage,
    initramfs: request.initramfs,
    accel: request.accel,
    timeoutMs: request.timeoutMs,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.accel === 'kvm' ? { startWatchdogMs: DEFAULT_KVM_PROBE_MS } : {}),
    onLine: (line, elapsedMs) => {
      console.push(line, elapsedMs);
      tail.push(line);
      if (tail.length > CONSOLE_TAIL_LINES) tail.shift();
      request.emit({ type: 'output', source: 'console', line, elapsedMs });
      if (console.finished && !exitTimer) exitTimer = setTimeout(() => handle.stop(), EXIT_GRACE_MS);
    },
  });
  try {
    return { vm: await handle.result, console, tail };
  } finally {
    if (exitTimer) clearTimeout(exitTimer);
  }
}
