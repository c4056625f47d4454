// Finds the kernel build folder to use when none is named: an explicit choice, then RFL_KDIR, then a
// kernel tree that contains the module folder (working inside the kernel's own tree), then the
// running kernel's /lib/modules/$(uname -r)/build.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LocatedKernel {
  kdir: string;
  /** How it was found, for messages. */
  source: 'option' | 'environment' | 'enclosing tree' | 'running kernel';
}

function isKernelTree(dir: string): boolean {
  return (
    existsSync(path.join(dir, 'Makefile')) &&
    existsSync(path.join(dir, 'Kconfig')) &&
    existsSync(path.join(dir, 'scripts', 'Makefile.build'))
  );
}

export function locateKernel(
  explicit: string | undefined,
  moduleDir: string,
  env: NodeJS.ProcessEnv = process.env,
): LocatedKernel | undefined {
  if (explicit) return { kdir: path.resolve(explicit), source: 'option' };
  if (env.RFL_KDIR) return { kdir: path.resolve(env.RFL_KDIR), source: 'environment' };
  for (let dir = path.resolve(moduleDir); ; dir = path.dirname(dir)) {
    if (isKernelTree(dir)) return { kdir: dir, source: 'enclosing tree' };
    if (path.dirname(dir) === dir) break;
  }
  const running = `/lib/modules/${os.release()}/build`;
  if (existsSync(running)) return { kdir: running, source: 'running kernel' };
  return undefined;
}
