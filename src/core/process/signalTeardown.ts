// A command-line process that is interrupted (Ctrl-C: SIGINT, `kill`: SIGTERM, a closed terminal:
// SIGHUP) must not leave make or QEMU running, nor its temporary folders: the programs we start
// lead process groups of their own, so the terminal's signal never reaches them. This stops
// everything liveWork knows, then exits with 128 + the signal's number, as a shell reports it.
import os from 'node:os';
import { liveWork, type LiveWork } from './liveWork';

export const TEARDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type TeardownSignal = (typeof TEARDOWN_SIGNALS)[number];

export interface TeardownOptions {
  /** How long SIGTERM gets before SIGKILL. */
  graceMs?: number;
  /** Told first, e.g. to print a line; must not throw. */
  onSignal?: (signal: TeardownSignal) => void;
  registry?: LiveWork;
}

export function signalExitCode(signal: TeardownSignal): number {
  return 128 + os.constants.signals[signal];
}

/** Installs the handlers for this process; the returned function removes them. */
export function installSignalTeardown(options: TeardownOptions = {}): () => void {
  const registry = options.registry ?? liveWork;
  let stopping = false;
  const onSignal = (signal: TeardownSignal) => {
    if (stopping) {
      // A second Ctrl-C: no more patience.
      registry.killNow();
      process.exit(signalExitCode(signal));
    }
    stopping = true;
    try {
      options.onSignal?.(signal);
    } catch {
      // A closed terminal (SIGHUP) makes writes fail; stopping matters more than saying so.
    }
    void registry.tearDown(options.graceMs ?? 2000).finally(() => process.exit(signalExitCode(signal)));
  };
  // Whatever ends the process otherwise (an uncaught error, process.exit) must not leave groups either.
  const onExit = () => registry.killNow();
  for (const signal of TEARDOWN_SIGNALS) process.on(signal, onSignal);
  process.on('exit', onExit);
  return () => {
    for (const signal of TEARDOWN_SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('exit', onExit);
  };
}
