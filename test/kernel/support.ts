// Shared helpers for the real-kernel tests: which test kernels to use, scratch copies of the test
// modules, and a check for leftover QEMU processes.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheRoot } from '../../src/core/cache/cachePaths';
import { resolveToolchain, type Toolchain } from '../../src/core/toolchain/toolchain';

export const REPO = path.resolve(__dirname, '..', '..');

export interface TestKernel {
  /** `6.12` */
  label: string;
  kdir: string;
  toolchain: Toolchain;
  /** Where this kernel's test modules live (the module API differs between 6.1, 6.12 and 7.2). */
  modulesDir: string;
  /** The example module in this kernel's API. */
  exampleDir: string;
  /** The errno the init-failure module returns (6.1's Rust API can only make ENOMEM). */
  initErrno: string;
  initErrorModule: string;
}

/** `export RFL_TEST_KDIR_6_12=...` lines written by .ci/test-kernels.sh, used when the variables are unset. */
function readEnvFile(): Map<string, string> {
  const file = process.env.RFL_TEST_ENV_FILE ?? path.join(cacheRoot(), 'test-kernels.env');
  const values = new Map<string, string>();
  if (!existsSync(file)) return values;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^export (\w+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2]) values.set(match[1], match[2]);
  }
  return values;
}

export type KernelLookup = { kernel: TestKernel } | { missing: string };

export function testKernel(label: '6.12' | '6.1' | '7.2'): KernelLookup {
  const variable = `RFL_TEST_KDIR_${label.replace('.', '_')}`;
  const kdir = process.env[variable] || readEnvFile().get(variable);
  if (!kdir || !existsSync(path.join(kdir, 'arch/x86/boot/bzImage'))) {
    return {
      missing: `${variable} is ${kdir ? `set to ${kdir}, which holds no built kernel` : 'not set'}: run .ci/test-kernels.sh (it prepares the Linux ${label} test kernel and writes ${variable} to ${path.join(cacheRoot(), 'test-kernels.env')})`,
    };
  }
  const old = label === '6.1';
  // 6.1: byte-string `module!` keys; 6.12: examples/rust_hello's API; 7.2: `authors: [...]`.
  const modulesDir = path.join(REPO, 'test', 'kernel', `modules-${label}`);
  return {
    kernel: {
      label,
      kdir,
      toolchain: resolveToolchain(kdir, {}),
      modulesDir,
      exampleDir: label === '6.12' ? path.join(REPO, 'examples', 'rust_hello') : path.join(modulesDir, 'rust_hello'),
      initErrno: old ? 'ENOMEM' : 'EINVAL',
      initErrorModule: old ? 'enomem_mod' : 'einval_mod',
    },
  };
}

/** In CI a missing kernel is a failure, not a skip: the tests must not pass by not running. */
export function mustRun(): boolean {
  return process.env.CI === '1' || process.env.CI === 'true';
}

const scratchFolders: string[] = [];

/** Copies a module folder into a fresh scratch folder (build outputs stay out of the repo). */
export function scratchCopy(source: string, folderName = path.basename(source)): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'rfl-kernel-test-'));
  scratchFolders.push(parent);
  const target = path.join(parent, folderName);
  cpSync(source, target, { recursive: true, filter: (from) => !/\.(o|ko|mod|cmd)$|Module\.symvers|modules\.order/.test(from) });
  return target;
}

/** QEMU processes whose command line mentions `needle` (a run folder). */
export function qemuProcessesMentioning(needle: string): string[] {
  const output = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return output.split('\n').filter((line) => line.includes('qemu-system') && line.includes(needle));
}

export function removeScratchCopies(): void {
  for (const folder of scratchFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}
