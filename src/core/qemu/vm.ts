// Runs one QEMU VM: streams its serial console line by line, bounds it by a whole-run timeout and
// an optional "kernel must start within N ms" watchdog (how a KVM that hangs is caught), and kills
// its process group on timeout, cancel, error or when the caller says the run is over.
import os from 'node:os';
import { describeCommand } from '../process/describe';
import { runProcess, type RunResult } from '../process/runProcess';
import { QEMU, qemuArgs, type QemuRequest } from './qemuArgs';

export interface VmOptions extends QemuRequest {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Kill the VM when no line matching kernelStartPattern appeared within this many ms. */
  startWatchdogMs?: number;
  /** Called with each console line and the ms since QEMU started. */
  onLine: (line: string, elapsedMs: number) => void;
  /** The QEMU binary; qemu-system-x86_64 from PATH by default. */
  qemu?: string;
}

export interface VmResult extends RunResult {
  command: string;
  /** The start watchdog fired: the kernel never printed its banner. */
  startTimedOut: boolean;
  /** The caller asked the VM to stop (stop()). */
  stoppedByCaller: boolean;
}

/** The first line every x86 kernel prints on the serial console. */
export const KERNEL_START_PATTERN = /Linux version \d/;

export interface VmHandle {
  result: Promise<VmResult>;
  /** Ends the VM now (process group SIGTERM, then SIGKILL). */
  stop: () => void;
}

export function startVm(options: VmOptions): VmHandle {
  const qemu = options.qemu ?? QEMU;
  const args = qemuArgs(options);
  const local = new AbortController();
  let startTimedOut = false;
  let stoppedByCaller = false;
  let kernelStarted = false;
  const started = Date.now();
  const onOuter = () => local.abort();
  options.signal?.addEventListener('abort', onOuter, { once: true });
  if (options.signal?.aborted) local.abort();
  const watchdog =
    options.startWatchdogMs === undefined
      ? undefined
      : setTimeout(() => {
          if (!kernelStarted) {
            startTimedOut = true;
            local.abort();
          }
        }, options.startWatchdogMs);
  const onLine = (line: string) => {
    if (!kernelStarted && KERNEL_START_PATTERN.test(line)) kernelStarted = true;
    options.onLine(line, Date.now() - started);
  };
  const result = runProcess(qemu, args, {
    cwd: os.tmpdir(),
    timeoutMs: options.timeoutMs,
    signal: local.signal,
    onStdoutLine: onLine,
    onStderrLine: onLine,
    // QEMU exits promptly on SIGTERM; SIGKILL soon after if it does not.
    killGraceMs: 1000,
  })
    .then(
      (run) => ({
        ...run,
        command: describeCommand(qemu, args),
        startTimedOut,
        stoppedByCaller,
        cancelled: run.cancelled && !startTimedOut && !stoppedByCaller,
      }),
      (error: unknown) => {
        throw error;
      },
    )
    .finally(() => {
      if (watchdog) clearTimeout(watchdog);
      options.signal?.removeEventListener('abort', onOuter);
    });
  return {
    result,
    stop: () => {
      stoppedByCaller = true;
      local.abort();
    },
  };
}
