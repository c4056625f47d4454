// Expands the paths given on a command line into the Rust files to lint: files as given, folders
// searched recursively for `*.rs`, skipping build output (`target/`) and hidden folders. Symbolic
// links are followed (each real folder searched once, so a link back up cannot loop); a folder that
// cannot be read or a broken link is reported, and the search goes on with the rest.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['target', 'node_modules']);

export interface CollectedFiles {
  files: string[];
  /** What could not be searched, one message per path (`path: reason`). */
  problems: string[];
}

function reason(cause: unknown): string {
  const error = cause as NodeJS.ErrnoException;
  switch (error.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return error.message;
  }
}

class Walk {
  readonly result: CollectedFiles = { files: [], problems: [] };
  /** Real paths of the folders searched so far. */
  private readonly searched = new Set<string>();

  async folder(folder: string): Promise<void> {
    let entries: Dirent[];
    try {
      const real = await realpath(folder);
      if (this.searched.has(real)) return;
      this.searched.add(real);
      entries = await readdir(folder, { withFileTypes: true });
    } catch (cause) {
      this.result.problems.push(`${folder}: cannot search: ${reason(cause)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(full);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch (cause) {
          if (entry.name.endsWith('.rs')) this.result.problems.push(`${full}: broken symbolic link: ${reason(cause)}`);
          continue;
        }
      }
      if (isDirectory) {
        if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) await this.folder(full);
      } else if (isFile && entry.name.endsWith('.rs')) {
        this.result.files.push(full);
      }
    }
  }
}

/**
 * The Rust files under the given paths, and what could not be searched. A given path that does not
 * exist throws an error naming it: that is a mistake on the command line, not in the tree.
 */
export async function collectRustFiles(paths: readonly string[]): Promise<CollectedFiles> {
  const walk = new Walk();
  for (const given of paths) {
    const info = await stat(given).catch((cause: NodeJS.ErrnoException) => {
      throw new Error(`${given}: ${reason(cause)}`, { cause });
    });
    if (info.isDirectory()) await walk.folder(given);
    else walk.result.files.push(given);
  }
  return walk.result;
}
