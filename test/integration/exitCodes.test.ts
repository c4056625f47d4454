// Exit status 2 with a message that says what is wrong, before anything is built, for the setup
// mistakes the README promises to catch: no kernel folder, a --kdir or --source that is not there, a
// --config or --guest-script file that is missing. Stand-in make and QEMU record whether they ran.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/cli';
import { makeFakeWorld, type FakeWorld } from '../support/fakeKernel';

const RFL = path.join(REPO_ROOT, 'bin', 'rfl.js');
const fake: FakeWorld = makeFakeWorld('rfl-exit-');
after(() => rmSync(fake.root, { recursive: true, force: true }));

function rfl(args: string[]) {
  const run = spawnSync(process.execPath, [RFL, ...args], { cwd: fake.root, env: fake.env, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stderr: run.stderr, nothingRan: !existsSync(fake.pidFile) };
}

function assertSetupError(run: ReturnType<typeof rfl>, message: RegExp): void {
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
  assert.ok(run.nothingRan, 'make or QEMU ran');
}

describe('exit status 2 before anything runs', () => {
  for (const command of ['build', 'clippy']) {
    it(`rfl ${command} --kdir of a folder that does not exist`, () => {
      assertSetupError(
        rfl([command, '--kdir', '/nonexistent/kernel', fake.moduleDir]),
        /\/nonexistent\/kernel is not a kernel build folder that make -C can build against \(it does not exist\)/,
      );
    });
  }

  it('rfl build --kdir of a folder without a Makefile', () => {
    assertSetupError(rfl(['build', '--kdir', fake.moduleDir, fake.moduleDir]), /is not a kernel build folder .*\(it has no Makefile\)/);
  });

  it('rfl build without any kernel folder', (t) => {
    if (existsSync(`/lib/modules/${os.release()}/build`)) return t.skip('this machine has a running kernel build folder');
    assertSetupError(rfl(['build', fake.moduleDir]), /no kernel build folder found: pass --kdir DIR/);
  });

  it('rfl kernel prepare --source of a path that does not exist', () => {
    assertSetupError(
      rfl(['kernel', 'prepare', '--source', '/nonexistent/linux', '--cache', fake.cache]),
      /\/nonexistent\/linux does not exist: pass a kernel source folder or tarball/,
    );
  });

  it('rfl kernel prepare --source of a folder that is no kernel', () => {
    assertSetupError(rfl(['kernel', 'prepare', '--source', fake.moduleDir, '--cache', fake.cache]), /has no kernel top-level Makefile/);
  });

  it('rfl kernel prepare --config of a missing file', () => {
    assertSetupError(
      rfl(['kernel', 'prepare', '--source', fake.source, '--config', 'missing.cfg', '--cache', fake.cache]),
      /cannot read the --config file .*missing\.cfg: it does not exist/,
    );
  });

  it('rfl load --guest-script of a missing file, before the build', () => {
    assertSetupError(
      rfl(['load', '--kdir', fake.kdir, '--guest-script', 'missing.sh', fake.moduleDir]),
      /the guest script .*missing\.sh does not exist/,
    );
  });
});
