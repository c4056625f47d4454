// Finds the out-of-tree module folders in a workspace: a folder with Rust sources and either a
// `Kbuild` file or a `Makefile` that names `obj-m` (what kbuild reads for `make M=DIR`, see
// Documentation/kbuild/modules.rst). The search is bounded in depth and count, and skips build
// products and VCS folders, so that opening a whole kernel tree stays cheap.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { looksLikeModuleFolder } from '../core/files/moduleFolder';

export interface ModuleSearchLimits {
  /** Folder levels below each root that are searched (the root is level 0). */
  maxDepth: number;
  /** Stop after this many module folders. */
  maxModules: number;
  /** Stop after looking into this many folders. */
  maxFolders: number;
}

export const DEFAULT_SEARCH_LIMITS: ModuleSearchLimits = { maxDepth: 4, maxModules: 64, maxFolders: 4000 };

const SKIPPED = new Set(['node_modules', 'target', 'dist', 'out', '.git', '.hg', '.svn', '.vscode', '.cache', '.tmp_versions']);
/** Whether `dir` holds a module kbuild can build with `M=dir`, given its file names. */
export async function isModuleFolder(dir: string, names?: readonly string[]): Promise<boolean> {
  const entries = names ?? (await readdir(dir).catch(() => [] as string[]));
  const makefile =
    entries.includes('Makefile') && !entries.includes('Kbuild') ? await readFile(path.join(dir, 'Makefile'), 'utf8').catch(() => '') : '';
  return looksLikeModuleFolder(entries, () => makefile);
}

/** The module folders under `roots`, breadth-first (shallow ones first), sorted within each root. */
export async function findModuleFolders(roots: readonly string[], limits: ModuleSearchLimits = DEFAULT_SEARCH_LIMITS): Promise<string[]> {
  const found: string[] = [];
  let visited = 0;
  for (const root of roots) {
    let level: string[] = [path.resolve(root)];
    for (let depth = 0; depth <= limits.maxDepth && level.length > 0; depth++) {
      const next: string[] = [];
      for (const dir of level) {
        if (found.length >= limits.maxModules || visited >= limits.maxFolders) return found;
        visited++;
        const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
        const names = entries.map((entry) => entry.name);
        if (await isModuleFolder(dir, names)) found.push(dir);
        for (const entry of entries) {
          if (entry.isDirectory() && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) next.push(path.join(dir, entry.name));
        }
      }
      level = next.sort();
    }
  }
  return found;
}

/** The module folder that contains `file` (the deepest one), if any. */
export function moduleForFile(file: string, modules: readonly string[]): string | undefined {
  const resolved = path.resolve(file);
  let best: string | undefined;
  for (const module of modules) {
    const relative = path.relative(module, resolved);
    const inside = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
    if (inside && (best === undefined || module.length > best.length)) best = module;
  }
  return best;
}

/**
 * The module a one-click action should use: the one holding the active file, else the only one in
 * the workspace, else the one used last; undefined means "ask".
 */
export function pickActiveModule(
  modules: readonly string[],
  activeFile: string | undefined,
  lastUsed: string | undefined,
): string | undefined {
  const fromFile = activeFile === undefined ? undefined : moduleForFile(activeFile, modules);
  if (fromFile) return fromFile;
  if (modules.length === 1) return modules[0];
  return lastUsed !== undefined && modules.includes(lastUsed) ? lastUsed : undefined;
}
