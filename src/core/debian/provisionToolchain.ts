// Gets the toolchain of a kernel recipe onto this machine and returns it as make variables' values.
// Private tools live in ${cache}/toolchains/<recipe>/ with small sh wrappers that run them through
// their own suite's loader and libraries (Debian 13's bindgen needs glibc 2.39; bookworm has 2.36).
// A folder whose wrapper answers with the expected version is reused as is.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from '../process/runProcess';
import type { Toolchain } from '../toolchain/toolchain';
import { DebianPackageError, installSystemPackages, unpackPrivately, type AptOptions } from './aptPackages';
import { KERNEL_BUILD_PACKAGES, LLVM_BUILD_PACKAGES, type BindgenRecipe, type KernelRecipe, type RustRecipe } from './kernelRecipes';

const VERSION_TIMEOUT_MS = 60_000;

/** `'...'` for sh, whatever the text holds. */
export function shQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function writeWrapper(file: string, comment: string, body: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `#!/bin/sh\n# ${comment}\n${body}\n`);
  chmodSync(`${file}.tmp`, 0o755);
  // Renamed into place, so a reader never runs half a script.
  renameSync(`${file}.tmp`, file);
}

/** The first line `tool --version` prints, or undefined when it does not run. */
async function versionOf(tool: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  let first: string | undefined;
  const result = await runProcess(tool, ['--version'], {
    cwd: os.tmpdir(),
    timeoutMs: VERSION_TIMEOUT_MS,
    ...(env ? { env } : {}),
    onStdoutLine: (line) => {
      first ??= line;
    },
  }).catch(() => undefined);
  return result?.exitCode === 0 ? first : undefined;
}

async function expectVersion(tool: string, pattern: RegExp, what: string): Promise<void> {
  const version = await versionOf(tool);
  if (!version || !pattern.test(version)) {
    throw new DebianPackageError(
      `${what} at ${tool} does not run as expected (it printed ${version ? `"${version}"` : 'nothing'}); delete its folder and run this again.`,
    );
  }
}

export interface ProvisionOptions extends AptOptions {
  cacheRoot: string;
}

const toolchainsDir = (options: ProvisionOptions) => path.join(options.cacheRoot, 'toolchains');

/** The folder of the private Rust 1.63: its unpacked packages in `root/`, its wrappers in `bin/`. */
export function rust163Dir(cacheRoot: string): string {
  return path.join(cacheRoot, 'toolchains', 'rust-1.63-bookworm');
}

async function provisionRust(
  recipe: RustRecipe,
  options: ProvisionOptions,
): Promise<Pick<Toolchain, 'rustc' | 'rustdoc' | 'clippyDriver'> & { bindgen?: string }> {
  if (recipe === 'rustc-web') {
    // rustc-web conflicts with bookworm's rustc: apt-get replaces it (the 1.63 recipe is private for this reason).
    await installSystemPackages(['rustc-web', 'rust-web-src', 'rust-web-clippy'], 'the Rust toolchain (rustc-web 1.96)', options);
    await expectVersion('/usr/bin/rustc', /^rustc 1\.96\./, 'rustc-web');
    return { rustc: '/usr/bin/rustc', rustdoc: '/usr/bin/rustdoc', clippyDriver: '/usr/bin/clippy-driver' };
  }
  const dir = rust163Dir(options.cacheRoot);
  const bin = path.join(dir, 'bin');
  const tools = {
    rustc: path.join(bin, 'rustc'),
    rustdoc: path.join(bin, 'rustdoc'),
    clippyDriver: path.join(bin, 'clippy-driver'),
    bindgen: path.join(bin, 'bindgen'),
  };
  const unpacked = path.join(dir, 'root');
  if ((await versionOf(tools.rustc))?.startsWith('rustc 1.63')) {
    // Rewritten on reuse too: a folder made by an older version may hold wrappers since fixed.
    writeRust163Wrappers(unpacked, bin);
    return tools;
  }
  await installSystemPackages(['libclang1-14'], 'bindgen 0.60 (libclang 14)', options);
  const { root } = await unpackPrivately(
    dir,
    'bookworm',
    ['rustc', 'rust-src', 'rust-clippy', 'bindgen', 'libstd-rust-dev', 'libstd-rust-1.63'],
    options,
  );
  writeRust163Wrappers(root, bin);
  await expectVersion(tools.rustc, /^rustc 1\.63/, 'rustc 1.63');
  return tools;
}

/**
 * The wrappers of the unpacked Debian 12 Rust 1.63 in `root`, written into `bin`. The unpacked rustc
 * has no RPATH: its libraries come through LD_LIBRARY_PATH. rustc and rustdoc find their sysroot (and
 * rust-src under it) from their location; clippy-driver 1.63 does not: without `--sysroot` or
 * `SYSROOT` it asks the `rustc` first on PATH (often rustup's), whose newer std it then cannot read
 * ("error[E0786]: found invalid metadata files for crate `std`", and `make CLIPPY=1` fails on the
 * kernel's `macros` crate). `SYSROOT` rather than `--sysroot`: kbuild passes its own `--sysroot` to
 * some commands, and a second one is an error, while clippy-driver reads `SYSROOT` only when no
 * `--sysroot` is given.
 */
