// What this process has started and must not leave behind: the process groups of programs still
// running and the temporary folders still in use. runProcess and makeTempDir record them here, so a
// signal handler (signalTeardown.ts) can end them all, whichever command started them. One
// registry per process, because signals and process groups belong to the process.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signalGroup, stopGroup } from './processGroup';

export class LiveWork {
  private readonly groups = new Set<number>();
  private readonly dirs = new Set<string>();

  /** Records a running process group; the returned function forgets it. */
  addGroup(pgid: number): () => void {
    this.groups.add(pgid);
    return () => this.groups.delete(pgid);
  }

  /** Records a folder to remove if the process is stopped; the returned function forgets it. */
  addDir(dir: string): () => void {
    this.dirs.add(dir);
    return () => this.dirs.delete(dir);
  }

  get groupIds(): readonly number[] {
    return [...this.groups];
  }

  get dirPaths(): readonly string[] {
    return [...this.dirs];
  }

  /** SIGTERM to every group, SIGKILL after `graceMs` to what is left, then every folder removed. */
  async tearDown(graceMs: number): Promise<void> {
    const groups = [...this.groups];
    this.groups.clear();
    await Promise.all(groups.map((pgid) => stopGroup(pgid, graceMs)));
    this.removeDirs();
  }

  /** The last resort when no event loop turn is left (a second signal, process exit): SIGKILL now. */
  killNow(): void {
    for (const pgid of this.groups) signalGroup(pgid, 'SIGKILL');
    this.groups.clear();
    this.removeDirs();
  }

  private removeDirs(): void {
    for (const dir of this.dirs) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // Nothing more can be done while stopping; the folder's name says who left it.
      }
    }
    this.dirs.clear();
  }
}

/** This process's registry. */
export const liveWork = new LiveWork();

export interface TempDir {
  path: string;
  /** Removes the folder (and forgets it). */
  remove(): void;
  /** Keeps the folder for the user (and forgets it). */
  keep(): void;
}

/** A fresh folder `${tmpdir}/${prefix}XXXXXX`, removed on remove() or when the process is stopped. */
export function makeTempDir(prefix: string, registry: LiveWork = liveWork): TempDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const forget = registry.addDir(dir);
  return {
    path: dir,
    remove: () => {
      forget();
      rmSync(dir, { recursive: true, force: true });
    },
    keep: forget,
  };
}
