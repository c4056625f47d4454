// The last check's verdict per module folder, and what it was made from. A check whose inputs did not
// change (the module's sources, the kernel's build products, the toolchain) gives the same verdict,
// so it is answered from here in milliseconds: the language server checks a module when it is opened
// and rust-analyzer's flycheck after each save runs `rfl check` again on what was just checked.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RustcDiagnostic } from './rustcDiagnostic';

/** kbuild outputs, hidden files and editor files in a module folder: not inputs of a check. */
const NOT_AN_INPUT = /^\.|\.(?:o|ko|mod|a|cmd|order|symvers|d|rmeta|so)$|\.mod\.c$|^rust-project\.json$|~$/;

/** Files of the kernel build that a module build reads: rebuilt kernel, new verdicts. */
export const KERNEL_INPUTS = [
  '.config',
  'Module.symvers',
  'include/generated/rustc_cfg',
  'rust/libmacros.so',
  'rust/libkernel.rmeta',
  'rust/kernel.o',
];

export interface CachedCheck {
  fingerprint: string;
  diagnostics: RustcDiagnostic[];
  /** Whether kbuild succeeded (no error diagnostics). */
  built: boolean;
}

/** A file's size and modification time, or `-` when it is not there. */
export function stamp(file: string): string {
  try {
    const info = statSync(file);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** `NAME=stamp` of the module folder's input files (those `keep` accepts), subfolders included. */
export function moduleInputs(dir: string, depth: number, out: string[], keep: (name: string) => boolean = () => true): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (NOT_AN_INPUT.test(name)) continue;
    const file = path.join(dir, name);
    if (keep(name)) out.push(`${file}=${stamp(file)}`);
    if (depth < 8) {
      try {
        if (statSync(file).isDirectory()) moduleInputs(file, depth + 1, out, keep);
      } catch {
        /* removed meanwhile */
      }
    }
  }
}

/** A digest of everything a check's verdict depends on; `settings` is the command (tools, flags). */
export function checkFingerprint(moduleDir: string, kdir: string, outDir: string | undefined, settings: unknown): string {
  const parts: string[] = [JSON.stringify(settings)];
  moduleInputs(moduleDir, 0, parts);
  const buildDir = outDir ?? kdir;
  for (const file of KERNEL_INPUTS) parts.push(`${file}=${stamp(path.join(buildDir, file))}`);
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** One JSON entry per module folder, kept only while its fingerprint still matches. */
export class FingerprintedStore<Entry extends { fingerprint: string }> {
  constructor(
    private readonly dir: string,
    private readonly isEntry: (value: Entry) => boolean,
  ) {}

  private fileFor(moduleDir: string): string {
    return path.join(this.dir, `${createHash('sha256').update(moduleDir).digest('hex').slice(0, 16)}.json`);
  }

  read(moduleDir: string, fingerprint: string): Entry | undefined {
    try {
      const entry = JSON.parse(readFileSync(this.fileFor(moduleDir), 'utf8')) as Entry;
      return entry.fingerprint === fingerprint && this.isEntry(entry) ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  write(moduleDir: string, entry: Entry): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.fileFor(moduleDir);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(entry));
    renameSync(temporary, file);
  }

  forget(moduleDir: string): void {
    rmSync(this.fileFor(moduleDir), { force: true });
  }
}

/** The last verdict per module folder. */
export class CheckCache extends FingerprintedStore<CachedCheck> {
  constructor(dir: string) {
    super(dir, (entry) => Array.isArray(entry.diagnostics));
  }
}
