// kbuild cannot take a module folder whose path has spaces ("building multiple external modules is
// not supported") and make expands `$` in M=. For such folders we hand kbuild a symlink with a plain
// name, stable per folder so incremental builds keep working, and map its paths back afterwards.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/** Characters make and kbuild take literally in M=. */
const PLAIN_PATH = /^[A-Za-z0-9_./+,@-]+$/;

export function isPlainPath(dir: string): boolean {
  return PLAIN_PATH.test(dir);
}

/** The folder to pass as M=: the module folder itself, or a symlink to it under linkRoot. */
export function kbuildModulePath(moduleDir: string, linkRoot: string): string {
  if (isPlainPath(moduleDir)) return moduleDir;
  if (!isPlainPath(linkRoot)) {
    throw new Error(`the link folder ${linkRoot} itself has characters kbuild cannot take; set XDG_CACHE_HOME to a plain path`);
  }
  mkdirSync(linkRoot, { recursive: true });
  const name = `${path.basename(moduleDir).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${createHash('sha256').update(moduleDir).digest('hex').slice(0, 12)}`;
  const link = path.join(linkRoot, name);
  let current: string | undefined;
  try {
    if (lstatSync(link).isSymbolicLink()) current = readlinkSync(link);
  } catch {
    /* no link yet */
  }
  if (current !== moduleDir) {
    pruneDanglingLinks(linkRoot);
    // Replace atomically so a concurrent build never sees a missing link.
    const temporary = `${link}.${process.pid}.tmp`;
    symlinkSync(moduleDir, temporary);
    renameSync(temporary, link);
  }
  return link;
}

/** Links whose module folder is gone (scratch copies, renamed folders) are removed as new ones come. */
function pruneDanglingLinks(linkRoot: string): void {
  for (const name of readdirSync(linkRoot)) {
    const link = path.join(linkRoot, name);
    if (!existsSync(link)) rmSync(link, { force: true });
  }
}
