// Thousands of random and mutated inputs through the linter: no exception and a bounded time for
// each; and random edits through the language server's document store must give the same findings
// as a fresh parse (incremental parsing must never drift).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { LintLimitError, SafetyLinter } from '../../src/core/safety/safetyLinter';
import { DocumentStore } from '../../src/server/documentStore';
import { Random } from '../support/random';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'safety');
const sources = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.rs'))
  .map((name) => readFileSync(path.join(FIXTURES, name), 'utf8'));

/** Generous: a hang or a quadratic blow-up shows, machine noise does not. */
const PER_INPUT_LIMIT_MS = 2_000;

const FRAGMENTS = [
  'unsafe {', '}', '{', '// SAFETY: ', '/*', '*/', '"', "'", 'r#"', '#[allow(clippy::undocumented_unsafe_blocks)]',
  '#![allow(', 'unsafe impl Send for X {}', 'macro_rules! m {', '=> {', '///', '/// # Safety\n', 'let x = ',
  'match x {', '=>', 'fn f() {', 'unsafe fn g()', '\n', '\r\n', '\0', '\uFFFD', '😀', 'é', '\t', ';', '(', ')',
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
  before(async () => {
    linter = await SafetyLinter.create();
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
    assert.ok(elapsed < PER_INPUT_LIMIT_MS, `${label} took ${elapsed.toFixed(0)} ms`);
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
    const store = new DocumentStore(linter);
    const uri = 'file:///incremental.rs';
    const entry = store.open(uri, 'rust', 1, sources.join('\n'));
    store.lint(entry);
    for (let version = 2; version < 402; version++) {
      const document = entry.document;
      const start = random.int(document.getText().length + 1);
      const end = Math.min(document.getText().length, start + random.int(30));
      const range = { start: document.positionAt(start), end: document.positionAt(end) };
      store.change(uri, version, [{ range, text: random.pick(FRAGMENTS) }]);
      const incremental = store.lint(entry);
      const fresh = linter.lint(entry.document.getText());
      fresh.tree.delete();
      const key = (f: { rule: string; range: unknown }) => `${f.rule}@${JSON.stringify(f.range)}`;
      assert.deepEqual(incremental.map(key), fresh.findings.map(key), `drift after edit ${version}`);
    }
    store.close(uri);
  });
});
