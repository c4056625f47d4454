// `rfl lint` as CI uses it: exit statuses, the four output formats, folder walking, and bad input
// (binary, invalid UTF-8, too large, missing) reported clearly without losing the other files.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runRfl, type JsonFinding } from '../support/cli';

const UNDOCUMENTED = 'pub fn f(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n';
const DOCUMENTED = 'pub fn f(p: *const u8) -> u8 {\n    // SAFETY: `p` is valid for reads.\n    unsafe { *p }\n}\n';

describe('rfl lint', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rfl-cli-'));
    mkdirSync(path.join(dir, 'src', 'nested'), { recursive: true });
    mkdirSync(path.join(dir, 'target'));
    mkdirSync(path.join(dir, '.hidden'));
    writeFileSync(path.join(dir, 'src', 'bad.rs'), UNDOCUMENTED);
    writeFileSync(path.join(dir, 'src', 'nested', 'good.rs'), DOCUMENTED);
    writeFileSync(path.join(dir, 'target', 'generated.rs'), UNDOCUMENTED);
    writeFileSync(path.join(dir, '.hidden', 'x.rs'), UNDOCUMENTED);
    writeFileSync(path.join(dir, 'src', 'notes.txt'), UNDOCUMENTED);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 without findings and 1 with findings', () => {
    assert.equal(runRfl(['lint', path.join(dir, 'src', 'nested', 'good.rs')]).status, 0);
    assert.equal(runRfl(['lint', path.join(dir, 'src', 'bad.rs')]).status, 1);
  });

  it('prints rustc-like text: file:line:col: warning: message [rule]', () => {
    const run = runRfl(['lint', path.join(dir, 'src', 'bad.rs')]);
    assert.equal(
      run.stdout,
      `${path.join(dir, 'src', 'bad.rs')}:2:5: warning: unsafe block missing a safety comment [undocumented_unsafe_blocks]\n`,
    );
  });

  it('walks folders for *.rs, skipping target/ and hidden folders', () => {
    const run = runRfl(['lint', '--format', 'json', dir]);
    const files = new Set((JSON.parse(run.stdout) as JsonFinding[]).map((f) => path.relative(dir, f.file)));
    assert.deepEqual([...files], [path.join('src', 'bad.rs')]);
  });

  it('prints one JSON array with 1-based lines and columns', () => {
    const run = runRfl(['lint', '--format', 'json', path.join(dir, 'src', 'bad.rs')]);
    assert.deepEqual(JSON.parse(run.stdout), [
      {
        file: path.join(dir, 'src', 'bad.rs'),
        line: 2,
        column: 5,
        endLine: 2,
        endColumn: 18,
        rule: 'undocumented_unsafe_blocks',
        severity: 'warning',
        message: 'unsafe block missing a safety comment',
      },
    ]);
  });

  it('prints SARIF 2.1.0 and GitHub annotations', () => {
    const sarif = JSON.parse(runRfl(['lint', '--format', 'sarif', path.join(dir, 'src', 'bad.rs')]).stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results[0].ruleId, 'undocumented_unsafe_blocks');
    assert.deepEqual(sarif.runs[0].results[0].locations[0].physicalLocation.region, {
      startLine: 2,
      startColumn: 5,
      endLine: 2,
      endColumn: 18,
    });
    const github = runRfl(['lint', '--format', 'github', path.join(dir, 'src', 'bad.rs')]).stdout;
    assert.match(
      github,
      /^::warning file=.*bad\.rs,line=2,col=5,endLine=2,endColumn=18,title=undocumented_unsafe_blocks::unsafe block missing a safety comment\n$/,
    );
  });

  it('changes severities with --rule and turns rules off', () => {
    const error = runRfl(['lint', '--rule', 'undocumented_unsafe_blocks=error', path.join(dir, 'src', 'bad.rs')]);
    assert.match(error.stdout, /: error: unsafe block/);
    assert.equal(runRfl(['lint', '--rule', 'undocumented_unsafe_blocks=off', path.join(dir, 'src', 'bad.rs')]).status, 0);
  });

  it('exits 2 with a clear message on usage and I/O errors', () => {
    const missing = runRfl(['lint', path.join(dir, 'nope.rs')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.rs: no such file or folder/);
    assert.equal(runRfl(['lint']).status, 2);
    const format = runRfl(['lint', '--format', 'xml', dir]);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /unknown format "xml"/);
    assert.equal(runRfl(['lint', '--rule', 'no_such_rule=error', dir]).status, 2);
  });

  it('reports binary, oversized and non-UTF-8 files and still lints the others', () => {
    const bad = path.join(dir, 'bad-input');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'binary.rs'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    writeFileSync(
      path.join(bad, 'latin1.rs'),
      Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from(`\n${UNDOCUMENTED}`)]),
    );
    writeFileSync(path.join(bad, 'huge.rs'), 'fn f() {}\n'.repeat(1_100_000));
    writeFileSync(path.join(bad, 'ok.rs'), UNDOCUMENTED);
    const run = runRfl(['lint', '--format', 'json', bad]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /binary\.rs: skipped: file looks binary/);
    assert.match(run.stderr, /huge\.rs: skipped: file is 10\.5 MB, above the 4\.0 MB lint limit/);
    assert.match(run.stderr, /latin1\.rs: warning: not valid UTF-8 \(first bad byte at offset 6\)/);
    const files = (JSON.parse(run.stdout) as JsonFinding[]).map((f) => path.basename(f.file)).sort();
    assert.deepEqual(files, ['latin1.rs', 'ok.rs']);
  });
});
