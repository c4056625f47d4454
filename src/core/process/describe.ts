// How a command and its end are named in messages: every failure says what ran, with which
// arguments and where, quoted so a user can paste it into a shell.

/** `cmd 'arg 1' arg2 (in /dir)`: for messages only. */
export function describeCommand(command: string, args: readonly string[], cwd?: string): string {
  const text = [command, ...args].map(shellQuote).join(' ');
  return cwd === undefined ? text : `${text} (in ${cwd})`;
}

/** One word as a POSIX shell reads it back unchanged: plain words as they are, others in '...'. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The error for a program that could not be started at all (missing, not executable). */
export class ProcessStartError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly cwd: string,
    cause: NodeJS.ErrnoException,
  ) {
    const hint =
      cause.code === 'ENOENT'
        ? `"${command}" was not found (is it installed and on PATH, or is the path right?), or the folder ${cwd} does not exist`
        : cause.code === 'EACCES'
          ? `"${command}" is not executable`
          : cause.message;
    super(`could not start ${describeCommand(command, args, cwd)}: ${hint}`, { cause });
  }
}

/** How a run ended, as `runProcess` reports it. */
export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
}

/** A one-line account of how a run ended, for error messages. */
export function describeOutcome(result: RunOutcome, timeoutMs: number): string {
  if (result.cancelled) return 'cancelled';
  if (result.timedOut) return `killed after the ${Math.round(timeoutMs / 1000)} s time limit`;
  if (result.signal) return `killed by ${result.signal}`;
  return `exit status ${result.exitCode}`;
}
