// Thousands of random and mutated inputs through the linter: no exception and a bounded time for
// each; and random edits through the language server's lint document (the worker's incremental
// parsing) must give the same findings as a fresh parse, whatever the line endings.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { LintLimitError, SafetyLinter } from '../../src/core/safety/safetyLinter';
import { newestApi } from '../../src/core/authoring/kernelApi';
import { LintDocument } from '../../src/server/lint/lintDocument';
import type { WireFinding } from '../../src/server/lint/wire';
import { Random } from '../support/random';
import { plainCode } from '../support/pathological';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'safety');
const sources = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.rs'))
  .map((name) => readFileSync(path.join(FIXTURES, name), 'utf8'));

/** Generous: a hang or a quadratic blow-up shows, machine noise does not. */
// The bound for one input: proportional to its size, calibrated against plain code linted in the same
// run (so it holds on a slow or busy machine and still fails on quadratic work), and never below 2 s.
const PER_INPUT_FLOOR_MS = 2_000;
const TIMES_PLAIN_CODE = 10;

const FRAGMENTS = [
  'unsafe {',
  '}',
  '{',
  '// SAFETY: ',
  '/*',
  '*/',
  '"',
  "'",
  'r#"',
  '#[allow(clippy::undocumented_unsafe_blocks)]',
  '#![allow(',
  'unsafe impl Send for X {}',
  'macro_rules! m {',
  '=> {',
  '///',
  '/// # Safety\n',
  'let x = ',
  'match x {',
  '=>',
  'fn f() {',
  'unsafe fn g()',
  '\n',
  '\r\n',
  '\0',
  '\uFFFD',
  '😀',
  'é',
  '\t',
  ';',
  '(',
  ')',
];

function mutate(random: Random, text: string): string {
  let result = text;
  const steps = 1 + random.int(8);
  for (let i = 0; i < steps; i++) {
    const at = random.int(result.length + 1);
    switch (random.int(4)) {
      case 0:
        result = result.slice(0, at) + result.slice(at + random.int(40));
        break;
      case 1:
        result = result.slice(0, at) + random.pick(FRAGMENTS) + result.slice(at);
        break;
      case 2:
        result = result.slice(0, at) + String.fromCharCode(random.int(0x3000)) + result.slice(at + 1);
        break;
      default: {
        const from = random.int(result.length + 1);
        result = result.slice(0, at) + result.slice(from, from + random.int(200)) + result.slice(at);
      }
    }
  }
  return result;
}

function soup(random: Random): string {
  const parts: string[] = [];
  const count = random.int(300);
  for (let i = 0; i < count; i++) parts.push(random.pick(FRAGMENTS));
  return parts.join(random.pick([' ', '', '\n']));
}

const EXTREMES = [
  'fn f() { let x = ' + '('.repeat(20_000) + ')'.repeat(20_000) + '; }',
  'fn f() { ' + 'unsafe { '.repeat(5_000) + '}'.repeat(5_000) + ' }',
  'fn f() { ' + 'unsafe { '.repeat(125) + '}'.repeat(125) + ' }',
  '/* unterminated comment ' + 'x '.repeat(50_000),
  'fn f() { let s = "unterminated string ' + 'y'.repeat(100_000),
  '// SAFETY:\n'.repeat(50_000),
  '\uFFFD\uFFFD\0\0'.repeat(10_000),
];

describe('robustness', () => {
  let linter: SafetyLinter;
  let plainMsPerChar = 0;
  before(async () => {
    linter = await SafetyLinter.create();
    const plain = plainCode(200_000);
    linter.lint(plainCode(10_000)).tree.delete();
    const started = performance.now();
    linter.lint(plain).tree.delete();
    plainMsPerChar = (performance.now() - started) / plain.length;
  });

  /** Lints or refuses with a LintLimitError (a clear message); anything else is a defect. */
  function lintWithin(text: string, label: string): void {
    const started = performance.now();
    try {
      linter.lint(text).tree.delete();
    } catch (error) {
      if (!(error instanceof LintLimitError)) throw error;
      assert.match(error.message, /limit|stopped/);
    }
    const elapsed = performance.now() - started;
    const limit = Math.max(PER_INPUT_FLOOR_MS, TIMES_PLAIN_CODE * plainMsPerChar * text.length);
    assert.ok(elapsed < limit, `${label} (${text.length} characters) took ${elapsed.toFixed(0)} ms, over ${limit.toFixed(0)} ms`);
  }

  it('lints extreme inputs: deep nesting, unterminated comments and strings, junk', () => {
    EXTREMES.forEach((text, index) => lintWithin(text, `extreme input #${index}`));
  });

  it('lints 3,000 mutated fixtures and token soups without an exception', () => {
    const random = new Random(20261124);
    for (let i = 0; i < 3_000; i++) {
      const text = i % 4 === 0 ? soup(random) : mutate(random, random.pick(sources));
      lintWithin(text, `random input #${i} (seed 20261124)`);
    }
  });

  it('gives the same findings after 400 incremental edits as after a fresh parse', () => {
    const random = new Random(7);
    const config = { api: newestApi(), maxBytes: 4 * 1024 * 1024 };
    // Lone CRs and CRLFs too: tree-sitter's rows and the core's lines count \n only.
    const fragments = [...FRAGMENTS, '\r', '\r\r', 'x\ry\r\n'];
    const document = new LintDocument(sources.join('\n'), 'incremental.rs');
    document.lint(linter, config);
    const key = (f: WireFinding) => `${f.code}@${f.range.start}-${f.range.end}`;
    let compared = 0;
    for (let version = 2; version < 402; version++) {
      const start = random.int(document.text.length + 1);
      const end = Math.min(document.text.length, start + random.int(30));
      document.applyEdits([{ start, end, text: random.pick(fragments) }]);
      const incremental = document.lint(linter, config);
      const fresh = new LintDocument(document.text, 'incremental.rs');
      const expected = fresh.lint(linter, config);
      fresh.dispose();
      // A lint stopped by the time budget (a loaded machine) says nothing about drift: skip that edit.
      const timedOut = [incremental, expected].some((outcome) => outcome.kind === 'notLinted' && /took longer than/.test(outcome.reason));
      if (timedOut) continue;
      compared++;
      assert.equal(
        incremental.kind,
        expected.kind,
        `outcome after edit ${version}: ${JSON.stringify([incremental, expected].map((o) => (o.kind === 'linted' ? o.kind : o)))}`,
      );
      if (incremental.kind === 'linted' && expected.kind === 'linted') {
        assert.deepEqual(incremental.findings.map(key), expected.findings.map(key), `drift after edit ${version}`);
      }
    }
    assert.ok(compared >= 200, `only ${compared} of 400 edits were linted within the time budget`);
    document.dispose();
  });
});
