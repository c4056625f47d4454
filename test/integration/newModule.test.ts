// `rfl new` as a user runs it: files written for the kernel's API, templates listed per kernel,
// and bad input (a bad name, an unknown template, existing files) refused with nothing written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT, runRfl } from '../support/cli';

const KERNEL_6_1 = path.join(REPO_ROOT, 'test', 'fixtures', 'kernels', 'linux-6.1-makefile-only');
const KERNEL_7_2 = path.join(REPO_ROOT, 'test', 'fixtures', 'kernels', 'linux-7.2-makefile-only');

const scratches: string[] = [];
after(() => scratches.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rfl-new-test-'));
  scratches.push(dir);
  return dir;
}

describe('rfl new', () => {
  it('lists the templates each kernel takes; the others go to stderr with the reason', () => {
    const old = runRfl(['new', '--list', '--kdir', KERNEL_6_1]);
    assert.equal(old.status, 0);
    assert.deepEqual(
      old.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
      ['minimal', 'vector', 'c-misc-device'],
    );
    assert.match(old.stderr, /not for Linux 6\.1\.192.*: misc-device \(/);
    const recent = runRfl(['new', '--list', '--kdir', KERNEL_7_2]);
    assert.equal(recent.stdout.trim().split('\n').length, 7);
  });

  it('writes the C twin of the misc device on any kernel, with the same log lines and limit', () => {
    const dir = scratch();
    const run = runRfl(['new', 'c_misc', '--template', 'c-misc-device', '--kdir', KERNEL_6_1, '--author', 'A "B" <a@example.com>'], {
      cwd: dir,
    });
    assert.equal(run.status, 0, run.stderr);
    const folder = path.join(dir, 'c_misc');
    assert.deepEqual(readdirSync(folder).sort(), ['.gitignore', '.vscode', 'Kbuild', 'Makefile', 'c_misc.c']);
    const source = readFileSync(path.join(folder, 'c_misc.c'), 'utf8');
    assert.match(source, /static struct miscdevice c_misc_device = \{\n\t\.minor = MISC_DYNAMIC_MINOR,\n\t\.name = "c_misc",/);
    assert.match(source, /pr_info\("registering \/dev\/%s\\n", c_misc_device\.name\);/);
    assert.match(source, /pr_info\("exit: the buffer held %zu bytes\\n", buffer_len\);/);
    assert.match(source, /#define MAX_LEN 4096/);
    assert.match(source, /MODULE_AUTHOR\("A \\"B\\" <a@example\.com>"\);/);
    assert.equal(readFileSync(path.join(folder, 'Kbuild'), 'utf8').split('\n').at(-2), 'obj-m := c_misc.o');
  });

  it('writes the module folder in the kernel API, with the kernel in the Makefile and the settings', () => {
    const dir = scratch();
    const run = runRfl(['new', 'hello_old', '--template', 'vector', '--kdir', KERNEL_6_1, '--author', 'A <a@example.com>'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    const folder = path.join(dir, 'hello_old');
    assert.deepEqual(readdirSync(folder).sort(), ['.gitignore', '.vscode', 'Kbuild', 'Makefile', 'hello_old.rs']);
    const source = readFileSync(path.join(folder, 'hello_old.rs'), 'utf8');
    assert.match(source, /name: b"hello_old",\n {4}author: b"A <a@example\.com>",/);
    assert.match(source, /numbers\.try_push\(72\)\?;/);
    assert.equal(readFileSync(path.join(folder, 'Kbuild'), 'utf8').split('\n').at(-2), 'obj-m := hello_old.o');
    assert.match(readFileSync(path.join(folder, 'Makefile'), 'utf8'), new RegExp(`^KDIR \\?= ${KERNEL_6_1.replace(/[.]/g, '\\.')}$`, 'm'));
    assert.equal(JSON.parse(readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8'))['rustForLinux.kernelDir'], KERNEL_6_1);
    assert.match(run.stdout, new RegExp(`next: rfl load --kdir ${KERNEL_6_1.replace(/[.]/g, '\\.')} hello_old`));
  });

  it('refuses bad input and writes nothing', () => {
    const dir = scratch();
    const badName = runRfl(['new', '9lives', '--kdir', KERNEL_7_2], { cwd: dir });
    assert.equal(badName.status, 2);
    assert.match(badName.stderr, /not a valid module name/);
    const unknown = runRfl(['new', 'ok_name', '--template', 'nope', '--kdir', KERNEL_7_2], { cwd: dir });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /no template "nope": choose one of minimal, vector, params/);
    const tooNew = runRfl(['new', 'ok_name', '--template', 'pinned', '--kdir', KERNEL_6_1], { cwd: dir });
    assert.equal(tooNew.status, 2);
    assert.match(tooNew.stderr, /the pinned template does not fit Linux 6\.1\.192.*InPlaceModule arrived in Linux 6\.14/);
    assert.deepEqual(readdirSync(dir), []);

    const taken = path.join(dir, 'taken');
    mkdirSync(taken);
    writeFileSync(path.join(taken, 'Makefile'), 'mine\n');
    const clash = runRfl(['new', 'taken', '--kdir', KERNEL_7_2], { cwd: dir });
    assert.equal(clash.status, 2);
    assert.match(clash.stderr, /already has Makefile: nothing was written/);
    assert.deepEqual(readdirSync(taken), ['Makefile']);
    assert.equal(readFileSync(path.join(taken, 'Makefile'), 'utf8'), 'mine\n');
    assert.equal(runRfl(['new'], { cwd: dir }).status, 2);
  });

  it('refuses a --kdir that is no kernel; without any kernel, says so and follows the newest API', (t) => {
    const dir = scratch();
    const wrong = runRfl(['new', 'fresh', '--kdir', path.join(dir, 'no-such-kernel')], { cwd: dir });
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /no-such-kernel has no kernel Makefile.*leave --kdir out/);
    assert.deepEqual(readdirSync(dir), []);
    // rfl would find the running kernel's build folder; this machine (and CI) has none.
    if (existsSync(`/lib/modules/${os.release()}/build`)) return t.skip('this machine has a running kernel build folder');
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'rfl.js'), 'new', 'fresh'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, RFL_KDIR: '' },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /no kernel folder is configured.*newest known API/);
    assert.match(readFileSync(path.join(dir, 'fresh', 'fresh.rs'), 'utf8'), /authors: \[/);
    assert.match(run.stdout, /next: rfl load --kdir KERNEL_BUILD_DIR fresh/);
  });
});
