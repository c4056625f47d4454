// Which Debian toolchain builds which kernel (the one table the CLI, VS Code and the set-up scripts
// ask), the sh wrappers' quoting, and the progress estimate of a kernel preparation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sourceLines as sourceLinesFor } from '../../src/core/debian/aptPackages';
import { parseSeries, recipeFor } from '../../src/core/debian/kernelRecipes';
import { shQuote } from '../../src/core/debian/provisionToolchain';
import { formatProgress, PrepareProgressTracker, type PrepareProgress } from '../../src/core/kernel/prepareProgress';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('kernel recipes', () => {
  it('gives 6.1 the private rustc 1.63 with its bindgen 0.60, and LLVM', () => {
    const recipe = recipeFor({ version: 6, patchlevel: 1 });
    assert.ok(!('unsupported' in recipe));
    assert.deepEqual(
      [recipe.rust, recipe.bindgen, recipe.llvm, recipe.sourcePackage],
      ['rust-1.63-bookworm', 'bindgen-0.60-bookworm', true, { name: 'linux-source-6.1', suite: 'bookworm' }],
    );
  });
  it('gives 6.12 rustc-web with Debian 13 bindgen on libclang 14, and LLVM', () => {
    const recipe = recipeFor({ version: 6, patchlevel: 12 });
    assert.ok(!('unsupported' in recipe));
    assert.deepEqual(
      [recipe.rust, recipe.bindgen, recipe.llvm, recipe.sourcePackage.suite],
      ['rustc-web', 'bindgen-0.71-trixie', true, 'bookworm'],
    );
  });
  it('builds 7.x with GCC and libclang 19, from Debian unstable', () => {
    const recipe = recipeFor({ version: 7, patchlevel: 2 });
    assert.ok(!('unsupported' in recipe));
    assert.deepEqual(
      [recipe.rust, recipe.bindgen, recipe.llvm, recipe.sourcePackage],
      ['rustc-web', 'bindgen-0.71-clang19', false, { name: 'linux-source-7.2', suite: 'sid' }],
    );
  });
  it('refuses 6.2 to 6.10 with the reason', () => {
    for (const patchlevel of [2, 5, 10]) {
      const recipe = recipeFor({ version: 6, patchlevel });
      assert.ok('unsupported' in recipe, `6.${patchlevel}`);
      assert.match(recipe.unsupported, /exact rustc.*--rustc/s);
    }
    assert.ok('unsupported' in recipeFor({ version: 5, patchlevel: 15 }));
  });
  it('parses a series and nothing else', () => {
    assert.deepEqual(parseSeries('6.12'), { version: 6, patchlevel: 12 });
    for (const bad of ['6', '6.12.1', 'six', '', ' 6.12']) assert.equal(parseSeries(bad), undefined, bad);
  });
  it('writes apt sources for a Debian release with its updates and security suites', () => {
    assert.deepEqual(
      sourceLinesFor('bookworm').map((line) => line.split(' ').slice(-2).join(' ')),
      ['bookworm main', 'bookworm-updates main', 'bookworm-security main'],
    );
    assert.deepEqual(
      sourceLinesFor('sid').map((line) => line.split(' ').slice(-2).join(' ')),
      ['sid main'],
    );
  });
});

describe('sh quoting in wrappers', () => {
  it('passes any path through sh unchanged', () => {
    for (const text of [`plain`, `with space`, `it's`, `$(touch pwned) \`x\` "q" ;&|`, `back\\slash`, `new\nline`]) {
      const out = execFileSync('sh', ['-c', `printf %s ${shQuote(text)}`], { encoding: 'utf8' });
      assert.equal(out, text);
    }
  });
});

describe('prepare progress', () => {
  function tracker(history?: object) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rfl-progress-'));
    roots.push(dir);
    const file = path.join(dir, 'kernel-builds.json');
    if (history) writeFileSync(file, JSON.stringify(history));
    const seen: PrepareProgress[] = [];
    return { file, seen, tracker: new PrepareProgressTracker(file, '6.12', (progress) => seen.push(progress)) };
  }
  const step = (index: number) => `  CC      kernel/file${index}.o`;

  it('counts kbuild step lines against the last build of the series and never claims 100 % early', () => {
    const { seen, tracker: t } = tracker({ '6.12': { steps: 100, durationMs: 60_000 } });
    t.enter('configure');
    t.enter('build');
    for (let index = 0; index < 50; index += 1) t.line(step(index));
    t.line('make[2]: Entering directory'); // not a step
    t.line('warning: something'); // not a step
    const half = seen.at(-1);
    assert.equal(half?.phase, 'build');
    assert.ok(Math.abs((half?.fraction ?? 0) - (0.06 + 0.94 * 0.5)) < 1e-9, String(half?.fraction));
    assert.ok(half?.remainingMs !== undefined);
    for (let index = 50; index < 300; index += 1) t.line(step(index));
    assert.ok((seen.at(-1)?.fraction ?? 1) < 1, 'a bigger build than last time stays below 100 %');
  });

  it('says "estimating" for a first build until a tenth is done, then extrapolates', () => {
    const { seen, tracker: t } = tracker();
    t.enter('build');
    t.line(step(1));
    assert.equal(seen.at(-1)?.remainingMs, undefined);
    assert.match(formatProgress(seen.at(-1)!), /estimating/);
    for (let index = 0; index < 200; index += 1) t.line(step(index));
    assert.notEqual(seen.at(-1)?.remainingMs, undefined);
  });

  it('records the finished build for the next estimate, and survives a damaged record', () => {
    const { file } = tracker();
    writeFileSync(file, '{ not json');
    const fresh = new PrepareProgressTracker(file, '6.12', () => undefined);
    fresh.enter('build');
    for (let index = 0; index < 42; index += 1) fresh.line(step(index));
    fresh.finish();
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as Record<string, { steps: number }>)['6.12']?.steps, 42);
  });

  it('formats phase, percent, elapsed and time left', () => {
    assert.equal(
      formatProgress({ phase: 'build', fraction: 0.423, elapsedMs: 133_000, remainingMs: 185_000 }),
      'build      42 %  2:13 elapsed, about 3:05 left',
    );
  });
});
