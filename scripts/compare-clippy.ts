// Developer aid: prints, per fixture, where the linter and the real clippy disagree.
// Usage: npx tsx scripts/compare-clippy.ts [FILES...]   (default: test/fixtures/safety/*.rs)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SafetyLinter } from '../src/core/safety/safetyLinter';
import { runClippy, SAFETY_LINTS } from '../test/support/clippy';

async function main(): Promise<void> {
  const dir = 'test/fixtures/safety';
  const files =
    process.argv.slice(2).length > 0
      ? process.argv.slice(2)
      : readdirSync(dir)
          .filter((f) => f.endsWith('.rs'))
          .map((f) => path.join(dir, f));
  const linter = await SafetyLinter.create();
  let mismatches = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const ours = linter
      .lint(text)
      .findings.filter((f) => (SAFETY_LINTS as readonly string[]).includes(f.rule))
      .map((f) => `${f.range.start.line + 1} ${f.rule} ${f.message}`);
    const theirs = runClippy(file).map((f) => `${f.line} ${f.rule} ${f.message}`);
    const missing = theirs.filter((t) => !ours.includes(t));
    const extra = ours.filter((o) => !theirs.includes(o));
    if (missing.length + extra.length === 0) {
      console.log(`ok   ${file} (${theirs.length})`);
      continue;
    }
    mismatches++;
    console.log(`DIFF ${file}`);
    for (const m of missing) console.log(`   clippy only: ${m}`);
    for (const e of extra) console.log(`   ours only:   ${e}`);
  }
  console.log(`${files.length - mismatches}/${files.length} files agree`);
}

void main();
