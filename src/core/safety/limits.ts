// The bounds within which a file is linted, and the errors that say a file was beyond them.

/** The input is beyond what the linter handles in bounded time; the message says why. */
export class LintLimitError extends Error {}
/** The whole lint of a file (parse and rules) ran past its time budget. */
export class LintTimeoutError extends LintLimitError {}
/** The budget ran out while parsing. */
export class ParseTimeoutError extends LintTimeoutError {}

/** Nesting deeper than this is not real code: the rules' recursive walks would run out of stack. */
export const MAX_NESTING_DEPTH = 128;

/**
 * Time for the whole lint of one file: 5 s per MB, and at least 5 s. Linting takes time linear in
 * the input (well under 1 s per MB on an idle machine), so only an input that defeats that gets
 * cut, not a real file on a busy CI machine.
 */
export function lintTimeLimitMs(textLength: number): number {
  return Math.max(5_000, (5_000 * textLength) / (1024 * 1024));
}

/** A deadline that loops over a file's items ask about; past it, the lint stops with a LintTimeoutError. */
export class LintBudget {
  private calls = 0;

  constructor(
    private readonly deadline: number,
    private readonly limitMs: number,
  ) {}

  static starting(limitMs: number): LintBudget {
    return new LintBudget(performance.now() + limitMs, limitMs);
  }

  get expired(): boolean {
    return performance.now() > this.deadline;
  }

  /** Throws once the deadline has passed (reading the clock on every 32nd call only). */
  check(): void {
    if ((++this.calls & 31) === 0 && this.expired) this.fail();
  }

  fail(): never {
    throw new LintTimeoutError(this.describeTimeout('linting'));
  }

  describeTimeout(what: string): string {
    const limit = this.limitMs >= 1_000 ? `${(this.limitMs / 1_000).toFixed(1)} s` : `${Math.round(this.limitMs)} ms`;
    return `${what} took longer than the limit of ${limit} for this file and was stopped; not linted`;
  }
}
