// The tools a kernel tree was built with. An out-of-tree module must be built with exactly the same
// rustc (else error E0514), and kbuild does not remember the make variables given to the tree build,
// so every make call passes them again. `rfl kernel prepare` records them in the build folder.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
export function readRecordedToolchain(kdir: string): Toolchain | undefined {
  const file = path.join(kdir, TOOLCHAIN_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Toolchain>;
    return {
      llvm: data.llvm !== false,
      ...(typeof data.rustc === 'string' ? { rustc: data.rustc } : {}),
      ...(typeof data.rustdoc === 'string' ? { rustdoc: data.rustdoc } : {}),
      ...(typeof data.bindgen === 'string' ? { bindgen: data.bindgen } : {}),
      ...(typeof data.clippyDriver === 'string' ? { clippyDriver: data.clippyDriver } : {}),
      makeArgs: Array.isArray(data.makeArgs) ? data.makeArgs.filter((arg) => typeof arg === 'string') : [],
    };
  } catch {
    return undefined;
  }
}

export function writeRecordedToolchain(kdir: string, toolchain: Toolchain): void {
  writeFileSync(path.join(kdir, TOOLCHAIN_FILE), `${JSON.stringify(toolchain, null, 2)}\n`);
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
