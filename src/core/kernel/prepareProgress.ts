// Progress of `rfl kernel prepare`, with an honest estimate. kbuild prints one short line per step
// ("  CC      kernel/fork.o", "  RUSTC L rust/core.o"), so the share of the build done is the number of
// such lines seen over the number the same series printed last time (kept in the cache's state
// folder), or over a figure measured here for a first build. The time left is extrapolated from the
// build's own rate once a tenth of it is done; before that, from the last build's duration, or not
// given at all ("estimating") rather than made up.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { readJsonRecord, writeJsonAtomic } from '../files/atomicWrite';

export type PreparePhase = 'toolchain' | 'source' | 'unpack' | 'configure' | 'build' | 'done';

export interface PrepareProgress {
  phase: PreparePhase;
  /** Share of the whole preparation done, 0 to 1. */
  fraction: number;
  elapsedMs: number;
  /** Undefined while there is nothing honest to say. */
  remainingMs?: number;
}

/** kbuild's short step lines (quiet mode), the unit of build progress. */
const KBUILD_STEP = /^ {2}[A-Z][A-Z0-9_-]*(?: [A-Z])?\s+\S/;

/** Step lines of a tinyconfig + Rust test kernel build, counted here, for a series never built before. */
const FIRST_BUILD_STEPS: Record<string, number> = { '6.1': 900, '6.12': 1000, '7.2': 1100 };
const DEFAULT_STEPS = 1000;

/** Where each phase starts in the overall fraction: the build is by far the longest. */
const PHASE_START: Record<PreparePhase, number> = { toolchain: 0, source: 0, unpack: 0.01, configure: 0.04, build: 0.06, done: 1 };

interface BuildRecord {
  steps: number;
  durationMs: number;
}

export class PrepareProgressTracker {
  private phase: PreparePhase = 'toolchain';
  private buildStarted = 0;
  private steps = 0;
  private readonly expected: BuildRecord | undefined;

  constructor(
    private readonly historyFile: string,
    private readonly series: string,
    private readonly report: (progress: PrepareProgress) => void,
    /** When the whole preparation began (unpacking and the toolchain count as elapsed time too). */
    private readonly started = Date.now(),
  ) {
    this.expected = readHistory(historyFile)[series];
  }

  enter(phase: PreparePhase): void {
    this.phase = phase;
    if (phase === 'build') this.buildStarted = Date.now();
    this.emit();
  }

  /** Feed every line make prints during the build. */
  line(text: string): void {
    if (this.phase !== 'build' || !KBUILD_STEP.test(text)) return;
    this.steps += 1;
    this.emit();
  }

  /** After a successful build: remember its size and time for the next estimate. */
  finish(): void {
    if (this.buildStarted && this.steps > 0) {
      const history = readHistory(this.historyFile);
      history[this.series] = { steps: this.steps, durationMs: Date.now() - this.buildStarted };
      mkdirSync(path.dirname(this.historyFile), { recursive: true });
      writeJsonAtomic(this.historyFile, history);
    }
    this.enter('done');
  }

  private emit(): void {
    this.report(this.snapshot());
  }

  snapshot(): PrepareProgress {
    const elapsedMs = Date.now() - this.started;
    if (this.phase !== 'build') return { phase: this.phase, fraction: PHASE_START[this.phase], elapsedMs };
    const total = this.expected?.steps ?? FIRST_BUILD_STEPS[this.series] ?? DEFAULT_STEPS;
    // Never claim 100 % before make is done: a bigger configuration than last time prints more lines.
    const buildShare = Math.min(0.99, this.steps / total);
    const fraction = PHASE_START.build + (1 - PHASE_START.build) * buildShare;
    const buildElapsed = Date.now() - this.buildStarted;
    let remainingMs: number | undefined;
    if (buildShare >= 0.1) remainingMs = (buildElapsed * (1 - buildShare)) / buildShare;
    else if (this.expected) remainingMs = Math.max(0, this.expected.durationMs - buildElapsed);
    return { phase: 'build', fraction, elapsedMs, ...(remainingMs === undefined ? {} : { remainingMs }) };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function readHistory(file: string): Record<string, BuildRecord> {
  // A missing or damaged history only costs the estimate: start over.
  const record = readJsonRecord(file, isObject);
  if (record.state !== 'ok') return {};
  const records: Record<string, BuildRecord> = {};
  for (const [series, value] of Object.entries(record.value)) {
    const entry = value as Partial<BuildRecord>;
    if (typeof entry.steps === 'number' && entry.steps > 0 && typeof entry.durationMs === 'number')
      records[series] = { steps: entry.steps, durationMs: entry.durationMs };
  }
  return records;
}

/** `build  42 %  2:13 elapsed, about 3:05 left`: one line for a terminal or a log. */
export function formatProgress(progress: PrepareProgress): string {
  const percent = `${Math.floor(progress.fraction * 100)}`.padStart(3);
  const left =
    progress.remainingMs === undefined ? (progress.phase === 'build' ? ', estimating' : '') : `, about ${clock(progress.remainingMs)} left`;
  return `${progress.phase.padEnd(9)} ${percent} %  ${clock(progress.elapsedMs)} elapsed${left}`;
}

function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
