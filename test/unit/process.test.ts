// src/core/process against real programs (sh, sleep): output split into lines, time limits and
// aborts that end the whole process group, also when its leader has already exited and a child
// still holds the pipe, and the registry of live work that signal handlers tear down.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { describeCommand, describeOutcome, ProcessStartError } from '../../src/core/process/describe';
import { LineSplitter } from '../../src/core/process/lineSplitter';
import { LiveWork, liveWork, makeTempDir } from '../../src/core/process/liveWork';
import { groupAlive, stopGroup } from '../../src/core/process/processGroup';
import { runProcess } from '../../src/core/process/runProcess';
import { stopsWithin } from '../support/processes';

describe('LineSplitter', () => {
  it('joins chunks into lines, drops \\r of \\r\\n and keeps a last line without newline', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('one\r\ntw');
    splitter.push('o\n\nthr');
    splitter.flush();
    assert.deepEqual(lines, ['one', 'two', '', 'thr']);
  });
});

describe('describeCommand and describeOutcome', () => {
  it('quotes words a shell would split or expand', () => {
    assert.equal(describeCommand('make', ['-C', '/k dir', "it's", 'M=$(x)'], '/w'), `make -C '/k dir' 'it'\\''s' 'M=$(x)' (in /w)`);
  });
  it('names how a run ended', () => {
    const base = { exitCode: null, signal: null, timedOut: false, cancelled: false };
    assert.equal(describeOutcome({ ...base, timedOut: true }, 2000), 'killed after the 2 s time limit');
    assert.equal(describeOutcome({ ...base, exitCode: 3 }, 2000), 'exit status 3');
  });
});

describe('runProcess', () => {
  it('delivers every line and the exit status', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const result = await runProcess('sh', ['-c', 'printf "a\\nb"; echo e >&2; exit 4'], {
      cwd: '/',
      timeoutMs: 10_000,
      onStdoutLine: (line) => out.push(line),
      onStderrLine: (line) => err.push(line),
    });
    assert.deepEqual([out, err, result.exitCode, result.timedOut], [['a', 'b'], ['e'], 4, false]);
  });

  it('names the missing program when it cannot start', async () => {
    await assert.rejects(runProcess('/nonexistent/rfl-no-such-tool', ['x'], { cwd: '/', timeoutMs: 1000 }), (error: Error) => {
      assert.ok(error instanceof ProcessStartError);
      assert.match(error.message, /rfl-no-such-tool x \(in \/\).*was not found/);
      return true;
    });
  });

  it('on its time limit kills a child that holds the pipe after the leader exited', async () => {
    // The shape of make at a timeout: the top process is gone, a compiler it started runs on.
    let childPid = 0;
    const started = Date.now();
    const result = await runProcess('sh', ['-c', 'sleep 60 & echo $!; exit 0'], {
      cwd: '/',
      timeoutMs: 500,
      killGraceMs: 300,
      onStdoutLine: (line) => (childPid = Number(line)),
    });
    assert.ok(childPid > 0);
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, 0, 'the leader itself exited normally');
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    assert.ok(await stopsWithin(childPid, 2000), `sleep ${childPid} survived the time limit`);
  });

  it('escalates to SIGKILL for a group that ignores SIGTERM', async () => {
    let childPid = 0;
    const controller = new AbortController();
    const run = runProcess('sh', ['-c', `trap '' TERM; sh -c "trap '' TERM; sleep 60" & echo $!; wait`], {
      cwd: '/',
      timeoutMs: 30_000,
      killGraceMs: 200,
      signal: controller.signal,
      onStdoutLine: (line) => {
        childPid = Number(line);
        controller.abort();
      },
    });
    const result = await run;
    assert.equal(result.cancelled, true);
    assert.ok(await stopsWithin(childPid, 2000));
  });

  it('stops waiting for pipes held by a process that left the group, within the limit', async () => {
    let escapedPid = 0;
    const started = Date.now();
    try {
      const result = await runProcess('sh', ['-c', 'setsid sleep 60 & echo $!; wait'], {
        cwd: '/',
        timeoutMs: 300,
        killGraceMs: 200,
        onStdoutLine: (line) => (escapedPid = Number(line)),
      });
      assert.equal(result.timedOut, true);
      assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    } finally {
      if (escapedPid) process.kill(escapedPid, 'SIGKILL');
    }
  });

  it('is listed in liveWork while it runs and forgotten after', async () => {
    let seen: readonly number[] = [];
    const result = await runProcess('sh', ['-c', 'echo $$; sleep 0.2'], {
      cwd: '/',
      timeoutMs: 10_000,
      onStdoutLine: () => (seen = liveWork.groupIds),
    });
    assert.equal(result.exitCode, 0);
    assert.equal(seen.length, 1);
    assert.deepEqual(liveWork.groupIds, []);
  });
});

describe('LiveWork', () => {
  it('tears down its process groups and folders', async () => {
    const registry = new LiveWork();
    const dir = makeTempDir('rfl-livework-', registry);
    mkdirSync(`${dir.path}/sub`);
    writeFileSync(`${dir.path}/sub/file`, 'x');
    let groupPid = 0;
    let tearDown: Promise<void> | undefined;
    const run = runProcess('sh', ['-c', 'echo $$; sleep 60'], {
      cwd: '/',
      timeoutMs: 30_000,
      onStdoutLine: (line) => {
        groupPid = Number(line);
        registry.addGroup(groupPid);
        tearDown = registry.tearDown(500);
      },
    });
    const result = await run;
    await tearDown;
    assert.equal(result.signal, 'SIGTERM');
    assert.equal(groupAlive(groupPid), false);
    assert.equal(existsSync(dir.path), false);
    assert.deepEqual([registry.groupIds, registry.dirPaths], [[], []]);
  });

  it('keeps a folder the caller keeps, and removes one it removes', () => {
    const registry = new LiveWork();
    const kept = makeTempDir('rfl-livework-', registry);
    kept.keep();
    const removed = makeTempDir('rfl-livework-', registry);
    removed.remove();
    assert.deepEqual(registry.dirPaths, []);
    assert.equal(existsSync(removed.path), false);
    registry.killNow();
    assert.equal(existsSync(kept.path), true);
    kept.remove();
  });

  it('stopGroup returns at once for a group that is gone', async () => {
    const started = Date.now();
    await stopGroup(2 ** 22 + 12345, 5000);
    assert.ok(Date.now() - started < 100);
  });
});
