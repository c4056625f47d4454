// Linting takes time linear in the input (issue 10): each family of inputs that once took quadratic
// time or worse is linted at 200 KB within a bound proportional to its size, calibrated against
// plain code of the same size in the same run (so the bound holds on a slow or busy machine, while
// quadratic behaviour, 20 times slower per byte at this size than at 10 KB, still fails). And the
// time budget cuts a lint off with a message; the nesting guard reads tokens.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { LintLimitError, LintTimeoutError } from '../../src/core/safety/limits';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';
import { PATHOLOGICAL_FAMILIES, plainCode } from '../support/pathological';

const SIZE = 200_000;
/** How much slower per byte than plain code a family may be (the benchmark aims at 5). */
const FACTOR = 10;
/** Fixed costs that do not grow with the input (a first parse of an unusual shape, say). */
const SLACK_MS = 100;

describe('lint time grows linearly with the input', () => {
  let linter: SafetyLinter;
  let plainMsPerByte: number;

  /** Best of two, so that a pause of the machine does not count. */
  function lintTime(text: string): number {
    let best = Infinity;
    for (let run = 0; run < 2; run++) {
      const started = performance.now();
      linter.lint(text).tree.delete();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  }

  before(async () => {
    linter = await SafetyLinter.create({ timeLimitMs: 600_000 });
    const plain = plainCode(SIZE);
    lintTime(plainCode(10_000));
    plainMsPerByte = lintTime(plain) / plain.length;
  });

  for (const family of PATHOLOGICAL_FAMILIES) {
    it(`${family.name}: ${SIZE / 1000} KB within ${FACTOR}x the time of plain code`, (t) => {
      const text = family.generate(SIZE);
      const elapsed = lintTime(text);
      t.diagnostic(`${elapsed.toFixed(0)} ms, ${(elapsed / (plainMsPerByte * text.length)).toFixed(2)}x plain code`);
      const bound = FACTOR * plainMsPerByte * text.length + SLACK_MS;
      assert.ok(
        elapsed <= bound,
        `${family.name}: ${elapsed.toFixed(0)} ms for ${text.length} bytes, bound ${bound.toFixed(0)} ms ` +
          `(plain code: ${(plainMsPerByte * 1e6).toFixed(1)} ms per MB)`,
      );
    });
  }

  it('lints brackets inside literals, comments and lifetimes: the nesting guard reads tokens', () => {
    const text = "pub fn f<'a>(s: &'a str) {\n" + '    let _c = b\'{\'; let _s = "(("; let _r = r#"[["#; // {{\n'.repeat(200) + '}\n';
    assert.doesNotThrow(() => linter.lint(text).tree.delete());
    assert.throws(() => linter.lint(`fn f() { let x = ${'['.repeat(200)}${']'.repeat(200)}; }`), /brackets nest 201 levels deep/);
  });
});

describe('the time budget of a lint', () => {
  it('stops a lint that runs past it and says so', async () => {
    const linter = await SafetyLinter.create({ timeLimitMs: 30 });
    const text = PATHOLOGICAL_FAMILIES.find((family) => family.name === 'unsafe blocks')!.generate(1_000_000);
    const started = performance.now();
    assert.throws(
      () => linter.lint(text),
      (error: unknown) =>
        error instanceof LintTimeoutError &&
        error instanceof LintLimitError &&
        /took longer than the limit of 30 ms for this file and was stopped; not linted/.test(error.message),
    );
    // The parse and the rules ask the clock often: the lint ends soon after the budget.
    assert.ok(performance.now() - started < 1_500, `stopped after ${(performance.now() - started).toFixed(0)} ms`);
  });
});
