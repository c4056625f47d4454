// The linter against the real clippy (Debian's rust-web-clippy 1.96, kernel configuration), fixture by
// fixture: `rfl lint --format json` must report the same findings, on the same lines and columns.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { clippyVersion, runClippy, SAFETY_LINTS } from '../support/clippy';
import { REPO_ROOT, runRfl, type JsonFinding } from '../support/cli';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'safety');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.rs')).sort();

/** One line per finding; rustc reports a macro's finding once per expansion, we once: compare sets. */
function keys(findings: { line: number; column: number; rule: string; message: string }[]): string[] {
  return [...new Set(findings.map((f) => `${f.line}:${f.column} ${f.rule}: ${f.message}`))].sort();
}

describe(`SAFETY lints agree with the real clippy (${clippyVersion()})`, () => {
  it('has fixtures to compare', () => assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures`));

  for (const name of fixtures) {
    it(name, () => {
      const file = path.join(FIXTURES, name);
      const expected = keys(runClippy(file));
      const run = runRfl(['lint', '--format', 'json', file]);
      assert.ok(run.status === 0 || run.status === 1, `rfl lint exited ${run.status}: ${run.stderr}`);
      const ours = (JSON.parse(run.stdout) as JsonFinding[]).filter((f) =>
        (SAFETY_LINTS as readonly string[]).includes(f.rule),
      );
      assert.deepEqual(keys(ours), expected);
    });
  }
});
