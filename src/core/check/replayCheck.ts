// Runs a module's recorded crate checks (checkRecipe.ts) one after another, compiling to metadata
// only, into a temporary folder that is removed afterwards: kbuild's objects and dep files in the
// module folder are left exactly as the last build wrote them.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeCommand, describeOutcome } from '../process/describe';
import { runProcess } from '../process/runProcess';
import type { CrateCheck } from './checkRecipe';

export interface ReplayResult {
  /** Every crate's compiler ran and exited 0. */
  ok: boolean;
  /** The compiler ran for every crate (exit 0 or 1, rustc's "compilation failed"). */
  ranToEnd: boolean;
  cancelled: boolean;
  timedOut: boolean;
  outcome: string;
  command: string;
}

export interface ReplayOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  onLine: (line: string) => void;
}

/** rustc's exit status for "compilation failed" (errors reported); others mean it could not run. */
const RUSTC_COMPILATION_FAILED = 1;

export async function replayCrateChecks(crates: readonly CrateCheck[], options: ReplayOptions): Promise<ReplayResult> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'rfl-check-'));
  const deadline = Date.now() + options.timeoutMs;
  let ok = true;
  let last = { outcome: 'not run', command: '' };
  try {
    for (const crate of crates) {
      if (!existsSync(crate.source)) {
        return { ok: false, ranToEnd: false, cancelled: false, timedOut: false, outcome: `${crate.source} is gone`, command: crate.object };
      }
      const args = [
        ...crate.args,
        '--out-dir',
        scratch,
        `--emit=metadata=${path.join(scratch, `${path.basename(crate.object, '.o')}.rmeta`)}`,
      ];
      const timeoutMs = Math.max(1, deadline - Date.now());
      let result;
      try {
        result = await runProcess(crate.program, args, {
          cwd: crate.cwd,
          // kbuild exports RUSTC_BOOTSTRAP=1 to every command (the kernel uses unstable flags).
          env: { ...process.env, RUSTC_BOOTSTRAP: '1', ...crate.env },
          timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
          onStderrLine: options.onLine,
          onStdoutLine: options.onLine,
        });
      } catch (error) {
        // Could not start (the recorded compiler or its folder is gone).
        return { ok: false, ranToEnd: false, cancelled: false, timedOut: false, outcome: (error as Error).message, command: crate.program };
      }
      last = { outcome: describeOutcome(result, timeoutMs), command: describeCommand(crate.program, args, crate.cwd) };
      if (result.cancelled || result.timedOut)
        return { ok: false, ranToEnd: false, cancelled: result.cancelled, timedOut: result.timedOut, ...last };
      if (result.exitCode !== 0 && result.exitCode !== RUSTC_COMPILATION_FAILED) {
        return { ok: false, ranToEnd: false, cancelled: false, timedOut: false, ...last };
      }
      if (result.exitCode !== 0) ok = false;
    }
    return { ok, ranToEnd: true, cancelled: false, timedOut: false, ...last };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
