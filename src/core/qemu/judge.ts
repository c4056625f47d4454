// Turns what happened (the VM's end and the parsed console) into a LoadVerdict.
import { resolveDiagnosticPath, type PathContext } from '../kbuild/diagnostics';
import type { ConsoleParser } from './consoleParser';
import type { Accel } from './qemuArgs';
import {
  describeStep,
  problemName,
  stepResult,
  sumDurations,
  type BadOutcome,
  type LoadVerdict,
  type ModuleVerdict,
  type PhaseTimings,
  type ProblemVerdict,
} from './verdict';
import type { VmResult } from './vm';
import { EXIT_FAILED, EXIT_OK } from '../exitCodes';

export interface JudgeInput {
  parser: ConsoleParser;
  vm: VmResult;
  accel: Accel;
  accelNote?: string | undefined;
  /** Modules under test, and dependencies, in load order. */
  modules: readonly { name: string; isDependency: boolean }[];
  timeoutMs: number;
  paths: PathContext;
  consoleTail: string[];
  timings: Omit<PhaseTimings, 'totalMs'> & { totalMs: number };
  build?: LoadVerdict['build'];
}

export function judge(input: JudgeInput): LoadVerdict {
  const state = input.parser.state;
  const bad: BadOutcome[] = [];
  const reasons: string[] = [];
  const fail = (outcome: BadOutcome, reason: string) => {
    if (!bad.includes(outcome)) bad.push(outcome);
    reasons.push(reason);
  };

  const bootOk = state.initStartMs !== undefined;
  const boot: NonNullable<LoadVerdict['boot']> = { ok: bootOk };
  if (state.kernelRelease) boot.kernelRelease = state.kernelRelease;
  if (!bootOk) {
    boot.detail = input.vm.startTimedOut
      ? `no kernel banner on the console within the start watchdog under ${input.accel.toUpperCase()}; the VM was killed`
      : state.kernelStartMs === undefined
        ? 'the kernel never started (no "Linux version" line on the console)'
        : 'the kernel started but /init never ran';
  }

  const left = new Map((state.procModules ?? []).map((entry) => [entry.name, entry]));
  const modules: ModuleVerdict[] = input.modules.map((module) => {
    const record = state.modules.get(module.name);
    const verdict: ModuleVerdict = { name: module.name, isDependency: module.isDependency, logLines: record?.logLines ?? [] };
    if (record?.insmod) verdict.insmod = stepResult(record.insmod);
    if (record?.rmmod) verdict.rmmod = stepResult(record.rmmod);
    const leftover = left.get(module.name);
    if (leftover) verdict.leftInState = leftover.state;
    return verdict;
  });

  const problems = state.problems.map((problem): ProblemVerdict => {
    const file = problem.location ? resolveDiagnosticPath(problem.location.printedFile, input.paths) : undefined;
    return file ? { ...problem, file } : { ...problem };
  });

  if (input.vm.cancelled) fail('cancelled', 'cancelled');
  let hungIn: LoadVerdict['hungIn'];
  if (input.vm.timedOut) {
    hungIn = input.parser.runningInsmod
      ? { step: 'insmod', module: input.parser.runningInsmod }
      : input.parser.runningRmmod
        ? { step: 'rmmod', module: input.parser.runningRmmod }
        : state.guestStartMs !== undefined && !state.guest
          ? { step: 'guest' }
          : { step: bootOk ? 'init' : 'boot' };
    const during = input.parser.runningInsmod
      ? `during insmod of ${input.parser.runningInsmod} (its init never returned)`
      : input.parser.runningRmmod
        ? `during rmmod of ${input.parser.runningRmmod} (its exit never returned)`
        : state.guestStartMs !== undefined && !state.guest
          ? 'while the guest script ran'
          : bootOk
            ? 'before /init finished'
            : 'during boot';
    fail('timeout', `timed out after ${Math.round(input.timeoutMs / 1000)} s ${during}; the VM was killed`);
  }
  if (!bootOk && !input.vm.cancelled) fail('boot-failed', `boot failed: ${boot.detail}`);
  for (const problem of problems) {
    const where = problem.file
      ? ` at ${problem.file}:${problem.location?.line}`
      : problem.location
        ? ` at ${problem.location.printedFile}:${problem.location.line}`
        : '';
    fail('kernel-problem', `${problemName(problem)}${where}${problem.modules.length ? ` in ${problem.modules.join(', ')}` : ''}`);
  }
  for (const module of modules) {
    if (module.insmod && !module.insmod.ok) fail('insmod-failed', `insmod ${module.name}: ${describeStep(module.insmod)}`);
    if (module.rmmod && !module.rmmod.ok) fail('rmmod-failed', `rmmod ${module.name}: ${describeStep(module.rmmod)}`);
    if (module.leftInState) fail('module-stuck', `${module.name} was left loaded (${module.leftInState})`);
    if (bootOk && !module.insmod && !input.vm.timedOut && !input.vm.cancelled && !bad.includes('insmod-failed')) {
      fail('insmod-failed', `insmod ${module.name} never reported`);
    }
  }
  const guest = state.guest ? stepResult(state.guest) : undefined;
  if (guest && !guest.ok) fail('guest-failed', `guest script: exit status ${guest.rc}`);
  if (bootOk && state.doneMs === undefined && !input.vm.timedOut && !input.vm.cancelled && bad.length === 0) {
    fail('boot-failed', '/init ended before finishing (the VM went down early)');
  }

  const ok = bad.length === 0;
  const names = modules
    .filter((module) => !module.isDependency)
    .map((module) => module.name)
    .join(', ');
  const timings: PhaseTimings = {
    ...input.timings,
    ...(state.initStartMs !== undefined ? { bootMs: state.initStartMs } : {}),
  };
  const insmodMs = sumDurations(modules.map((module) => module.insmod));
  if (insmodMs !== undefined) timings.insmodMs = insmodMs;
  const rmmodMs = sumDurations(modules.map((module) => module.rmmod));
  if (rmmodMs !== undefined) timings.rmmodMs = rmmodMs;
  if (guest?.durationMs !== undefined) timings.guestMs = guest.durationMs;
  if (state.doneMs !== undefined && !input.vm.timedOut) timings.exitMs = Math.max(0, input.vm.durationMs - state.doneMs);

  const verdict: LoadVerdict = {
    ok,
    exitCode: ok ? EXIT_OK : EXIT_FAILED,
    summary: ok ? `PASS: ${names} loaded and unloaded cleanly` : `FAIL: ${reasons.join('; ')}`,
    bad,
    accel: input.accel,
    ...(input.accelNote ? { accelNote: input.accelNote } : {}),
    boot,
    modules,
    ...(guest ? { guest } : {}),
    problems,
    timedOut: input.vm.timedOut,
    ...(hungIn ? { hungIn } : {}),
    cancelled: input.vm.cancelled,
    timings,
    ...(input.build ? { build: input.build } : {}),
  };
  if (!ok && (!bootOk || input.vm.timedOut)) verdict.consoleTail = input.consoleTail;
  return verdict;
}
