// The fast path of a check: once `make CLIPPY=1` has checked a module, kbuild's `.NAME.o.cmd` files
// hold the exact clippy-driver command of each of its Rust crates (the kernel's flags, cfgs, target,
// `--extern kernel`, the environment its proc macros read). Running those commands again with
// `--emit=metadata` gives the same diagnostics without make: measured on the 6.12 test kernel,
// 0.35 s for examples/rust_hello against 5 s for make CLIPPY=1, most of which is kbuild reading its
// Makefiles and linking the .ko. The recipe is kept per module folder and used only while nothing it
// was made from changed: the kernel build, the toolchain settings, the module's Kbuild and Makefiles.
// What a metadata-only compile cannot see (code generation and link errors, modpost) is left to
// `rfl check --full` and to the build itself.
import path from 'node:path';
import { createHash } from 'node:crypto';
import { KERNEL_INPUTS, moduleInputs, stamp } from './checkCache';
import { rustObjectCommands } from '../kbuild/recordedCommand';

/** One crate's check: kbuild's recorded command, minus what it wrote (objects, dep-info). */
export interface CrateCheck {
  /** The object kbuild built from it (for messages). */
  object: string;
  program: string;
  /** Arguments without `--emit` and `--out-dir`: a replay adds its own. */
  args: string[];
  /** The recorded `VAR=value` words (RUST_MODFILE, OBJTREE, ...). */
  env: Record<string, string>;
  /** kbuild's working folder for this command. */
  cwd: string;
  /** The crate root, absolute: a replay needs it to still be there. */
  source: string;
}

export interface CheckRecipe {
  fingerprint: string;
  /** kbuild's M= folder the commands were recorded in (the module folder or its staging folder). */
  kbuildDir: string;
  crates: CrateCheck[];
}

/** Files of a module folder that decide how kbuild builds it (not what it builds). */
const BUILD_FILE = /^(?:Kbuild|Makefile|GNUmakefile|.*\.mk)$/;

/** A digest of what the recorded commands depend on, besides the module's sources. */
export function recipeFingerprint(moduleDir: string, kdir: string, outDir: string | undefined, settings: unknown): string {
  const parts: string[] = [JSON.stringify(settings)];
  moduleInputs(moduleDir, 0, parts, (name) => BUILD_FILE.test(name));
  const buildDir = outDir ?? kdir;
  for (const file of KERNEL_INPUTS) parts.push(`${file}=${stamp(path.join(buildDir, file))}`);
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * The crates' check commands from the `.cmd` files a successful `make CLIPPY=1` with JSON diagnostics
 * left in `buildDir` (kbuild's M= folder); undefined when a record is not of such a build (a plain
 * `rfl build` compiles with rustc and human-readable messages), or the module has no Rust crate.
 * `objtree` is kbuild's folder for commands it names with an absolute target (before 6.13 kbuild ran
 * everything from the kernel's build folder; since then, from the module's folder, naming targets
 * relative to it).
 */
export function recipeFromBuild(buildDir: string, objtree: string): CrateCheck[] | undefined {
  const crates: CrateCheck[] = [];
  for (const [object, recorded] of rustObjectCommands(buildDir)) {
    const [program = '', ...recordedArgs] = recorded.argv;
    if (!path.basename(program).startsWith('clippy-driver') || !recordedArgs.includes('--error-format=json')) return undefined;
    const cwd = path.isAbsolute(recorded.target) ? objtree : buildDir;
    const args: string[] = [];
    for (let index = 0; index < recordedArgs.length; index++) {
      const arg = recordedArgs[index] ?? '';
      if (arg === '--out-dir' || arg === '--emit') index++;
      else if (!arg.startsWith('--emit') && !arg.startsWith('--out-dir=')) args.push(arg);
    }
    const root = [...args].reverse().find((arg) => arg.endsWith('.rs') && !arg.startsWith('-'));
    if (!root) return undefined;
    crates.push({ object, program, args, env: recorded.env, cwd, source: path.resolve(cwd, root) });
  }
  return crates.length > 0 ? crates : undefined;
}
