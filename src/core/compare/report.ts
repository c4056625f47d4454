// What `rfl compare` found: behaviour (same or the first difference), speed per operation (ratio
// B/A of the medians with a 95 % interval and the sample counts), each module's failures, and how
// the run went. `toJson` is the documented JSON shape; the text and HTML views read the same data.
import type { Accel } from '../qemu/qemuArgs';
import type { BehaviourResult } from './behaviour';
import type { Side } from './guestInit';

export interface SideSummary {
  dir: string;
  module: string;
  build?: { ok: boolean; durationMs: number; outcome: string; firstError?: string };
  /** Oops, WARN, BUG, panic, KASAN, leak, insmod/rmmod failure or a module left loaded, per turn. */
  failures: string[];
}

export interface TimingSide {
  median: number;
  samples: number;
  /** Every sample with its round, for the chart. */
  values: { round: number; ns: number }[];
}

export interface TimingComparison {
  name: string;
  a: TimingSide;
  b: TimingSide;
  ratio: number;
  ci95?: [number, number];
}

export interface CompareReport {
  ok: boolean;
  exitCode: number;
  verdict: string;
  a: SideSummary;
  b: SideSummary;
  rounds: { requested: number; completed: number };
  /** The order turns ran in, e.g. `a1 b1 a2 b2`, read from the console. */
  order: string[];
  behaviour: BehaviourResult;
  timings: TimingComparison[];
  intervalMethod: string;
  ftrace: { available: boolean; note: string };
  kernelRelease?: string;
  accel?: Accel;
  accelNote?: string;
  /** Run-level trouble (boot failed, timeout, cancelled). */
  runProblems: string[];
  durationMs: number;
  consoleTail?: string[];
}

export function sideLabel(side: Side): 'A' | 'B' {
  return side === 'a' ? 'A' : 'B';
}

/** The JSON `rfl compare --format json` prints. */
export function toJson(report: CompareReport): unknown {
  return {
    behaviour: {
      same: report.behaviour.same,
      ...(report.behaviour.difference ? { difference: report.behaviour.difference } : {}),
      roundsCompared: report.behaviour.roundsCompared,
    },
    timings: report.timings.map((timing) => ({
      name: timing.name,
      a: { median: timing.a.median, samples: timing.a.samples, values: timing.a.values },
      b: { median: timing.b.median, samples: timing.b.samples, values: timing.b.values },
      ratio: timing.ratio,
      ci95: timing.ci95 ?? null,
    })),
    verdict: report.verdict,
    ok: report.ok,
    a: report.a,
    b: report.b,
    rounds: report.rounds,
    order: report.order,
    intervalMethod: report.intervalMethod,
    ftrace: report.ftrace,
    ...(report.kernelRelease ? { kernelRelease: report.kernelRelease } : {}),
    ...(report.accel ? { accel: report.accel } : {}),
    ...(report.accelNote ? { accelNote: report.accelNote } : {}),
    runProblems: report.runProblems,
    durationMs: report.durationMs,
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function formatInterval(timing: TimingComparison): string {
  return timing.ci95 ? `[${fixed(timing.ci95[0], 3)}, ${fixed(timing.ci95[1], 3)}]` : '(too few samples)';
}

export function formatText(report: CompareReport): string {
  const lines = ['', `== rfl compare: ${report.verdict}`];
  lines.push(`  A  ${report.a.module}  (${report.a.dir})`, `  B  ${report.b.module}  (${report.b.dir})`);
  const kernel = report.kernelRelease ? `Linux ${report.kernelRelease}` : 'the kernel';
  lines.push(
    `  ${report.rounds.completed} of ${report.rounds.requested} rounds on ${kernel}${report.accel ? ` (${report.accel.toUpperCase()})` : ''}, order ${report.order.join(' ') || '-'}`,
  );
  if (report.accelNote) lines.push(`  note: ${report.accelNote}`);
  for (const problem of report.runProblems) lines.push(`  run: ${problem}`);
  for (const side of ['a', 'b'] as const) {
    const summary = report[side];
    if (summary.build && !summary.build.ok)
      lines.push(
        `  ${sideLabel(side)} build failed: ${summary.build.outcome}${summary.build.firstError ? ` (${summary.build.firstError})` : ''}`,
      );
    for (const failure of summary.failures) lines.push(`  ${sideLabel(side)} FAIL: ${failure}`);
  }
  lines.push(
    '',
    `behaviour: ${report.behaviour.same ? `same in all ${report.behaviour.roundsCompared} rounds` : report.behaviour.difference ? `DIFFERENT from round ${report.behaviour.difference.round} on (- A, + B):` : 'not compared'}`,
  );
  if (report.behaviour.difference) lines.push(...report.behaviour.difference.diff.split('\n').map((line) => `  ${line}`));
  if (report.timings.length > 0) {
    lines.push('', `speed (ns per operation; ratio B/A of the medians, 95 % interval by ${report.intervalMethod}):`);
    const width = Math.max(9, ...report.timings.map((timing) => timing.name.length));
    lines.push(
      `  ${'operation'.padEnd(width)}  ${'A median'.padStart(10)}  ${'B median'.padStart(10)}  ${'B/A'.padStart(6)}  95 % interval      samples A/B`,
    );
    for (const timing of report.timings) {
      lines.push(
        `  ${timing.name.padEnd(width)}  ${fixed(timing.a.median, 1).padStart(10)}  ${fixed(timing.b.median, 1).padStart(10)}  ${fixed(timing.ratio, 3).padStart(6)}  ${formatInterval(timing).padEnd(17)}  ${timing.a.samples}/${timing.b.samples}`,
      );
    }
  } else {
    lines.push('', 'speed: the workload printed no timings (rfl-bench lines)');
  }
  lines.push('', `ftrace: ${report.ftrace.note}`, '');
  return lines.join('\n');
}
