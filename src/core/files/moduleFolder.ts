// What makes a folder an out-of-tree module folder: Rust sources and either a `Kbuild` file or a
// `Makefile` that names `obj-m` (what kbuild reads for `make M=DIR`, see
// Documentation/kbuild/modules.rst). Shared by the VS Code client's module search and the language
// server's check on save.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const OBJ_M = /^\s*obj-m\s*[+:]?=/m;

/** The rule, given the folder's file names and a way to read its Makefile. */
export function looksLikeModuleFolder(names: readonly string[], makefileText: () => string): boolean {
  if (!names.some((name) => name.endsWith('.rs'))) return false;
  if (names.includes('Kbuild')) return true;
  return names.includes('Makefile') && OBJ_M.test(makefileText());
}

/** The nearest module folder holding `file` (its own folder or up to `levels` above), if any. */
export function enclosingModuleFolder(file: string, levels = 4): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (let level = 0; level <= levels; level++) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      /* unreadable: not a module folder */
    }
    const makefile = path.join(dir, 'Makefile');
    if (looksLikeModuleFolder(names, () => safeRead(makefile))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
