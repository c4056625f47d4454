// `rfl kernel prepare` on a small stand-in kernel (test/support/fakeKernel.ts: a source folder or
// tarball with a top Makefile, and a make that acts out tinyconfig and the build): two prepares at
// once build once (the second waits, then reuses), and a damaged sources.json is set aside with a
// message instead of failing every later prepare.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/cli';
import { makeFakeWorld, type FakeWorld } from '../support/fakeKernel';

const RFL = path.join(REPO_ROOT, 'bin', 'rfl.js');
const worlds: FakeWorld[] = [];
after(() => worlds.forEach((world) => rmSync(world.root, { recursive: true, force: true })));

function world(buildSeconds: number): FakeWorld {
  const created = makeFakeWorld('rfl-prepare-');
  worlds.push(created);
  created.env.FAKE_MAKE_MODE = 'kernel';
  created.env.FAKE_MAKE_SECONDS = String(buildSeconds);
  return created;
}

function prepare(fake: FakeWorld, source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RFL, 'kernel', 'prepare', '--source', source, '--cache', fake.cache], {
      cwd: fake.root,
      env: fake.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The make calls the stand-in saw, one line each. */
function makeRuns(fake: FakeWorld): string[] {
  const file = `${fake.pidFile}.runs`;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

describe('rfl kernel prepare', () => {
  it('two prepares of one source at once: make runs in the folder once, the second waits and reuses', async () => {
    const fake = world(2);
    const [first, second] = await Promise.all([prepare(fake, fake.source), prepare(fake, fake.source)]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const kdir = first.stdout.trim();
    assert.equal(second.stdout.trim(), kdir);
    const runs = makeRuns(fake);
    assert.equal(runs.filter((run) => / -j\d+/.test(run)).length, 1, runs.join('\n'));
    assert.equal(runs.filter((run) => / tinyconfig/.test(run)).length, 1, runs.join('\n'));
    const waited = [first, second].find((run) => /waiting for process \d+ on .*preparing Linux 6\.12\.0/.test(run.stderr));
    assert.ok(waited, `neither said whom it waited for:\n${first.stderr}\n---\n${second.stderr}`);
    assert.match(waited.stderr, /reusing the prepared Linux 6\.12\.0/);
    assert.deepEqual(
      readdirSync(path.dirname(kdir)).filter((name) => name.endsWith('.lock')),
      [],
      'a lock was left behind',
    );
  });

  it('sets a damaged sources.json aside with a message and prepares on', async () => {
    const fake = world(0);
    const tarball = path.join(fake.root, 'linux-6.12.tar.gz');
    const tar = spawnSync('tar', ['-czf', tarball, '-C', fake.root, 'linux-src']);
    assert.equal(tar.status, 0, tar.stderr.toString());
    const firstRun = await prepare(fake, tarball);
    assert.equal(firstRun.code, 0, firstRun.stderr);
    const index = path.join(fake.cache, 'kernels', 'sources.json');
    assert.equal(Object.values(JSON.parse(readFileSync(index, 'utf8')) as Record<string, string>)[0], '6.12.0');
    writeFileSync(index, '{"truncated": ');
    // A new tarball identity, so the index is needed again.
    const touched = spawnSync('touch', ['-d', '2020-01-01', tarball]);
    assert.equal(touched.status, 0);
    const again = await prepare(fake, tarball);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /sources\.json was damaged \(not valid JSON .*\); moved it to .*sources\.json\.corrupt/);
    assert.equal(again.stdout.trim(), firstRun.stdout.trim());
    assert.equal(readFileSync(`${index}.corrupt`, 'utf8'), '{"truncated": ');
    assert.equal(Object.keys(JSON.parse(readFileSync(index, 'utf8')) as object).length, 1);
  });
});
