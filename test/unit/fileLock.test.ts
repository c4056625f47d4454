// The lock `rfl kernel prepare` takes per build folder: a second taker waits for a live owner and is
// told who it is, takes over from an owner that died, and gives up with the owner's name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readJsonRecord, writeJsonAtomic } from '../../src/core/files/atomicWrite';
import { acquireLock, LockBusyError, type LockOwner } from '../../src/core/files/fileLock';
import { liveWork } from '../../src/core/process/liveWork';

const root = mkdtempSync(path.join(os.tmpdir(), 'rfl-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('acquireLock', () => {
  it('makes a second taker wait for the release, telling it who holds the lock', async () => {
    const file = path.join(root, 'wait.lock');
    const first = await acquireLock(file, { what: 'first', waitMs: 5000 });
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as LockOwner).what, 'first');
    assert.ok(liveWork.dirPaths.includes(file), 'a signal would remove it');
    const told: LockOwner[] = [];
    let secondHas = false;
    const second = acquireLock(file, { what: 'second', waitMs: 5000, onWait: (owner) => told.push(owner) }).then((lock) => {
      secondHas = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(secondHas, false);
    assert.deepEqual(
      told.map((owner) => [owner.pid, owner.what]),
      [[process.pid, 'first']],
    );
    first.release();
    const lock = await second;
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as LockOwner).what, 'second');
    lock.release();
    assert.equal(existsSync(file), false);
    assert.ok(!liveWork.dirPaths.includes(file));
  });

  it('takes over a lock whose owner is gone', async () => {
    const file = path.join(root, 'stale.lock');
    const gone = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim();
    writeFileSync(file, JSON.stringify({ pid: Number(gone), host: os.hostname(), since: 'then', what: 'crashed' }));
    const lock = await acquireLock(file, { what: 'after', waitMs: 1000 });
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as LockOwner).what, 'after');
    lock.release();
  });

  it('gives up after waitMs, naming the owner', async () => {
    const file = path.join(root, 'busy.lock');
    const held = await acquireLock(file, { what: 'building Linux', waitMs: 1000 });
    await assert.rejects(acquireLock(file, { what: 'other', waitMs: 300 }), (error: Error) => {
      assert.ok(error instanceof LockBusyError);
      assert.match(error.message, new RegExp(`held by process ${process.pid} on .* \\(building Linux, since `));
      return true;
    });
    held.release();
  });
});

describe('JSON records', () => {
  it('are written whole and read back as ok, missing or corrupt', () => {
    const file = path.join(root, 'record.json');
    const isObject = (value: unknown): value is Record<string, string> => typeof value === 'object' && value !== null;
    assert.deepEqual(readJsonRecord(file, isObject), { state: 'missing' });
    writeJsonAtomic(file, { a: 'b' });
    assert.deepEqual(readJsonRecord(file, isObject), { state: 'ok', value: { a: 'b' } });
    writeFileSync(file, '{"a": ');
    const damaged = readJsonRecord(file, isObject);
    assert.equal(damaged.state, 'corrupt');
    writeFileSync(file, '42');
    assert.deepEqual(readJsonRecord(file, isObject), { state: 'corrupt', reason: 'valid JSON of the wrong shape' });
  });
});
