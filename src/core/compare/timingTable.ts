// Every timing the workload printed, grouped per operation name and side, compared as B/A.
import type { Turn } from './compareConsole';
import type { TimingComparison, TimingSide } from './report';
import { median, ratioOfMedians } from './stats';
import { parseTimingLine } from './timingLines';

export function compareTimings(turns: readonly Turn[]): TimingComparison[] {
  const samples = new Map<string, Record<'a' | 'b', { round: number; ns: number }[]>>();
  for (const turn of turns) {
    for (const line of turn.output) {
      const sample = parseTimingLine(line);
      // A zero time is a clock that did not tick, not a measurement.
      if (!sample || !(sample.nsPerOp > 0)) continue;
      let entry = samples.get(sample.name);
      if (!entry) {
        entry = { a: [], b: [] };
        samples.set(sample.name, entry);
      }
      entry[turn.side].push({ round: turn.round, ns: sample.nsPerOp });
    }
  }
  const comparisons: TimingComparison[] = [];
  for (const [name, entry] of samples) {
    if (entry.a.length === 0 || entry.b.length === 0) continue;
    const side = (values: { round: number; ns: number }[]): TimingSide => ({
      median: median(values.map((v) => v.ns)),
      samples: values.length,
      values,
    });
    const estimate = ratioOfMedians(
      entry.a.map((v) => v.ns),
      entry.b.map((v) => v.ns),
    );
    comparisons.push({
      name,
      a: side(entry.a),
      b: side(entry.b),
      ratio: estimate.ratio,
      ...(estimate.ci95 ? { ci95: estimate.ci95 } : {}),
    });
  }
  return comparisons;
}
