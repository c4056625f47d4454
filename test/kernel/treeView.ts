// A writable view of a cached test kernel that leaves the cache untouched, for a build that must
// write into the tree (make CLIPPY=1 rebuilds rust/ in place). Preferred: overlayfs mounted in a
// private user and mount namespace (`unshare`, no privileges needed), with the cached tree as the
// read-only lower layer and everything written landing in a temporary upper layer: nothing to copy,
// little to delete. Where the kernel refuses that mount, a full copy of the tree (1.9 GB for 6.12,
// about a minute and a half each way here).
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { runProcess, type RunOptions, type RunResult } from '../../src/core/process/runProcess';

const COPY_TIMEOUT_MS = 10 * 60_000;
const PROBE_TIMEOUT_MS = 30_000;

export interface TreeView {
  kind: 'overlay' | 'copy';
  /** The tree's path as commands run through `run` see it. */
  root: string;
  /** Where a file of the tree is written before `run` to change it (the upper layer, or the copy). */
  writable: string;
  /** Runs a command that sees the view at `root`. */
  run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult>;
}

/** Mounts the overlay in a new namespace, then execs the command there (arguments stay an array). */
const MOUNT_THEN_EXEC = 'mount -t overlay overlay -o "$1" "$2" && shift 2 && exec "$@"';

function overlayRun(options: string, merged: string) {
  return (command: string, args: readonly string[], runOptions: RunOptions) =>
    runProcess(
      'unshare',
      ['--user', '--map-root-user', '--mount', '--', 'sh', '-c', MOUNT_THEN_EXEC, 'sh', options, merged, command, ...args],
      runOptions,
    );
}

/** A view of `kdir` with its layers (or copy) inside `work`, which the caller removes. */
export async function kernelTreeView(kdir: string, work: string): Promise<TreeView> {
  const upper = path.join(work, 'upper');
  const merged = path.join(work, 'linux');
  for (const dir of [upper, path.join(work, 'overlay-work'), merged]) mkdirSync(dir, { recursive: true });
  const options = `lowerdir=${kdir},upperdir=${upper},workdir=${path.join(work, 'overlay-work')}`;
  const run = overlayRun(options, merged);
  const probe = await run('test', ['-f', path.join(merged, 'Makefile')], { cwd: work, timeoutMs: PROBE_TIMEOUT_MS }).catch(() => undefined);
  if (probe?.exitCode === 0) return { kind: 'overlay', root: merged, writable: upper, run };
  const copy = path.join(work, 'copy');
  const copied = await runProcess('cp', ['-a', kdir, copy], { cwd: work, timeoutMs: COPY_TIMEOUT_MS });
  if (copied.exitCode !== 0) throw new Error(`cp -a ${kdir} ${copy} failed (overlay mount unavailable too): ${copied.tail}`);
  return { kind: 'copy', root: copy, writable: copy, run: (command, args, runOptions) => runProcess(command, args, runOptions) };
}

/**
 * Copies the files of `kdir` the linter reads into `target`: the Rust sources of rust/, the
 * makefiles (lint flags, crates without clippy), .clippy.toml and rustc_cfg. Megabytes, not the tree.
 */
export function lintCopy(kdir: string, target: string): void {
  for (const file of ['Makefile', '.clippy.toml', 'rust/Makefile', 'include/generated/rustc_cfg']) {
    // 6.1 has no .clippy.toml: its absence is a fact the linter reads too.
    if (existsSync(path.join(kdir, file))) cpSync(path.join(kdir, file), path.join(target, file), { recursive: true });
  }
  cpSync(path.join(kdir, 'rust'), path.join(target, 'rust'), {
    recursive: true,
    filter: (from) => {
      const relative = path.relative(kdir, from);
      if (relative.split(path.sep).some((part) => part.startsWith('.'))) return false;
      return from.endsWith('.rs') || statSync(from).isDirectory();
    },
  });
}
