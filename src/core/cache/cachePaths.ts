// Where the toolkit keeps what it builds outside work trees: ${RFL_CACHE} or
// ${XDG_CACHE_HOME:-~/.cache}/rust-for-linux (kernels, helper binaries, module links, run folders).
import os from 'node:os';
import path from 'node:path';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RFL_CACHE) return path.resolve(env.RFL_CACHE);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'rust-for-linux');
}

export const cacheDirs = {
  kernels: (root: string) => path.join(root, 'kernels'),
  links: (root: string) => path.join(root, 'module-links'),
  tools: (root: string) => path.join(root, 'tools'),
  state: (root: string) => path.join(root, 'state'),
};
