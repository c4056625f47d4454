// The tools a kernel tree was built with. An out-of-tree module must be built with exactly the same
// rustc (else error E0514), and kbuild does not remember the make variables given to the tree build,
// so every make call passes them again. `rfl kernel prepare` records them in the build folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../files/atomicWrite';
import { readJsonFile } from '../schema/jsonSchema';

export interface Toolchain {
  /** LLVM=1 (clang, lld); the usual choice for Rust. */
  llvm: boolean;
  rustc?: string;
  rustdoc?: string;
  bindgen?: string;
  clippyDriver?: string;
  /** Further `VAR=value` words or targets given to every make call. */
  makeArgs: string[];
}

export const TOOLCHAIN_FILE = 'rfl-toolchain.json';

export function emptyToolchain(): Toolchain {
  return { llvm: true, makeArgs: [] };
}

/** `LLVM=1 RUSTC=... BINDGEN=...`: the make variables that select the toolchain. */
export function toolchainMakeVars(toolchain: Toolchain): string[] {
  const vars: string[] = [];
  if (toolchain.llvm) vars.push('LLVM=1');
  // HOSTRUSTC builds the `macros` proc-macro that RUSTC then loads: they must be the same compiler
  // (kbuild's default is whatever `rustc` is first on PATH, often rustup's).
  if (toolchain.rustc) vars.push(`RUSTC=${toolchain.rustc}`, `HOSTRUSTC=${toolchain.rustc}`);
  if (toolchain.rustdoc) vars.push(`RUSTDOC=${toolchain.rustdoc}`);
  if (toolchain.bindgen) vars.push(`BINDGEN=${toolchain.bindgen}`);
  if (toolchain.clippyDriver) vars.push(`CLIPPY_DRIVER=${toolchain.clippyDriver}`);
  return [...vars, ...toolchain.makeArgs];
}

/** The toolchain `rfl kernel prepare` recorded in a build folder, if any. */
const TOOLCHAIN_RECORD_SCHEMA = {
  type: 'object',
  properties: {
    llvm: { type: 'boolean' },
    rustc: { type: 'string' },
    rustdoc: { type: 'string' },
    bindgen: { type: 'string' },
    clippyDriver: { type: 'string' },
    makeArgs: { type: 'array', items: { type: 'string' } },
  },
};

/** The toolchain `rfl kernel prepare` recorded in a build folder, if any (and if it fits the record's schema). */
export function readRecordedToolchain(kdir: string): Toolchain | undefined {
  const data = readJsonFile<Partial<Toolchain>>(path.join(kdir, TOOLCHAIN_FILE), TOOLCHAIN_RECORD_SCHEMA);
  if (!data) return undefined;
  return {
    llvm: data.llvm !== false,
    ...(data.rustc !== undefined ? { rustc: data.rustc } : {}),
    ...(data.rustdoc !== undefined ? { rustdoc: data.rustdoc } : {}),
    ...(data.bindgen !== undefined ? { bindgen: data.bindgen } : {}),
    ...(data.clippyDriver !== undefined ? { clippyDriver: data.clippyDriver } : {}),
    makeArgs: data.makeArgs ?? [],
  };
}

export function writeRecordedToolchain(kdir: string, toolchain: Toolchain): void {
  writeJsonAtomic(path.join(kdir, TOOLCHAIN_FILE), toolchain);
}

export interface ToolchainOverrides {
  rustc?: string | undefined;
  rustdoc?: string | undefined;
  bindgen?: string | undefined;
  clippyDriver?: string | undefined;
  llvm?: boolean | undefined;
  makeArgs?: string[] | undefined;
}

/**
 * Explicit options win, then `RFL_RUSTC`/`RFL_RUSTDOC`/`RFL_BINDGEN`/`RFL_CLIPPY_DRIVER` from the
 * environment, then what the build folder recorded. Extra make arguments add up.
 */
export function resolveToolchain(kdir: string, overrides: ToolchainOverrides, env: NodeJS.ProcessEnv = process.env): Toolchain {
  const recorded = readRecordedToolchain(kdir) ?? emptyToolchain();
  const pick = (explicit: string | undefined, envName: string, fallback: string | undefined) =>
    explicit ?? (env[envName] || undefined) ?? fallback;
  const rustc = pick(overrides.rustc, 'RFL_RUSTC', recorded.rustc);
  const bindgen = pick(overrides.bindgen, 'RFL_BINDGEN', recorded.bindgen);
  // clippy-driver and rustdoc must match rustc too (a rustup clippy-driver first on PATH gives E0514):
  // take the ones installed beside the chosen rustc when nothing else is said.
  const sibling = (name: string) => {
    const candidate = rustc && path.isAbsolute(rustc) ? path.join(path.dirname(rustc), name) : undefined;
    return candidate && existsSync(candidate) ? candidate : undefined;
  };
  const rustdoc = pick(overrides.rustdoc, 'RFL_RUSTDOC', recorded.rustdoc) ?? sibling('rustdoc');
  const clippyDriver = pick(overrides.clippyDriver, 'RFL_CLIPPY_DRIVER', recorded.clippyDriver) ?? sibling('clippy-driver');
  return {
    llvm: overrides.llvm ?? recorded.llvm,
    ...(rustc ? { rustc } : {}),
    ...(rustdoc ? { rustdoc } : {}),
    ...(bindgen ? { bindgen } : {}),
    ...(clippyDriver ? { clippyDriver } : {}),
    makeArgs: [...recorded.makeArgs, ...(overrides.makeArgs ?? [])],
  };
}
