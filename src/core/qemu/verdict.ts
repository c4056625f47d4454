// The verdict of one build-and-load run, computed from the build result, the VM's end and the
// parsed console; any bad outcome makes it fail (exit status 1).
import type { KbuildDiagnostic } from '../kbuild/diagnostics';
import type { KernelProblem, StatusEvent } from './consoleParser';
import { errnoName } from './errno';
import type { Accel } from './qemuArgs';

export type BadOutcome =
  | 'build-failed'
  | 'boot-failed'
  | 'insmod-failed'
  | 'kernel-problem'
  | 'guest-failed'
  | 'rmmod-failed'
  | 'module-stuck'
  | 'timeout'
  | 'cancelled';

export interface StepResult {
  ok: boolean;
  rc: number;
  errno?: number;
  errnoName?: string;
  /** The process was killed by this signal number (rc 128+N from the shell). */
  signal?: number;
  text?: string;
  durationMs?: number;
}

export interface ModuleVerdict {
  name: string;
  isDependency: boolean;
  /** Undefined when the step never ran (an earlier step failed or the run ended). */
  insmod?: StepResult;
  rmmod?: StepResult;
  logLines: string[];
  /** The module's state in /proc/modules after the run, when it was left behind. */
  leftInState?: string;
}

export interface ProblemVerdict extends KernelProblem {
  /** The real source file of `location`, when it could be resolved. */
  file?: string;
}

export interface PhaseTimings {
  buildMs?: number;
  initramfsMs?: number;
  /** QEMU start to /init running. */
  bootMs?: number;
  insmodMs?: number;
  guestMs?: number;
  rmmodMs?: number;
  /** The end of /init to QEMU's exit. */
  exitMs?: number;
  totalMs: number;
}

export interface LoadVerdict {
  ok: boolean;
  exitCode: number;
  /** One line for the status bar and the end of the log. */
  summary: string;
  bad: BadOutcome[];
  build?: { ok: boolean; durationMs: number; diagnostics: KbuildDiagnostic[]; hint?: string; command: string; outcome: string };
  accel?: Accel;
  /** Why KVM was or was not used (the fallback is always said out loud). */
  accelNote?: string;
  boot?: { ok: boolean; kernelRelease?: string; detail?: string };
  modules: ModuleVerdict[];
  guest?: StepResult;
  problems: ProblemVerdict[];
  timedOut: boolean;
  /** Where the run was stuck when the timeout hit. */
  hungIn?: { step: 'boot' | 'insmod' | 'guest' | 'rmmod' | 'init'; module?: string };
  cancelled: boolean;
  timings: PhaseTimings;
  /** The last console lines, shown when boot failed or the run timed out. */
  consoleTail?: string[];
}

export function stepResult(event: StatusEvent): StepResult {
  const result: StepResult = { ok: event.rc === 0, rc: event.rc };
  if (event.errno !== undefined) {
    result.errno = event.errno;
  } else if (event.rc > 128 && event.rc < 160) {
    // The shell reports a process killed by signal N as 128+N (insmod dies with SIGSEGV, 139,
    // when the module's init oopses).
    result.signal = event.rc - 128;
  } else if (event.rc > 0) {
    // busybox insmod and our finsmod exit with the errno itself.
    result.errno = event.rc;
  }
  if (result.errno !== undefined) {
    const name = errnoName(result.errno);
    if (name) result.errnoName = name;
  }
  if (event.text) result.text = event.text;
  if (event.startMs !== undefined) result.durationMs = event.atMs - event.startMs;
  return result;
}

export function sumDurations(steps: readonly (StepResult | undefined)[]): number | undefined {
  const known = steps.filter((step): step is StepResult => step?.durationMs !== undefined);
  return known.length === 0 ? undefined : known.reduce((total, step) => total + (step.durationMs ?? 0), 0);
}

const KIND_NAMES: Record<KernelProblem['kind'], string> = {
  'kernel-panic': 'kernel panic',
  'rust-panic': 'Rust panic',
  kasan: 'KASAN report',
  oops: 'oops',
  bug: 'BUG',
  warning: 'WARN',
};

export function problemName(problem: KernelProblem): string {
  return KIND_NAMES[problem.kind];
}

export function describeStep(step: StepResult): string {
  if (step.ok) return 'ok';
  if (step.signal !== undefined)
    return `killed by signal ${step.signal}${step.signal === 11 ? ' (SIGSEGV: the kernel oopsed in its context)' : ''}`;
  if (step.errno !== undefined) return `${step.errnoName ?? 'errno'} (${step.errno})${step.text ? `: ${step.text}` : ''}`;
  return `exit status ${step.rc}${step.text ? `: ${step.text}` : ''}`;
}
