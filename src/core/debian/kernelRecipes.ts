// Which Debian toolchain builds which kernel, on a Debian 12 machine (facts measured here:
// ../shared/reference/test-kernels.md). The one place this knowledge lives: `rfl kernel prepare`,
// the VS Code "Prepare a Test Kernel" command and the set-up scripts all ask this table.
//
//  kernel      rustc                                 bindgen                                      compiler
//  6.1         bookworm rustc 1.63 (private: it       bookworm bindgen 0.60 (same folder)           LLVM=1, clang 14
//              conflicts with rustc-web)
//  6.11-6.19   bookworm-security rustc-web 1.96       trixie bindgen 0.71 + bookworm libclang 14    LLVM=1, clang 14
//  7.x         bookworm-security rustc-web 1.96       trixie bindgen 0.71 + trixie libclang 19      GCC (7.x wants LLVM >= 17)
//
// 6.2-6.10 pin one exact rustc (1.62 to 1.78) that Debian does not ship: no recipe, and the error says so.
import type { KernelVersion } from '../kernel/kernelTree';

export type RustRecipe = 'rustc-web' | 'rust-1.63-bookworm';
export type BindgenRecipe = 'bindgen-0.60-bookworm' | 'bindgen-0.71-trixie' | 'bindgen-0.71-clang19';

export interface KernelRecipe {
  /** `6.12`: the series it is for, in messages. */
  series: string;
  rust: RustRecipe;
  bindgen: BindgenRecipe;
  /** LLVM=1 (clang and lld) or GCC. */
  llvm: boolean;
  /** The Debian package of this series' source, and the suite that has it. */
  sourcePackage: { name: string; suite: 'bookworm' | 'sid' };
}

/** What every kernel build needs on the machine (Debian 12 packages), beyond the toolchain. */
export const KERNEL_BUILD_PACKAGES = [
  'make',
  'gcc',
  'libc6-dev',
  'flex',
  'bison',
  'bc',
  'libelf-dev',
  'libssl-dev',
  'cpio',
  'xz-utils',
  'debian-archive-keyring',
];
/** LLVM=1 builds add clang, lld and the LLVM tools. */
export const LLVM_BUILD_PACKAGES = ['clang', 'llvm', 'lld'];

/** The recipe for one kernel version, or an explanation of why there is none. */
export function recipeFor(version: Pick<KernelVersion, 'version' | 'patchlevel'>): KernelRecipe | { unsupported: string } {
  const series = `${version.version}.${version.patchlevel}`;
  const at = version.version * 1000 + version.patchlevel;
  if (at === 6001) {
    return {
      series,
      rust: 'rust-1.63-bookworm',
      bindgen: 'bindgen-0.60-bookworm',
      llvm: true,
      sourcePackage: { name: 'linux-source-6.1', suite: 'bookworm' },
    };
  }
  if (at >= 6011 && at < 7000) {
    return {
      series,
      rust: 'rustc-web',
      bindgen: 'bindgen-0.71-trixie',
      llvm: true,
      sourcePackage: { name: `linux-source-${series}`, suite: 'bookworm' },
    };
  }
  if (at >= 7000) {
    return {
      series,
      rust: 'rustc-web',
      bindgen: 'bindgen-0.71-clang19',
      llvm: false,
      sourcePackage: { name: `linux-source-${series}`, suite: 'sid' },
    };
  }
  return {
    unsupported: `Linux ${series} pins one exact rustc (before 6.11 each kernel wants its own, 1.62 to 1.78), and Debian ships none that fits. Build that kernel yourself and pass --rustc, --bindgen (and --clippy-driver, --rustdoc), or use 6.1, 6.12 or 7.x.`,
  };
}

/** The series this machine's Debian can give a source package and a toolchain for, newest last. */
export const DEBIAN_KERNEL_SERIES = ['6.1', '6.12', '7.2'] as const;

export function parseSeries(text: string): Pick<KernelVersion, 'version' | 'patchlevel'> | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(text);
  return match ? { version: Number(match[1]), patchlevel: Number(match[2]) } : undefined;
}
