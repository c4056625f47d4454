// Developer aid: prints a fixture with the real clippy's SAFETY findings under the lines they are on,
// to see what clippy says while writing a fixture (test/fixtures/safety).
// Usage: npx tsx scripts/show-clippy.ts FILE.rs
import { readFileSync } from 'node:fs';
import { runClippy } from '../test/support/clippy';
const f = process.argv[2];
const lines = readFileSync(f, 'utf8').split('\n');
const c = runClippy(f);
const by = new Map<number, string[]>();
for (const x of c) {
  const a = by.get(x.line) ?? [];
  a.push(`${x.rule}: ${x.message} [${x.column}-${x.endLine}:${x.endColumn}]`);
  by.set(x.line, a);
}
lines.forEach((l, i) => {
  console.log(String(i + 1).padStart(4) + ' ' + l);
  for (const m of by.get(i + 1) ?? []) console.log('     ^^^ ' + m);
});
