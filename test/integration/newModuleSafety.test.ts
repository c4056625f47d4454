// `rfl new` writes all of its files or none, only inside --dir, never over anything (a dangling
// link included), with names that are not Rust keywords, and turns every file-system failure into a
// message and exit status 2. Its printed `next:` line survives a shell as it is.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, runRfl } from '../support/cli';

const KERNEL_7_2 = path.join(REPO_ROOT, 'test', 'fixtures', 'kernels', 'linux-7.2-makefile-only');
const MODULE_FILES = ['.gitignore', '.vscode', 'Kbuild', 'Makefile', 'hello.rs'];
const scratches: string[] = [];
after(() => scratches.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function scratch(): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rfl-new-safety-')));
  scratches.push(dir);
  return dir;
}

function assertCleanRefusal(run: { status: number | null; stderr: string }, message: RegExp): void {
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, 'a stack trace');
}

describe('rfl new: all or nothing, inside --dir', () => {
  it('refuses Rust keywords and names whose type name is one', () => {
    const dir = scratch();
    for (const name of ['self', 'fn', 'Self', 'async', '_', 'gen']) {
      assertCleanRefusal(
        runRfl(['new', name, '--kdir', KERNEL_7_2], { cwd: dir }),
        new RegExp(`"${name}" cannot be a module name: .*Rust keyword`),
      );
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses an empty --dir instead of writing into the current folder', () => {
    const dir = scratch();
    assertCleanRefusal(
      runRfl(['new', 'hello', '--dir', '', '--kdir', KERNEL_7_2], { cwd: dir }),
      /--dir wants a folder, not an empty string/,
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses a --dir that is a file, or lies below one, with a message', () => {
    const dir = scratch();
    writeFileSync(path.join(dir, 'plain'), 'x');
    assertCleanRefusal(runRfl(['new', 'hello', '--dir', 'plain', '--kdir', KERNEL_7_2], { cwd: dir }), /plain exists and is not a folder/);
    assertCleanRefusal(
      runRfl(['new', 'hello', '--dir', 'plain/sub', '--kdir', KERNEL_7_2], { cwd: dir }),
      /plain\/sub: a part of the path is a file, not a folder/,
    );
    assert.deepEqual(readdirSync(dir), ['plain']);
  });

  it('counts a dangling link as taken', () => {
    const dir = scratch();
    const target = path.join(dir, 'hello');
    mkdirSync(target);
    symlinkSync(path.join(dir, 'nowhere'), path.join(target, 'Makefile'));
    assertCleanRefusal(runRfl(['new', 'hello', '--kdir', KERNEL_7_2], { cwd: dir }), /already has Makefile: nothing was written/);
    assert.deepEqual(readdirSync(target), ['Makefile']);
    assert.equal(existsSync(path.join(dir, 'nowhere')), false);
  });

  it('does not follow a .vscode link out of --dir, and takes back the files it wrote', () => {
    const dir = scratch();
    const outside = path.join(dir, 'outside');
    const target = path.join(dir, 'hello');
    mkdirSync(outside);
    mkdirSync(target);
    symlinkSync(outside, path.join(target, '.vscode'));
    assertCleanRefusal(runRfl(['new', 'hello', '--kdir', KERNEL_7_2], { cwd: dir }), /\.vscode is a symbolic link.*nothing was written/);
    assert.deepEqual(readdirSync(outside), []);
    assert.deepEqual(readdirSync(target), ['.vscode']);
  });

  it('two runs into one new folder: one writes every file, the other nothing', async () => {
    for (let trial = 0; trial < 4; trial++) {
      const dir = scratch();
      const runs = await Promise.all(
        [0, 1].map(
          () =>
            new Promise<{ code: number | null; stderr: string }>((resolve) => {
              const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'rfl.js'), 'new', 'hello', '--kdir', KERNEL_7_2], {
                cwd: dir,
              });
              let stderr = '';
              child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
              child.stdout.resume();
              child.on('close', (code) => resolve({ code, stderr }));
            }),
        ),
      );
      const codes = runs.map((run) => run.code).sort();
      assert.deepEqual(codes, [0, 2], JSON.stringify(runs));
      const loser = runs.find((run) => run.code === 2)!;
      assert.match(loser.stderr, /nothing was written/);
      assert.doesNotMatch(loser.stderr, /internal error/);
      assert.deepEqual(readdirSync(dir), ['hello'], 'a staging folder was left behind');
      assert.deepEqual(readdirSync(path.join(dir, 'hello')).sort(), MODULE_FILES);
    }
  });

  it('quotes the kernel and module paths of its next: line for the shell', () => {
    const dir = scratch();
    const kdir = path.join(dir, `kernel $(touch pwned) it's`);
    cpSync(KERNEL_7_2, kdir, { recursive: true });
    const moduleDir = path.join(dir, 'my module;x');
    const run = runRfl(['new', 'hello', '--kdir', kdir, '--dir', moduleDir], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    const line = /^next: rfl load (.*)$/m.exec(run.stdout)?.[1];
    assert.ok(line, run.stdout);
    const words = spawnSync('sh', ['-c', `printf '%s\\0' ${line}`], { cwd: dir, encoding: 'utf8' })
      .stdout.split('\0')
      .slice(0, -1);
    assert.deepEqual(words, ['--kdir', kdir, 'my module;x']);
    assert.equal(existsSync(path.join(dir, 'pwned')), false);
    assert.match(readFileSync(path.join(moduleDir, 'Makefile'), 'utf8'), /^KDIR \?= .*kernel \$\$\(touch pwned\) it's$/m);
  });

  it('refuses a kernel folder whose path a Makefile cannot hold', () => {
    const dir = scratch();
    const kdir = path.join(dir, 'kernel\nwith newline');
    cpSync(KERNEL_7_2, kdir, { recursive: true });
    assertCleanRefusal(runRfl(['new', 'hello', '--kdir', kdir], { cwd: dir }), /kernel folder ".*\\nwith newline" contains a newline/);
    assert.deepEqual(readdirSync(dir), ['kernel\nwith newline']);
  });
});
