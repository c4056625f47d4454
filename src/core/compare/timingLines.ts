// The line every timing in a workload's output is given in (rfl-bench prints it; a workload may
// print its own the same way): `rfl-bench name=LABEL ... ns_per_op=NS`. Keep in step with
// guest/rfl-bench.c.

export interface TimingSample {
  name: string;
  nsPerOp: number;
}

const TIMING_LINE = /^rfl-bench (?=.*\bname=(\S+))(?=.*\bns_per_op=(\d+(?:\.\d+)?)\b)/;

export function parseTimingLine(line: string): TimingSample | undefined {
  const match = TIMING_LINE.exec(line);
  if (!match) return undefined;
  return { name: match[1] ?? '', nsPerOp: Number(match[2]) };
}

export function isTimingLine(line: string): boolean {
  return TIMING_LINE.test(line);
}
