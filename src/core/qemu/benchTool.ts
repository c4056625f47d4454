// The guest benchmark program (guest/rfl-bench.c), compiled with the host's gcc as a static binary
// (glibc's libc.a from libc6-dev) into the tool cache, again whenever the source is newer than the
// binary. It goes into the initramfs as /bin/rfl-bench for workloads and guest scripts.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeCommand, describeOutcome } from '../process/describe';
import { runProcess } from '../process/runProcess';

export const BENCH_GUEST_PATH = '/bin/rfl-bench';
const SOURCE_NAME = 'rfl-bench.c';
const COMPILE_TIMEOUT_MS = 60_000;

/** The shipped source: beside the bundle (dist/ → ../guest) or in the source tree (src/core/qemu → ../../../guest). */
export function benchSource(): string {
  const candidates = [path.resolve(__dirname, '..', 'guest', SOURCE_NAME), path.resolve(__dirname, '..', '..', '..', 'guest', SOURCE_NAME)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found)
    throw new Error(`the guest benchmark source ${SOURCE_NAME} is missing (looked in ${candidates.join(', ')}): reinstall the toolkit`);
  return found;
}

/** Compiles rfl-bench into toolsDir when it is missing or older than its source; returns its path. */
export async function ensureBench(toolsDir: string, signal?: AbortSignal, source = benchSource()): Promise<string> {
  const binary = path.join(toolsDir, 'rfl-bench');
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(toolsDir, { recursive: true });
  const temporary = `${binary}.${process.pid}.tmp`;
  const args = ['-static', '-O2', '-Wall', '-o', temporary, source];
  const result = await runProcess('gcc', args, { cwd: toolsDir, timeoutMs: COMPILE_TIMEOUT_MS, ...(signal ? { signal } : {}) });
  if (result.exitCode !== 0) {
    rmSync(temporary, { force: true });
    throw new Error(
      `could not build the guest benchmark: ${describeCommand('gcc', args, toolsDir)} failed (${describeOutcome(result, COMPILE_TIMEOUT_MS)}). ` +
        `It needs gcc and the static C library (Debian: apt-get install gcc libc6-dev).\n${result.tail}`,
    );
  }
  renameSync(temporary, binary);
  return binary;
}
