// `rfl lint` on awkward trees and options (issue 10, item 9): an unreadable folder is reported and
// the rest linted; symbolic links to files and folders are followed, cycles end; file names with
// control characters print escaped; SARIF URIs are percent-encoded; malformed options are refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, runRfl, type JsonFinding } from '../support/cli';

const UNDOCUMENTED = 'pub fn f(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n';

describe('rfl lint on awkward trees', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rfl-cli-inputs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function tree(name: string): string {
    const root = path.join(dir, name);
    mkdirSync(root, { recursive: true });
    return root;
  }

  it('reports a folder it cannot read and lints the rest (run as an unprivileged user)', (t) => {
    const root = tree('unreadable');
    mkdirSync(path.join(root, 'closed'));
    mkdirSync(path.join(root, 'open'));
    writeFileSync(path.join(root, 'closed', 'hidden.rs'), UNDOCUMENTED);
    writeFileSync(path.join(root, 'open', 'seen.rs'), UNDOCUMENTED);
    chmodSync(dir, 0o755);
    chmodSync(path.join(root, 'closed'), 0o000);
    t.after(() => chmodSync(path.join(root, 'closed'), 0o755));
    // root reads every folder: then run the CLI as `nobody`, for whom the folder is closed.
    const asRoot = process.getuid?.() === 0;
    const prefix = asRoot ? ['/usr/bin/setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
    const command = [...prefix, process.execPath, path.join(REPO_ROOT, 'bin', 'rfl.js'), 'lint', '--format', 'json', root];
    const run = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', timeout: 60_000, cwd: '/' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /closed: cannot search: permission denied/);
    const files = (JSON.parse(run.stdout) as JsonFinding[]).map((f) => path.basename(f.file));
    assert.deepEqual(files, ['seen.rs']);
  });

  it('follows symbolic links to files and folders, ends cycles, and reports broken links', () => {
    const root = tree('links');
    const real = tree('links-target');
    writeFileSync(path.join(real, 'real.rs'), UNDOCUMENTED);
    symlinkSync(path.join(real, 'real.rs'), path.join(root, 'linked.rs'));
    symlinkSync(real, path.join(root, 'linked-folder'));
    symlinkSync(root, path.join(root, 'loop'));
    symlinkSync(path.join(root, 'missing.rs'), path.join(root, 'broken.rs'));
    const run = runRfl(['lint', '--format', 'json', root]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /broken\.rs: broken symbolic link: no such file or folder/);
    const files = (JSON.parse(run.stdout) as JsonFinding[]).map((f) => path.relative(root, f.file)).sort();
    assert.deepEqual(files, ['linked-folder/real.rs', 'linked.rs']);
  });

  it('escapes control characters of file names in text output and messages', () => {
    const root = tree('names');
    const name = path.join(root, 'a\nb\u001b[31m.rs');
    writeFileSync(name, UNDOCUMENTED);
    const run = runRfl(['lint', name]);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout.split('\n').length, 2, run.stdout);
    assert.ok(run.stdout.startsWith(`${root}/a\\nb\\u{1b}[31m.rs:2:5: warning:`), run.stdout);
  });

  it('percent-encodes SARIF URIs', () => {
    const root = tree('sarif');
    writeFileSync(path.join(root, 'with space#1%.rs'), UNDOCUMENTED);
    const run = runRfl(['lint', '--format', 'sarif', '.'], { cwd: root });
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'with%20space%231%25.rs');
    const absolute = JSON.parse(runRfl(['lint', '--format', 'sarif', root], { cwd: tree('elsewhere') }).stdout);
    assert.equal(
      absolute.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri,
      `file://${root.split('/').map(encodeURIComponent).join('/')}/with%20space%231%25.rs`,
    );
  });

  it('refuses --rule with more than one = and a --max-file-size below one byte; prints small limits readably', () => {
    const root = tree('options');
    const file = path.join(root, 'f.rs');
    writeFileSync(file, UNDOCUMENTED);
    const junk = runRfl(['lint', '--rule', 'undocumented_unsafe_blocks=warning=junk', file]);
    assert.equal(junk.status, 2);
    assert.match(junk.stderr, /unknown severity in --rule undocumented_unsafe_blocks=warning=junk/);
    const tiny = runRfl(['lint', '--max-file-size', '1e-9', file]);
    assert.equal(tiny.status, 2);
    assert.match(tiny.stderr, /--max-file-size: wants a number of MB of at least one byte/);
    const small = runRfl(['lint', '--max-file-size', '0.00001', file]);
    assert.equal(small.status, 2);
    assert.match(small.stderr, /f\.rs: skipped: file is 51 bytes, above the 10 bytes lint limit/);
  });
});
