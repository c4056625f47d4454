// Runs one external program from an argument array (never a shell string), bounded in time and
// cancellable, in its own process group so that killing it also kills what it started (make's
// children, QEMU's helpers). Every failure message names the command, its arguments and its cwd.
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  /** Environment for the child; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Hard limit for the whole run; the process group is killed when it passes. */
  timeoutMs: number;
  /** Aborting kills the process group at once. */
  signal?: AbortSignal;
  /** Called with each complete line of stdout (without the newline). */
  onStdoutLine?: (line: string) => void;
  /** Called with each complete line of stderr. */
  onStderrLine?: (line: string) => void;
  /** When set, stdout is written here as raw bytes instead of being split into lines. */
  stdoutSink?: NodeJS.WritableStream;
  /** Bytes written to stdin, which is then closed. Without it stdin is /dev/null. */
  stdin?: string | Buffer;
  /** How long SIGTERM gets before SIGKILL. */
  killGraceMs?: number;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /** Last part of stdout+stderr, for error messages. */
  tail: string;
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

/** `cmd 'arg 1' arg2 (in /dir)`: for messages only, quoted so a user can paste it into a shell. */
export function describeCommand(command: string, args: readonly string[], cwd?: string): string {
  const text = [command, ...args].map(shellQuoteForDisplay).join(' ');
  return cwd === undefined ? text : `${text} (in ${cwd})`;
}

function shellQuoteForDisplay(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const TAIL_CHARS = 8000;

/** Splits a byte stream into lines, tolerating \r\n and a missing final newline. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r+$/, ''));
  }
  flush(): void {
    if (this.rest !== '') this.onLine(this.rest.replace(/\r+$/, ''));
    this.rest = '';
  }
}

/** Kills the whole process group of a child started with `detached: true`. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group may be gone already; fall back to the child itself.
    try {
      child.kill(signal);
    } catch {
      /* already exited */
    }
  }
}

export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ exitCode: null, signal: null, timedOut: false, cancelled: true, durationMs: 0, tail: '' });
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        // Own process group: one kill(-pid) reaches make's and QEMU's children too.
        detached: true,
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(new ProcessStartError(command, args, options.cwd, error as NodeJS.ErrnoException));
      return;
    }
    let tail = '';
    const keepTail = (text: string) => {
      tail = (tail + text).slice(-TAIL_CHARS);
    };
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      killGroup(child, 'SIGTERM');
      killTimer ??= setTimeout(() => killGroup(child, 'SIGKILL'), options.killGraceMs ?? 1500);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const outLines = new LineSplitter((line) => options.onStdoutLine?.(line));
    const errLines = new LineSplitter((line) => options.onStderrLine?.(line));
    if (options.stdoutSink) {
      child.stdout?.pipe(options.stdoutSink, { end: false });
    } else {
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        keepTail(chunk);
        outLines.push(chunk);
      });
    }
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      keepTail(chunk);
      errLines.push(chunk);
    });
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);

    let settled = false;
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new ProcessStartError(command, args, options.cwd, error));
    });
    // 'close' waits for the pipes, so every line has been delivered when we resolve.
    child.on('close', (exitCode, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outLines.flush();
      errLines.flush();
      // Anything the program left in its group (a daemonised helper) goes too.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* group already empty: the normal case */
        }
      }
      if (killTimer) clearTimeout(killTimer);
      resolve({ exitCode, signal, timedOut, cancelled, durationMs: Date.now() - started, tail });
    });
  });
}

/** A one-line account of how a run ended, for error messages. */
export function describeOutcome(result: RunResult, timeoutMs: number): string {
  if (result.cancelled) return 'cancelled';
  if (result.timedOut) return `killed after the ${Math.round(timeoutMs / 1000)} s time limit`;
  if (result.signal) return `killed by ${result.signal}`;
  return `exit status ${result.exitCode}`;
}
