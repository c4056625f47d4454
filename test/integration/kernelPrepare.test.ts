// `rfl kernel prepare` choosing its own toolchain: series it has no recipe for are refused with the
// reason, a bad series is a usage error, and with a real prepared test kernel cached (the set-up's
// 6.12), `--debian 6.12` lands on that very folder through Debian's recipe instead of building again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { testKernel } from '../kernel/support';
import { runRfl } from '../support/cli';

const cache = mkdtempSync(path.join(os.tmpdir(), 'rfl-prepare-cli-'));
after(() => rmSync(cache, { recursive: true, force: true }));

const kernel612 = testKernel('6.12');

describe('rfl kernel prepare --debian', () => {
  it('refuses a series without a Debian toolchain, saying why, before downloading anything', () => {
    const run = runRfl(['kernel', 'prepare', '--debian', '6.5', '--cache', cache]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /Linux 6\.5 pins one exact rustc.*--rustc/s);
  });

  it('is a usage error for something that is not a series, or with --source too', () => {
    for (const args of [['--debian', 'latest'], ['--debian', '6.12', '--source', '/usr/src'], []]) {
      const run = runRfl(['kernel', 'prepare', ...args, '--cache', cache]);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /--debian|--source/);
    }
  });

  it(
    'finds the cached 6.12 test kernel through the recipe (same toolchain, same folder)',
    { skip: 'missing' in kernel612 ? kernel612.missing : false },
    () => {
      if ('missing' in kernel612) return;
      const kdir = kernel612.kernel.kdir;
      const run = runRfl(['kernel', 'prepare', '--debian', '6.12', '--quiet'], {
        env: { ...process.env, RFL_CACHE: path.dirname(path.dirname(kdir)) },
      });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim().split('\n').at(-1), kdir);
      assert.match(run.stderr, /reusing the prepared Linux 6\.12/);
    },
  );
});
