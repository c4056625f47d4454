// The Rust files of the Linux 6.12 tree (Debian's linux-source-6.12): rust/, drivers/ and samples/,
// unpacked once from the tarball into a cache folder keyed by the tarball's name and size.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TARBALL = process.env.RFL_BENCH_TARBALL ?? '/usr/src/linux-source-6.12.tar.xz';
const TOP = 'linux-source-6.12';
export const FOLDERS = ['rust', 'drivers', 'samples'];

export function kernelRustTree(): string {
  if (!existsSync(TARBALL)) {
    throw new Error(`${TARBALL} is missing: install it with "sudo apt-get install linux-source-6.12"`);
  }
  const cacheRoot = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  const key = `${path.basename(TARBALL)}-${statSync(TARBALL).size}`;
  const target = path.join(cacheRoot, 'rust-for-linux', 'bench', key);
  const done = path.join(target, '.complete');
  if (!existsSync(done)) {
    mkdirSync(target, { recursive: true });
    process.stderr.write(`unpacking the Rust files of ${TARBALL} into ${target} (once)...\n`);
    execFileSync('tar', ['-xJf', TARBALL, '-C', target, '--wildcards', ...FOLDERS.map((folder) => `${TOP}/${folder}/*.rs`)], {
      stdio: 'inherit',
      timeout: 600_000,
    });
    writeFileSync(done, '');
  }
  return path.join(target, TOP);
}
