// No command leaves a process or a temporary folder behind when it is interrupted (Ctrl-C: SIGINT,
// kill: SIGTERM, a closed terminal: SIGHUP) or when its own time limit passes. The built CLI runs
// with stand-in make and qemu-system-x86_64 first on PATH (test/support/fakeKernel.ts); their
// children ignore SIGTERM, so only the whole-group SIGKILL after the grace period ends them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FINSMOD_SOURCE } from '../../src/core/qemu/finsmod';
import { REPO_ROOT } from '../support/cli';
import { makeFakeWorld, recordedPids, type FakeWorld } from '../support/fakeKernel';
import { running, stopsWithin } from '../support/processes';

const RFL = path.join(REPO_ROOT, 'bin', 'rfl.js');
const worlds: FakeWorld[] = [];
after(() => worlds.forEach((world) => rmSync(world.root, { recursive: true, force: true })));

function world(): FakeWorld {
  const created = makeFakeWorld('rfl-signals-');
  worlds.push(created);
  // The guest loader is compiled once per source; a placeholder spares the compiler (QEMU is fake).
  const hash = createHash('sha256').update(FINSMOD_SOURCE).digest('hex').slice(0, 12);
  mkdirSync(path.join(created.cache, 'tools'), { recursive: true });
  writeFileSync(path.join(created.cache, 'tools', `finsmod-${hash}`), 'placeholder', { mode: 0o755 });
  return created;
}

async function until(what: string, condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

function startRfl(args: string[], fake: FakeWorld) {
  const started = Date.now();
  const child = spawn(process.execPath, [RFL, ...args], { cwd: fake.root, env: fake.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  const ended = new Promise<Ended>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr, ms: Date.now() - started })),
  );
  return { child, ended };
}

const COMMANDS: Record<string, (fake: FakeWorld) => { args: string[]; waitFor: string }> = {
  build: (fake) => ({ args: ['build', '--kdir', fake.kdir, fake.moduleDir], waitFor: 'make-child' }),
  clippy: (fake) => ({ args: ['clippy', '--kdir', fake.kdir, fake.moduleDir], waitFor: 'make-child' }),
  'kernel prepare': (fake) => ({ args: ['kernel', 'prepare', '--source', fake.source, '--cache', fake.cache], waitFor: 'make-child' }),
  load: (fake) => ({
    args: ['load', '--kdir', fake.kdir, '--no-build', '--accel', 'tcg', '--timeout', '600', fake.moduleDir],
    waitFor: 'qemu-child',
  }),
};

const CASES: [string, NodeJS.Signals][] = [
  ['build', 'SIGINT'],
  ['build', 'SIGTERM'],
  ['build', 'SIGHUP'],
  ['clippy', 'SIGTERM'],
  ['kernel prepare', 'SIGINT'],
  ['kernel prepare', 'SIGHUP'],
  ['load', 'SIGINT'],
  ['load', 'SIGTERM'],
  ['load', 'SIGHUP'],
];

describe('rfl stops what it started', () => {
  for (const [command, signal] of CASES) {
    it(`rfl ${command} on ${signal}: exit ${128 + os.constants.signals[signal]}, no process, no temporary folder`, async () => {
      const fake = world();
      const { args, waitFor } = COMMANDS[command]!(fake);
      const { child, ended } = startRfl(args, fake);
      await until(`${waitFor} to start`, () => recordedPids(fake).some((entry) => entry.name === waitFor), 20_000);
      if (command === 'load') assert.equal(readdirSync(fake.tmp).filter((name) => name.startsWith('rfl-load-')).length, 1);
      const pids = recordedPids(fake);
      child.kill(signal);
      const end = await ended;
      assert.equal(end.code, 128 + os.constants.signals[signal], end.stderr);
      for (const { name, pid } of pids) assert.ok(await stopsWithin(pid, 1000), `${name} ${pid} still runs after rfl ${command} exited`);
      assert.deepEqual(readdirSync(fake.tmp), [], 'temporary folders left behind');
      if (command === 'kernel prepare') {
        const kernels = path.join(fake.cache, 'kernels');
        assert.deepEqual(
          readdirSync(kernels).filter((name) => name.startsWith('.staging')),
          [],
        );
      }
    });
  }

  it('rfl build --timeout ends the whole group when make exits and its child holds the pipe', async () => {
    const fake = world();
    fake.env.FAKE_MAKE_MODE = 'orphan';
    const { ended } = startRfl(['build', '--kdir', fake.kdir, '--timeout', '1', fake.moduleDir], fake);
    const end = await ended;
    assert.equal(end.code, 1, end.stderr);
    assert.match(end.stderr, /killed after the 1 s time limit/);
    // 1 s limit + 1.5 s SIGTERM grace + node's start-up; the old code waited for the child (300 s).
    assert.ok(end.ms < 8000, `took ${end.ms} ms`);
    const orphan = recordedPids(fake).find((entry) => entry.name === 'make-child');
    assert.ok(orphan);
    assert.equal(running(orphan.pid), false, `make's child ${orphan.pid} outlived the time limit`);
  });
});
