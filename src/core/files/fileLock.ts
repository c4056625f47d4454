// A lock between processes on one machine, as a file naming its owner (pid, host, start, purpose):
// `rfl kernel prepare` takes one per build folder so two prepares never run make in one folder. The
// file is made whole under a temporary name and linked into place (link fails when the name exists),
// so a reader never sees half an owner. A lock whose owner process is gone is taken over; one held
// by a live process is waited for, and the waiter is told who holds it. The lock is removed when
// released, and by the signal teardown (liveWork) when the process is stopped.
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { liveWork } from '../process/liveWork';

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** What the owner is doing, for the waiter's message. */
  what: string;
}

export interface HeldLock {
  release(): void;
}

export class LockBusyError extends Error {}

export interface LockOptions {
  /** What this process will do while holding it (shown to waiters). */
  what: string;
  /** How long to wait for a live owner before giving up. */
  waitMs: number;
  /** Called once when the lock is held by another, live process. */
  onWait?: (owner: LockOwner) => void;
  signal?: AbortSignal;
}

const POLL_MS = 200;

export function describeOwner(owner: LockOwner): string {
  return `process ${owner.pid} on ${owner.host} (${owner.what}, since ${owner.since})`;
}

function readOwner(lockFile: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string') {
      return { pid: owner.pid, host: owner.host, since: String(owner.since), what: String(owner.what) };
    }
  } catch {
    /* gone meanwhile, or not ours */
  }
  return undefined;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Links a complete owner file to `lockFile`; false when the name is taken. */
function tryCreate(lockFile: string, owner: LockOwner): boolean {
  const temporary = path.join(path.dirname(lockFile), `.${path.basename(lockFile)}.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(owner)}\n`);
  try {
    linkSync(temporary, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

export async function acquireLock(lockFile: string, options: LockOptions): Promise<HeldLock> {
  const mine: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), what: options.what };
  const started = Date.now();
  let told = false;
  for (;;) {
    if (options.signal?.aborted) throw new LockBusyError(`stopped while waiting for ${lockFile}`);
    if (tryCreate(lockFile, mine)) {
      const forget = liveWork.addDir(lockFile);
      return {
        release: () => {
          forget();
          // Only our own: after a take-over race another process may hold the name now.
          if (readOwner(lockFile)?.pid === mine.pid) rmSync(lockFile, { force: true });
        },
      };
    }
    const owner = readOwner(lockFile);
    if (owner && owner.host === mine.host && !processRuns(owner.pid)) {
      // The owner died without releasing (SIGKILL, a crash): take the lock over.
      try {
        unlinkSync(lockFile);
      } catch {
        /* another waiter took it over first */
      }
      continue;
    }
    if (owner && !told) {
      told = true;
      options.onWait?.(owner);
    }
    if (Date.now() - started > options.waitMs) {
      throw new LockBusyError(
        `${lockFile} is held by ${owner ? describeOwner(owner) : 'another process'}; gave up after ${Math.round(options.waitMs / 1000)} s. If no such process runs, remove the file.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
