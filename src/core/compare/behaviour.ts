// What a module did in one turn, as text that can be compared across modules: the insmod and
// rmmod results, the workload's exit status and output (timings left out), and the module's own
// kernel log lines, with the module's name replaced by MODULE so `c_misc` and `rust_misc` (and
// their /dev nodes) compare equal. The first turn whose texts differ is shown as a line diff.
import { describeStep, stepResult } from '../qemu/verdict';
import type { Turn } from './compareConsole';
import { isTimingLine } from './timingLines';

export const NAME_PLACEHOLDER = 'MODULE';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function normaliseName(line: string, name: string): string {
  return line.replace(new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(name)}(?![A-Za-z0-9_])`, 'g'), NAME_PLACEHOLDER);
}

/** The comparable account of one turn. */
export function behaviourTranscript(turn: Turn, name: string): string[] {
  const state = turn.parser.state;
  const record = state.modules.get(name);
  const lines: string[] = [];
  lines.push(`insmod: ${record?.insmod ? describeStep(stepResult(record.insmod)) : 'did not report'}`);
  if (state.guest) lines.push(`workload exit status: ${state.guest.rc}`);
  for (const line of turn.output) if (!isTimingLine(line)) lines.push(`output: ${normaliseName(line, name)}`);
  for (const line of record?.logLines ?? []) lines.push(`kernel: ${normaliseName(line, name)}`);
  if (record?.rmmod) lines.push(`rmmod: ${describeStep(stepResult(record.rmmod))}`);
  return lines;
}

export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
}

/** A line diff by longest common subsequence (transcripts are short). */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const lcs = new Array<number>(rows * cols).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * cols + j] =
        a[i] === b[j] ? (lcs[(i + 1) * cols + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * cols + j] ?? 0, lcs[i * cols + j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: ' ', text: a[i++] ?? '' });
      j++;
    } else if (i < a.length && (j >= b.length || (lcs[(i + 1) * cols + j] ?? 0) >= (lcs[i * cols + j + 1] ?? 0))) {
      // A's line first on a tie, so a changed line reads `- old` then `+ new`.
      out.push({ kind: '-', text: a[i++] ?? '' });
    } else {
      out.push({ kind: '+', text: b[j++] ?? '' });
    }
  }
  return out;
}

/** The diff cut to the changed lines and `context` lines around them, as `-`/`+`/` ` text. */
export function formatDiff(diff: readonly DiffLine[], context = 3): string {
  const keep = new Set<number>();
  diff.forEach((line, index) => {
    if (line.kind === ' ') return;
    for (let k = Math.max(0, index - context); k <= Math.min(diff.length - 1, index + context); k++) keep.add(k);
  });
  const lines: string[] = [];
  let last = -1;
  for (const index of [...keep].sort((x, y) => x - y)) {
    if (last >= 0 && index > last + 1) lines.push('  …');
    const line = diff[index];
    if (line) lines.push(`${line.kind} ${line.text}`);
    last = index;
  }
  return lines.join('\n');
}

export interface BehaviourResult {
  same: boolean;
  /** Present when they differ: where, and the diff (A's lines `-`, B's `+`). */
  difference?: { round: number; diff: string; firstA?: string; firstB?: string };
  /** Rounds where both sides finished and were compared. */
  roundsCompared: number;
}

export function compareBehaviour(turns: readonly Turn[], names: Readonly<Record<'a' | 'b', string>>): BehaviourResult {
  const rounds = [...new Set(turns.map((turn) => turn.round))].sort((x, y) => x - y);
  let roundsCompared = 0;
  for (const round of rounds) {
    const a = turns.find((turn) => turn.round === round && turn.side === 'a' && turn.ended);
    const b = turns.find((turn) => turn.round === round && turn.side === 'b' && turn.ended);
    if (!a || !b) continue;
    roundsCompared++;
    const textA = behaviourTranscript(a, names.a);
    const textB = behaviourTranscript(b, names.b);
    if (textA.join('\n') === textB.join('\n')) continue;
    const diff = diffLines(textA, textB);
    const firstA = diff.find((line) => line.kind === '-')?.text;
    const firstB = diff.find((line) => line.kind === '+')?.text;
    return {
      same: false,
      difference: {
        round,
        diff: formatDiff(diff),
        ...(firstA !== undefined ? { firstA } : {}),
        ...(firstB !== undefined ? { firstB } : {}),
      },
      roundsCompared,
    };
  }
  return { same: roundsCompared > 0, roundsCompared };
}
