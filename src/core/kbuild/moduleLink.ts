// kbuild cannot build a module folder whose path has spaces ("building multiple external modules is
// not supported"), `%` or `:`, and make expands `$` in M=; worse, kbuild pastes the folder into shell
// recipes unquoted, so a folder named `a;&|$(cmd)` would be run as shell code. For such folders we
// hand kbuild a folder with a plain name under the cache instead.
//
// Why a staging folder of per-entry symlinks, and not one symlink to the module folder: up to 6.12
// kbuild used M= as given, so a symlink with a plain name was enough. Since 6.13 the top Makefile
// resolves it (`srcroot := $(realpath $(KBUILD_EXTMOD))`, `abs_output := $(realpath $(output))`,
// then `$(MAKE) -C $(abs_output)` in a recipe), so the real, odd path reached /bin/sh again
// (`Syntax error: "&" unexpected`, or worse, an injected command). `MO=` (6.13+) does not help: it
// only moves the outputs, the sources are still found through the resolved srcroot. So the folder
// given as M= must itself be a real directory with a plain path: it holds one symlink per source
// entry of the module folder (files and subfolders, resolved only by the kernel's tools when they
// open a file, never by make or the shell) and receives kbuild's outputs. On 6.1 and 6.12 the same
// scheme works unchanged, so every kernel takes one code path.
//
// The outputs then land in the staging folder, so after a build the module objects (.ko) are copied
// back into the module folder, where `rfl load`, the tasks and the user look for them, and the
// rust-project.json of `make rust-analyzer` is copied back with its staging paths rewritten to the
// real ones. rustc prints module files relative to the module folder (6.13+), which resolves as is,
// or as absolute staging paths (6.12 and older), which DiagnosticCollector maps back through
// `moduleAliases` (the staging folder). Every program still gets the path as one argv word; no
// shell ever sees the user's path.
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';

/** Characters make and kbuild take literally in M=. */
const PLAIN_PATH = /^[A-Za-z0-9_./+,@-]+$/;

/** In a staging folder: the module folder it stands for (JSON string). A file, not a link, so no tool walks into it. */
const MARKER = '.rfl-module-dir';

export const RUST_PROJECT_FILE = 'rust-project.json';

/**
 * Entries of the module folder that are not linked into the staging folder: kbuild's own outputs
 * (left there by builds made before the module folder was staged, or by hand) and hidden files. A
 * linked stale `foo.o` would look up to date to make and skip the compile, and kbuild would write
 * new outputs through the link into the user's folder.
 */
const NOT_A_SOURCE = /^\.|\.(?:o|ko|mod|a)$|\.mod\.c$|^Module\.symvers$|^modules\.order$|^rust-project\.json$/;

export function isPlainPath(dir: string): boolean {
  return PLAIN_PATH.test(dir);
}

function realPathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The folder to pass as M=: the module folder itself when kbuild can take it as is (its path and,
 * since 6.13 resolves it, its real path are plain), else its staging folder under linkRoot, brought
 * up to date with the module folder's entries. Returns the same folder for the same module folder.
 */
export function kbuildModulePath(moduleDir: string, linkRoot: string): string {
  if (isPlainPath(moduleDir) && isPlainPath(realPathOr(moduleDir))) return moduleDir;
  if (!existsSync(moduleDir)) throw new Error(`the module folder ${moduleDir} does not exist`);
  mkdirSync(linkRoot, { recursive: true });
  // The real path: 6.13+ kbuild resolves M=, so that is what must be plain.
  const root = realpathSync(linkRoot);
  if (!isPlainPath(root)) {
    throw new Error(`the link folder ${root} itself has characters kbuild cannot take; set XDG_CACHE_HOME (or RFL_CACHE) to a plain path`);
  }
  const staging = path.join(root, stagingName(moduleDir));
  prepareStagingFolder(staging, moduleDir);
  return staging;
}

/** Stable per module folder, so incremental builds keep working. */
function stagingName(moduleDir: string): string {
  const base = path
    .basename(moduleDir)
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 40);
  return `${base}-${createHash('sha256').update(moduleDir).digest('hex').slice(0, 12)}`;
}

function readMarker(staging: string): string | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path.join(staging, MARKER), 'utf8'));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function prepareStagingFolder(staging: string, moduleDir: string): void {
  let info: Stats | undefined;
  try {
    info = lstatSync(staging);
  } catch {
    /* not there yet */
  }
  // A symlink here is the single link older versions made; anything else unexpected is reset too.
  // rmSync removes links, it does not follow them, so the module folder is never touched.
  if (info && (!info.isDirectory() || readMarker(staging) !== moduleDir)) {
    rmSync(staging, { recursive: true, force: true });
    info = undefined;
  }
  if (!info) {
    pruneStaleFolders(path.dirname(staging));
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, MARKER), JSON.stringify(moduleDir));
  }
  syncLinks(staging, moduleDir);
}

