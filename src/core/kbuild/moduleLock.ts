// One kbuild run per module folder at a time, across processes: the language server's check on save,
// rust-analyzer's flycheck (`rfl check` in another process), a test run and a load would otherwise run
// make in the same folder at once and trip over each other's half-written objects (seen: a check's
// clippy run removed the .o a test run was linking, "ld: cannot find kunit_fixture.o"). A lock is a folder (mkdir is
// atomic) holding the owner's pid; a lock whose owner is gone is taken over.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { cacheDirs, cacheRoot } from '../cache/cachePaths';

/** How long a build waits for another build of the same module folder. */
export const MODULE_LOCK_WAIT_MS = 5 * 60_000;

/** The lock of one module folder (the same path in every process that uses the same cache). */
export function moduleBuildLockPath(moduleDir: string, root = cacheRoot()): string {
  const hash = createHash('sha256').update(moduleDir).digest('hex').slice(0, 12);
  return path.join(cacheDirs.state(root), 'check', `${path.basename(moduleDir)}-${hash}.lock`);
}

function ownerAlive(lock: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
    if (!(pid > 0)) return false;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is not ours.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Waits (polling, bounded by timeoutMs and the signal) until this process holds the lock; resolves to
 * the function that releases it. Rejects when the time is up or the signal aborts.
 */
export async function acquireLock(lock: string, timeoutMs: number, signal?: AbortSignal): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  mkdirSync(path.dirname(lock), { recursive: true });
  let checkedOwner = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // The owner writes its pid right after mkdir: look once it had time to.
    if (checkedOwner && !ownerAlive(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    checkedOwner = true;
    if (signal?.aborted) throw new Error('cancelled while waiting for another build of this module');
    if (Date.now() > deadline)
      throw new Error(`another build of this module still runs after ${Math.round(timeoutMs / 1000)} s (lock ${lock})`);
    await delay(100);
  }
}
