// Expands the paths given on a command line into the Rust files to lint: files as given, folders
// searched recursively for `*.rs`, skipping build output (`target/`) and hidden folders.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['target', 'node_modules']);

async function walk(folder: string, found: string[]): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIPPED_FOLDERS.has(entry.name)) await walk(full, found);
    } else if (entry.isFile() && entry.name.endsWith('.rs')) {
      found.push(full);
    }
  }
}

/** The Rust files under the given paths; a path that does not exist throws an error naming it. */
export async function collectRustFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch((cause: NodeJS.ErrnoException) => {
      throw new Error(`${given}: ${cause.code === 'ENOENT' ? 'no such file or folder' : cause.message}`, { cause });
    });
    if (info.isDirectory()) await walk(given, files);
    else files.push(given);
  }
  return files;
}
