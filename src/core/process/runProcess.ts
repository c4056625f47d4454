// Runs one external program from an argument array (never a shell string), bounded in time and
// cancellable, in its own process group so that killing it also kills what it started (make's
// children, QEMU's helpers). Every failure message names the command, its arguments and its cwd.
import { spawn, type ChildProcess } from 'node:child_process';
import { ProcessStartError, type RunOutcome } from './describe';
import { LineSplitter } from './lineSplitter';
import { liveWork } from './liveWork';
import { signalGroup } from './processGroup';

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

export interface RunResult extends RunOutcome {
  durationMs: number;
  /** Last part of stdout+stderr, for error messages. */
  tail: string;
}

const TAIL_CHARS = 8000;
/**
 * After the SIGKILL, how long we still wait for the pipes: a process that left our group (setsid)
 * can hold them open forever, and a time limit must hold anyway.
 */
const PIPE_GRACE_MS = 1000;

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
    const pgid = child.pid;
    const forgetGroup = pgid === undefined ? () => undefined : liveWork.addGroup(pgid);
    let tail = '';
    const keepTail = (text: string) => {
      tail = (tail + text).slice(-TAIL_CHARS);
    };
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let pipeTimer: NodeJS.Timeout | undefined;
    // The group, not the leader: the leader may have exited while its children run on.
    const stop = () => {
      if (killTimer || pgid === undefined) return;
      signalGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(() => {
        signalGroup(pgid, 'SIGKILL');
        pipeTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, PIPE_GRACE_MS);
      }, options.killGraceMs ?? 1500);
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
    const finish = () => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      clearTimeout(pipeTimer);
      options.signal?.removeEventListener('abort', onAbort);
      forgetGroup();
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      // A failed spawn has no group; a failure after the start (rare) may have left one.
      if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
      finish();
      reject(new ProcessStartError(command, args, options.cwd, error));
    });
    // 'close' waits for the pipes, so every line has been delivered when we resolve.
    child.on('close', (exitCode, signal) => {
      if (settled) return;
      outLines.flush();
      errLines.flush();
      // Anything the program left in its group (a daemonised helper) goes too.
      if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
      finish();
      resolve({ exitCode, signal, timedOut, cancelled, durationMs: Date.now() - started, tail });
    });
  });
}