/** One symlink per source entry; links to entries that are gone (or moved) are removed. */
function syncLinks(staging: string, moduleDir: string): void {
  const wanted = new Map<string, string>();
  for (const name of readdirSync(moduleDir)) {
    if (!NOT_A_SOURCE.test(name)) wanted.set(name, path.join(moduleDir, name));
  }
  for (const entry of readdirSync(staging, { withFileTypes: true })) {
    const file = path.join(staging, entry.name);
    const target = wanted.get(entry.name);
    if (entry.isSymbolicLink()) {
      if (target !== undefined && readlinkSync(file) === target) wanted.delete(entry.name);
      else rmSync(file, { force: true });
    } else if (target !== undefined) {
      // An old output where the module folder now has a source of that name: the source wins.
      rmSync(file, { recursive: true, force: true });
    }
  }
  // Replaced atomically, so a concurrent build never sees a missing link.
  for (const [name, target] of wanted) replaceFile(path.join(staging, name), (temporary) => symlinkSync(target, temporary));
}

/** Staging folders whose module folder is gone (scratch copies, renamed folders), and dangling old links. */
function pruneStaleFolders(root: string): void {
  for (const name of readdirSync(root)) {
    const file = path.join(root, name);
    try {
      if (lstatSync(file).isSymbolicLink()) {
        if (!existsSync(file)) rmSync(file, { force: true });
        continue;
      }
      const moduleDir = readMarker(file);
      if (moduleDir !== undefined && !existsSync(moduleDir)) rmSync(file, { recursive: true, force: true });
    } catch {
      /* removed meanwhile by another build */
    }
  }
}

/**
 * The top-level .ko files of the last build in a staging folder, from kbuild's modules.order
 * (`foo.o` on 6.13+, the absolute `DIR/foo.o` on 6.12, `DIR/foo.ko` on 6.1), so modules built
 * once but no longer in the Kbuild file are not copied back. Modules in subfolders are built
 * through the linked subfolder, so they already are in the module folder.
 */
export function stagedModuleObjects(staging: string): string[] {
  const order = path.join(staging, 'modules.order');
  if (!existsSync(order)) return [];
  const files = new Set<string>();
  for (const line of readFileSync(order, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const file = path.resolve(staging, line.trim()).replace(/\.o$/, '.ko');
    if (path.dirname(file) === staging && existsSync(file)) files.add(file);
  }
  return [...files].sort();
}

/**
 * Writes a file (or link) whole or not at all, through a temporary beside it and a rename: a reader
 * never sees half a .ko, a concurrent build never a missing link.
 */
function replaceFile(destination: string, write: (temporary: string) => void): void {
  const temporary = path.join(path.dirname(destination), `.${path.basename(destination)}.${process.pid}.rfl-tmp`);
  // A leftover of an interrupted run would make symlinkSync fail.
  rmSync(temporary, { force: true });
  try {
    write(temporary);
    renameSync(temporary, destination);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Copies the modules just built in the staging folder back into the module folder; returns the copies. */
export function copyBackModules(staging: string, moduleDir: string): string[] {
  return stagedModuleObjects(staging).map((built) => {
    const destination = path.join(moduleDir, path.basename(built));
    const bytes = readFileSync(built);
    // Unchanged since the last copy (kbuild did not relink): leave the file alone for file watchers.
    if (!sameBytes(destination, bytes)) replaceFile(destination, (temporary) => writeFileSync(temporary, bytes));
    return destination;
  });
}

function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    return statSync(file).size === bytes.length && readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/**
 * Copies the rust-project.json that `make rust-analyzer` wrote in the staging folder into the
 * module folder, every staging path in it rewritten to the real one (6.12 writes absolute root
 * modules; 6.13+ relative ones, which hold in the module folder as they are).
 */
export function copyBackRustProject(staging: string, moduleDir: string): string {
  const project = JSON.parse(readFileSync(path.join(staging, RUST_PROJECT_FILE), 'utf8'), (_key, value: unknown) =>
    typeof value === 'string' ? unstagePath(value, staging, moduleDir) : value,
  ) as unknown;
  const destination = path.join(moduleDir, RUST_PROJECT_FILE);
  replaceFile(destination, (temporary) => writeFileSync(temporary, `${JSON.stringify(project, null, 2)}\n`));
  return destination;
}

/** A path inside the staging folder as the same path in the module folder; other strings as they are. */
export function unstagePath(value: string, staging: string, moduleDir: string): string {
  if (value === staging) return moduleDir;
  return value.startsWith(`${staging}/`) ? path.join(moduleDir, value.slice(staging.length + 1)) : value;
}
