// Checks that a folder is a kernel build tree an out-of-tree Rust module can be built against and
// booted from, each failure with a plain explanation and a fix.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readRecordedToolchain } from '../toolchain/toolchain';
import { readKernelConfig, readKernelVersion, readTreeRustcVersion } from './kernelTree';

export interface KernelCheck {
  id: 'tree' | 'version' | 'config' | 'rust' | 'rust-metadata' | 'symvers' | 'image' | 'toolchain';
  ok: boolean;
  /** What was found, in a sentence. */
  message: string;
  /** What to do when not ok. */
  fix?: string;
  /** A failed check that does not stop a build (e.g. no bzImage stops only `load`). */
  severity: 'error' | 'warning' | 'info';
}

export const BZIMAGE = 'arch/x86/boot/bzImage';
const PREPARE_FIX =
  'Prepare a test kernel with "rfl kernel prepare --source /usr/src/linux-source-6.12.tar.xz" and pass the folder it prints as --kdir.';

export interface CheckOptions {
  /** `load` needs a bootable image; `build` does not. */
  needImage?: boolean;
}

export function checkKernelTree(kdir: string, options: CheckOptions = {}): KernelCheck[] {
  const checks: KernelCheck[] = [];
  if (!existsSync(path.join(kdir, 'Makefile'))) {
    checks.push({
      id: 'tree',
      ok: false,
      severity: 'error',
      message: `${kdir} has no top-level Makefile, so it is not a kernel source or build folder.`,
      fix: `Pass the kernel build folder with --kdir (it holds Makefile, .config and Module.symvers). ${PREPARE_FIX}`,
    });
    return checks;
  }
  const version = readKernelVersion(kdir);
  checks.push(
    version
      ? { id: 'version', ok: true, severity: 'info', message: `Linux ${version.text}` }
      : {
          id: 'version',
          ok: false,
          severity: 'error',
          message: 'the top Makefile names no VERSION/PATCHLEVEL.',
          fix: 'Point --kdir at the top of a kernel tree.',
        },
  );
  const config = readKernelConfig(kdir);
  if (!config) {
    checks.push({
      id: 'config',
      ok: false,
      severity: 'error',
      message: 'there is no .config: the tree is not configured.',
      fix: `Configure and build it (make LLVM=1 menuconfig, enable CONFIG_RUST, make LLVM=1), or: ${PREPARE_FIX}`,
    });
    return checks;
  }
  checks.push({ id: 'config', ok: true, severity: 'info', message: '.config present' });
  const rust = config.get('CONFIG_RUST');
  checks.push(
    rust === 'y'
      ? { id: 'rust', ok: true, severity: 'info', message: 'CONFIG_RUST=y' }
      : {
          id: 'rust',
          ok: false,
          severity: 'error',
          message: `CONFIG_RUST is ${rust === undefined ? 'absent' : `"${rust}"`}: this kernel cannot load Rust modules.`,
          fix: `Enable it (it needs a supported rustc and bindgen: "make LLVM=1 rustavailable" says what is missing, and CONFIG_MODVERSIONS off), then rebuild. ${PREPARE_FIX}`,
        },
  );
  const rustDir = path.join(kdir, 'rust');
  const rmeta = existsSync(rustDir) ? readdirSync(rustDir).filter((name) => name.endsWith('.rmeta')) : [];
  const hasKernelCrate = rmeta.includes('libkernel.rmeta');
  checks.push(
    hasKernelCrate
      ? { id: 'rust-metadata', ok: true, severity: 'info', message: `Rust metadata present (${rmeta.length} crates in rust/)` }
      : {
          id: 'rust-metadata',
          ok: false,
          severity: 'error',
          message:
            'rust/libkernel.rmeta is missing: modules have no `kernel` crate to link against. Distribution header packages usually lack it.',
          fix: `Build the tree itself (make LLVM=1 -jN) with CONFIG_RUST=y, or: ${PREPARE_FIX}`,
        },
  );
  checks.push(
    existsSync(path.join(kdir, 'Module.symvers'))
      ? { id: 'symvers', ok: true, severity: 'info', message: 'Module.symvers present' }
      : {
          id: 'symvers',
          ok: false,
          severity: 'error',
          message: 'Module.symvers is missing: the tree was never fully built, so modpost cannot resolve symbols.',
          fix: 'Finish the kernel build (make LLVM=1 -jN in the tree).',
        },
  );
  const image = existsSync(path.join(kdir, BZIMAGE));
  checks.push(
    image
      ? { id: 'image', ok: true, severity: 'info', message: `${BZIMAGE} present` }
      : {
          id: 'image',
          ok: false,
          severity: options.needImage ? 'error' : 'warning',
          message: `${BZIMAGE} is missing: modules can be built but not booted in QEMU.`,
          fix: `Build the image (make LLVM=1 bzImage), or: ${PREPARE_FIX}`,
        },
  );
  const treeRustc = readTreeRustcVersion(kdir);
  const recorded = readRecordedToolchain(kdir);
  checks.push({
    id: 'toolchain',
    ok: true,
    severity: 'info',
    message: `built with ${treeRustc ?? 'an unknown rustc'}${recorded?.rustc ? ` (recorded: RUSTC=${recorded.rustc})` : ''}; modules must use the same rustc, else error E0514`,
  });
  return checks;
}

export function failedChecks(checks: readonly KernelCheck[]): KernelCheck[] {
  return checks.filter((check) => !check.ok && check.severity === 'error');
}

export function formatCheck(check: KernelCheck): string {
  const mark = check.ok ? 'ok' : check.severity === 'error' ? 'FAIL' : 'warn';
  return `${mark.padEnd(4)} ${check.id}: ${check.message}${!check.ok && check.fix ? `\n     fix: ${check.fix}` : ''}`;
}
