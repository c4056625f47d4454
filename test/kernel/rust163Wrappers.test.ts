// The wrappers of the private Rust 1.63 (6.1's toolchain, src/core/debian/provisionToolchain.ts) on
// the unpacked packages .ci/test-kernels.sh left in the cache: clippy-driver 1.63 must use its own
// sysroot even when another `rustc` comes first on PATH (rustup's, on machines that have it), which
// it asks for the sysroot unless told. With the wrong one `make CLIPPY=1` of 6.1 fails on the
// `macros` crate ("found invalid metadata files for crate `std`"). A decoy `rustc` stands for
// rustup's here, so that the test does not depend on what this machine has on PATH.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { cacheRoot } from '../../src/core/cache/cachePaths';
import { rust163Dir, writeRust163Wrappers } from '../../src/core/debian/provisionToolchain';
import { mustRun, testKernel } from './support';

const root = path.join(rust163Dir(cacheRoot()), 'root');
const lookup = testKernel('6.1');

if ('missing' in lookup || !existsSync(path.join(root, 'usr/bin/clippy-driver'))) {
  const why = 'missing' in lookup ? lookup.missing : `no unpacked Rust 1.63 at ${root}: run .ci/test-kernels.sh`;
  if (mustRun()) test('the private Rust 1.63 is available', () => assert.fail(why));
  else test('the private Rust 1.63 wrappers', { skip: why }, () => undefined);
} else {
  describe('the private Rust 1.63 wrappers', () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'rfl-rust163-'));
    after(() => rmSync(work, { recursive: true, force: true }));
    const bin = path.join(work, 'bin');
    const decoys = path.join(work, 'decoys');
    writeRust163Wrappers(root, bin);
    // The decoy answers `--print sysroot` with a folder that holds no std.
    const decoy = path.join(decoys, 'rustc');
    mkdirSync(decoys);
    writeFileSync(decoy, `#!/bin/sh\necho '${path.join(work, 'no-sysroot')}'\n`);
    chmodSync(decoy, 0o755);
    const env = { ...process.env, PATH: `${decoys}:${process.env.PATH ?? ''}` };
    const run = (tool: string, args: string[], input?: string) =>
      spawnSync(path.join(bin, tool), args, { env, cwd: work, encoding: 'utf8', timeout: 60_000, ...(input ? { input } : {}) });

    test('clippy-driver uses its own sysroot, not the one of the rustc first on PATH', () => {
      assert.equal(spawnSync(decoy, ['--print', 'sysroot'], { encoding: 'utf8', env }).stdout.trim(), path.join(work, 'no-sysroot'));
      const printed = run('clippy-driver', ['--print', 'sysroot']);
      assert.equal(printed.status, 0, printed.stderr);
      assert.equal(printed.stdout.trim(), path.join(root, 'usr'));
    });

    test("clippy-driver compiles a crate that uses std and proc_macro, as the kernel's macros crate does", () => {
      const source = 'extern crate proc_macro;\npub fn names() -> Vec<String> { vec![String::new()] }\n';
      const compiled = run(
        'clippy-driver',
        ['--edition', '2021', '--crate-type', 'lib', '--emit', 'metadata', '-o', path.join(work, 'out.rmeta'), '-'],
        source,
      );
      assert.equal(compiled.status, 0, compiled.stderr);
    });

    test('rustc and rustdoc are 1.63', () => {
      for (const tool of ['rustc', 'rustdoc']) {
        const version = run(tool, ['--version']);
        assert.match(version.stdout, /^\S+ 1\.63\./, `${tool}: ${version.stderr}`);
      }
    });
  });
}
