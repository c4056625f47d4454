// Replaying a crate check with the real clippy-driver (no kernel needed): rustc's JSON diagnostics
// come back line by line, an error is a finished run that did not pass, a compiler that cannot run
// is told apart from one that found errors, and the replay leaves nothing behind.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { replayCrateChecks } from '../../src/core/check/replayCheck';
import type { CrateCheck } from '../../src/core/check/checkRecipe';
import { parseDiagnosticLine } from '../../src/core/check/rustcDiagnostic';
import { CLIPPY_DRIVER } from '../support/clippy';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'rfl-replay-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function crate(source: string, text: string, program = CLIPPY_DRIVER): CrateCheck {
  const file = path.join(scratch, source);
  writeFileSync(file, text);
  return {
    object: file.replace(/\.rs$/, '.o'),
    program,
    args: ['--edition=2021', '--crate-type', 'rlib', '--error-format=json', '-Wclippy::needless_return', file],
    env: {},
    cwd: scratch,
    source: file,
  };
}

const leftovers = () =>
  readdirSync(os.tmpdir())
    .filter((name) => name.startsWith('rfl-check-'))
    .sort();

describe('replaying crate checks with the real clippy-driver', () => {
  it("an error and a clippy lint come back as rustc's JSON; nothing is written beside the source", async () => {
    const before = leftovers();
    const lines: string[] = [];
    const checks = [
      crate('good.rs', 'pub fn one() -> u32 {\n    return 1;\n}\n'),
      crate('bad.rs', 'pub fn two() -> u32 {\n    "two"\n}\n'),
    ];
    const result = await replayCrateChecks(checks, { timeoutMs: 60_000, onLine: (line) => lines.push(line) });
    assert.equal(result.ranToEnd, true);
    assert.equal(result.ok, false);
    const codes = lines.map(parseDiagnosticLine).flatMap((diagnostic) => (diagnostic?.code ? [diagnostic.code.code] : []));
    assert.deepEqual(codes.sort(), ['E0308', 'clippy::needless_return']);
    assert.deepEqual(readdirSync(scratch).sort(), ['bad.rs', 'good.rs']);
    assert.deepEqual(leftovers(), before);
  });

  it('clean code passes', async () => {
    const result = await replayCrateChecks([crate('clean.rs', 'pub fn three() -> u32 {\n    3\n}\n')], {
      timeoutMs: 60_000,
      onLine: () => undefined,
    });
    assert.deepEqual([result.ok, result.ranToEnd], [true, true]);
  });

  it('a compiler that cannot run, or a crate root that is gone, is not a verdict', async () => {
    const missingTool = await replayCrateChecks([crate('tool.rs', '', path.join(scratch, 'no-such-driver'))], {
      timeoutMs: 60_000,
      onLine: () => undefined,
    });
    assert.equal(missingTool.ranToEnd, false);
    const gone = { ...crate('gone.rs', ''), source: path.join(scratch, 'gone-away.rs') };
    const missingSource = await replayCrateChecks([gone], { timeoutMs: 60_000, onLine: () => undefined });
    assert.equal(missingSource.ranToEnd, false);
    assert.match(missingSource.outcome, /gone/);
  });

  it('cancelling stops the compiler', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await replayCrateChecks([crate('cancel.rs', 'pub fn f() {}\n')], {
      timeoutMs: 60_000,
      signal: controller.signal,
      onLine: () => undefined,
    });
    assert.deepEqual([result.cancelled, result.ranToEnd], [true, false]);
  });
});
