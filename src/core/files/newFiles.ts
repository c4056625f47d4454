// Writes a set of new files into a folder, all of them or none: a folder that does not exist yet is
// filled under a temporary name beside it and renamed into place; into an existing folder each file
// is created exclusively (O_EXCL, which never follows a symbolic link) and everything created is
// removed again when one fails. Subfolders must be real folders: a symbolic link named like one
// (`.vscode` -> elsewhere) is refused, so nothing is ever written outside the folder.
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/** Why the files could not be written; nothing was left behind. */
export class NewFilesError extends Error {}

/** The reason of a file-system error in words, e.g. "permission denied". */
function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EEXIST: 'it already exists',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOENT: 'a part of the path does not exist',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    ENAMETOOLONG: 'the name is too long',
    ENOTEMPTY: 'the folder was filled meanwhile',
    ELOOP: 'a symbolic link is in the way',
  };
  return (code && words[code]) ?? (error as Error).message;
}

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new NewFilesError(`cannot look at ${file}: ${reason(error)}`);
  }
}

/** The entries of `files` (relative paths) that something already occupies in `dir`, links included. */
export function occupiedPaths(dir: string, files: Iterable<string>): string[] {
  return [...files].filter((file) => lstatOrUndefined(path.join(dir, file)) !== undefined);
}

/** Creates `file` with `text`; fails if anything (even a dangling link) is there. */
function createExclusive(file: string, text: string): void {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether `target` exists as a folder (true) or not at all (false); throws for anything else. The
 * folder itself was named by the user, so a link to a folder is taken as that folder.
 */
export function checkFolder(target: string): boolean {
  const existing = lstatOrUndefined(target);
  if (existing === undefined) return false;
  let isDir = existing.isDirectory();
  if (existing.isSymbolicLink()) {
    try {
      isDir = statSync(target).isDirectory();
    } catch {
      throw new NewFilesError(`${target} is a symbolic link to nothing: remove it or choose another folder`);
    }
  }
  if (!isDir) throw new NewFilesError(`${target} exists and is not a folder: choose another folder`);
  return true;
}

/** Writes every file of `files` (relative path -> text) into `dir`; returns the folder's absolute path. */
export function writeNewFiles(dir: string, files: ReadonlyMap<string, string>): string {
  const target = path.resolve(dir);
  for (const file of files.keys()) {
    const normal = path.normalize(file);
    if (path.isAbsolute(normal) || normal.startsWith('..')) throw new Error(`not a relative path inside the folder: ${file}`);
  }
  if (!checkFolder(target)) {
    createFolder(target, files);
    return target;
  }
  fillFolder(target, files);
  return target;
}

/** Writes into a temporary sibling, then renames it to `target` (which does not exist). */
function createFolder(target: string, files: ReadonlyMap<string, string>): void {
  const parent = path.dirname(target);
  const createdParent = makeParents(parent);
  let staging: string | undefined;
  try {
    staging = mkdtempSync(path.join(parent, `.${path.basename(target)}.rfl-new-`));
    for (const [file, text] of files) {
      const destination = path.join(staging, file);
      mkdirSync(path.dirname(destination), { recursive: true });
      createExclusive(destination, text);
    }
    renameSync(staging, target);
    staging = undefined;
  } catch (error) {
    if (staging) rmSync(staging, { recursive: true, force: true });
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
    if (error instanceof NewFilesError) throw error;
    throw new NewFilesError(`could not create ${target}: ${reason(error)}; nothing was written`, { cause: error });
  }
}

/** Creates the missing folders above `dir`; returns the topmost one it created, to undo. */
function makeParents(dir: string): string | undefined {
  let topmost: string | undefined;
  for (let at = dir; lstatOrUndefined(at) === undefined; at = path.dirname(at)) topmost = at;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new NewFilesError(`could not create the folder ${dir}: ${reason(error)}; nothing was written`, { cause: error });
  }
  return topmost;
}

/** Creates each file exclusively in the existing folder `target`; on any failure removes what it made. */
function fillFolder(target: string, files: ReadonlyMap<string, string>): void {
  const madeFiles: string[] = [];
  const madeDirs: string[] = [];
  let current = target;
  try {
    for (const [file, text] of files) {
      let dir = target;
      for (const part of path
        .dirname(path.normalize(file))
        .split(path.sep)
        .filter((p) => p !== '.' && p !== '')) {
        dir = path.join(dir, part);
        current = dir;
        const stat = lstatOrUndefined(dir);
        if (stat === undefined) {
          mkdirSync(dir);
          madeDirs.push(dir);
        } else if (!stat.isDirectory()) {
          throw new NewFilesError(
            `${dir} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; files are written only into real folders inside ${target}`,
          );
        }
      }
      current = path.join(target, file);
      createExclusive(current, text);
      madeFiles.push(current);
    }
  } catch (error) {
    for (const file of madeFiles.reverse()) rmQuietly(() => unlinkSync(file));
    for (const dir of madeDirs.reverse()) rmQuietly(() => rmdirSync(dir));
    if (error instanceof NewFilesError) throw new NewFilesError(`${error.message}; nothing was written`);
    throw new NewFilesError(`could not write ${current}: ${reason(error)}; nothing was written`, { cause: error });
  }
}

function rmQuietly(remove: () => void): void {
  try {
    remove();
  } catch {
    // Undoing is best effort; the error that made us undo is the one reported.
  }
}
