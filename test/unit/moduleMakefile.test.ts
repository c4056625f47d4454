// The Makefile `rfl new` writes, run by the real make and shell: paths with spaces, quotes, `$(shell
// ...)`, backquotes, `#` and `;` reach make's child as the very same argument words and run nothing;
// paths a make assignment cannot hold are refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { escapeMakeValue, makeValueProblem, moduleMakefile } from '../../src/core/authoring/moduleMakefile';
import { NewModuleError, planNewModule } from '../../src/core/authoring/newModule';
import { newestApi } from '../../src/core/authoring/kernelApi';

const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rfl-makefile-')));
after(() => rmSync(root, { recursive: true, force: true }));

const NASTY = `k dir $(shell touch pwned) $$HOME \`touch pwned2\` it's "dq" a#b;c&d|e %:= é `;
/** Stands in for $(MAKE) in the recipes: records its argument words, NUL-separated. */
const RECORDER = path.join(root, 'record-args');
writeFileSync(RECORDER, '#!/bin/sh\nprintf "%s\\0" "$@" > "$RECORD_TO"\n', { mode: 0o755 });

function runMake(moduleDir: string, target: string, extra: string[] = []): string[] {
  const recordTo = path.join(root, `args-${Math.random().toString(36).slice(2)}`);
  const run = spawnSync('make', ['-s', `MAKE=${RECORDER}`, ...extra, target], {
    cwd: moduleDir,
    encoding: 'utf8',
    env: { ...process.env, RECORD_TO: recordTo },
    timeout: 10_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return readFileSync(recordTo, 'utf8').split('\0').slice(0, -1);
}

describe('the Makefile of rfl new', () => {
  it('passes odd kernel, module and toolchain paths to make as the same words, running nothing', () => {
    const kdir = path.join(root, NASTY, 'kernel');
    const rustc = path.join(root, NASTY, 'bin', 'rustc');
    const moduleDir = path.join(root, `module ${NASTY}`);
    mkdirSync(moduleDir, { recursive: true });
    writeFileSync(path.join(moduleDir, 'Makefile'), moduleMakefile(kdir, ['LLVM=1', `RUSTC=${rustc}`]));
    const base = ['-C', kdir, `M=${moduleDir}`, 'LLVM=1', `RUSTC=${rustc}`];
    assert.deepEqual(runMake(moduleDir, 'default'), base);
    assert.deepEqual(runMake(moduleDir, 'clippy'), [...base, 'CLIPPY=1']);
    assert.deepEqual(runMake(moduleDir, 'clean'), [...base, 'clean']);
    // KDIR given on make's command line is quoted by the recipe too.
    assert.deepEqual(runMake(moduleDir, 'default', [`KDIR=/o'ther dir`]).slice(0, 2), ['-C', `/o'ther dir`]);
    const dryRun = spawnSync('make', ['-n'], { cwd: moduleDir, encoding: 'utf8', timeout: 10_000 });
    assert.equal(dryRun.status, 0, dryRun.stderr);
    for (const dir of [root, moduleDir, process.cwd()]) {
      assert.equal(existsSync(path.join(dir, 'pwned')), false, `something ran in ${dir}`);
      assert.equal(existsSync(path.join(dir, 'pwned2')), false, `something ran in ${dir}`);
    }
  });

  it('keeps the running kernel default when no kernel is known', () => {
    assert.match(moduleMakefile(undefined, ['LLVM=1']), /^KDIR \?= \/lib\/modules\/\$\(shell uname -r\)\/build$/m);
  });

  it('refuses what a make assignment cannot hold', () => {
    for (const bad of ['/k\ndir', '/k\rdir', '/k\\#dir', '/k\\', '/k\tdir', '/k\u0000']) {
      assert.ok(makeValueProblem(bad), JSON.stringify(bad));
      assert.throws(() => escapeMakeValue(bad));
    }
    assert.equal(makeValueProblem(NASTY), undefined);
  });

  it('makes rfl new refuse a kernel folder with a newline, saying so', () => {
    assert.throws(
      () => planNewModule({ name: 'hello', dir: root, templateId: 'minimal', api: newestApi(), kdir: '/srv/k\nernel' }),
      (error: Error) => error instanceof NewModuleError && /kernel folder "\/srv\/k\\nernel" contains a newline/.test(error.message),
    );
  });
});