export function writeRust163Wrappers(root: string, bin: string): void {
  const libraries = `LD_LIBRARY_PATH=${shQuote(path.join(root, 'usr/lib/x86_64-linux-gnu'))}"\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"`;
  for (const tool of ['rustc', 'rustdoc', 'clippy-driver']) {
    const sysroot = tool === 'clippy-driver' ? `SYSROOT=${shQuote(path.join(root, 'usr'))} ` : '';
    writeWrapper(
      path.join(bin, tool),
      `Debian 12's ${tool} 1.63, unpacked privately (it conflicts with rustc-web).`,
      `${sysroot}${libraries} exec ${shQuote(path.join(root, 'usr/bin', tool))} "$@"`,
    );
  }
  writeWrapper(path.join(bin, 'bindgen'), "Debian 12's bindgen 0.60.", `exec ${shQuote(path.join(root, 'usr/bin/bindgen'))} "$@"`);
}

/** The run-time closure of Debian 13's bindgen with libclang 19 (all from Debian 13). */
const CLANG19_CLOSURE = [
  'bindgen',
  'libclang1-19',
  'libllvm19',
  'libc6',
  'libgcc-s1',
  'libstdc++6',
  'libffi8',
  'libxml2',
  'libz3-4',
  'libedit2',
  'libtinfo6',
  'zlib1g',
  'libzstd1',
  'libicu76',
  'liblzma5',
  'libbsd0',
  'libmd0',
];

async function provisionBindgen(recipe: BindgenRecipe, rustBindgen: string | undefined, options: ProvisionOptions): Promise<string> {
  if (recipe === 'bindgen-0.60-bookworm') {
    if (!rustBindgen) throw new DebianPackageError('bindgen 0.60 comes with the rustc 1.63 recipe');
    return rustBindgen;
  }
  const dir = path.join(toolchainsDir(options), recipe);
  const wrapper = path.join(dir, 'bindgen');
  if ((await versionOf(wrapper))?.startsWith('bindgen 0.71')) return wrapper;
  const loader = (root: string) => shQuote(path.join(root, 'usr/lib64/ld-linux-x86-64.so.2'));
  if (recipe === 'bindgen-0.71-trixie') {
    // A kernel built with LLVM=1 and clang 14 passes clang-14-only flags to bindgen: bookworm's libclang 14.
    await installSystemPackages(['libclang1-14'], 'bindgen (libclang 14)', options);
    const { root } = await unpackPrivately(dir, 'trixie', ['bindgen', 'libc6', 'libgcc-s1'], options);
    writeWrapper(
      wrapper,
      "Debian 13's bindgen 0.71 through Debian 13's own loader and glibc, loading bookworm's libclang 14.",
      `export LIBCLANG_PATH="\${LIBCLANG_PATH:-/usr/lib/llvm-14/lib}"\nexec ${loader(root)} --library-path ${shQuote(`${path.join(root, 'usr/lib/x86_64-linux-gnu')}:/usr/lib/llvm-14/lib:/usr/lib/x86_64-linux-gnu`)} ${shQuote(path.join(root, 'usr/bin/bindgen'))} "$@"`,
    );
  } else {
    const { root } = await unpackPrivately(dir, 'trixie', CLANG19_CLOSURE, options);
    // LIBCLANG_PATH is forced: a caller's (llvm-14's, say) would make bindgen load the wrong libclang.
    writeWrapper(
      wrapper,
      "Debian 13's bindgen 0.71 with Debian 13's libclang 19, all private, through Debian 13's loader and glibc.",
      `export LIBCLANG_PATH=${shQuote(path.join(root, 'usr/lib/llvm-19/lib'))}\nexec ${loader(root)} --library-path ${shQuote(`${path.join(root, 'usr/lib/llvm-19/lib')}:${path.join(root, 'usr/lib/x86_64-linux-gnu')}`)} ${shQuote(path.join(root, 'usr/bin/bindgen'))} "$@"`,
    );
  }
  await expectVersion(wrapper, /^bindgen 0\.71/, "Debian 13's bindgen");
  return wrapper;
}

/** Installs or reuses everything the recipe names; the result goes to `rfl kernel prepare` as is. */
export async function provisionToolchain(recipe: KernelRecipe, options: ProvisionOptions): Promise<Toolchain> {
  await installSystemPackages(
    [...KERNEL_BUILD_PACKAGES, ...(recipe.llvm ? LLVM_BUILD_PACKAGES : [])],
    `building Linux ${recipe.series}`,
    options,
  );
  const rust = await provisionRust(recipe.rust, options);
  const bindgen = await provisionBindgen(recipe.bindgen, rust.bindgen, options);
  return {
    llvm: recipe.llvm,
    ...(rust.rustc ? { rustc: rust.rustc } : {}),
    ...(rust.rustdoc ? { rustdoc: rust.rustdoc } : {}),
    bindgen,
    ...(rust.clippyDriver ? { clippyDriver: rust.clippyDriver } : {}),
    makeArgs: [],
  };
}
