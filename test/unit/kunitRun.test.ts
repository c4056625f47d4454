// What `rfl test` decides before any VM starts: whether the kernel can run #[kunit_tests] (6.15+,
// CONFIG_KUNIT=y), KUnit's glob filter on the source's cases, the filter an editor selection maps to,
// and the CLI's exit status 2 with a clear message for a kernel that cannot run tests.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { filterForSelection, globToRegExp, selectTests, validateFilter } from '../../src/core/kunit/filter';
import { kunitSupport } from '../../src/core/kunit/kernelSupport';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'kunit-run-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function fakeKernel(name: string, version: [number, number], config: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Makefile'), `VERSION = ${version[0]}\nPATCHLEVEL = ${version[1]}\nSUBLEVEL = 0\n`);
  writeFileSync(path.join(dir, '.config'), config);
  return dir;
}

describe('kernel support for #[kunit_tests]', () => {
  it('refuses kernels before 6.15 and says which release brought the macro', () => {
    const support = kunitSupport(fakeKernel('k612', [6, 12], 'CONFIG_KUNIT=y\n'));
    assert.equal(support.ok, false);
    assert.match(!support.ok ? support.reason : '', /Linux 6\.12\.0 has no #\[kunit_tests\] macro \(it came in 6\.15\)/);
  });

  it('refuses a 6.15+ kernel without CONFIG_KUNIT and says how to get it', () => {
    const support = kunitSupport(fakeKernel('k72off', [7, 2], '# CONFIG_KUNIT is not set\n'));
    assert.equal(support.ok, false);
    assert.match(!support.ok ? support.reason : '', /built without KUnit \(CONFIG_KUNIT=n\).*CONFIG_KUNIT=y/);
  });

  it('accepts a 7.2 kernel with KUnit built in', () => {
    assert.deepEqual(kunitSupport(fakeKernel('k72', [7, 2], 'CONFIG_KUNIT=y\n')), { ok: true, version: '7.2.0' });
  });

  it('rfl test exits 2 with the reason on such a kernel', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const kdir = fakeKernel('k61', [6, 1], '');
    const status = await main(['test', '--kdir', kdir, scratch], {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      cwd: scratch,
    });
    assert.equal(status, 2);
    assert.equal(out.join(''), '');
    assert.match(err.join(''), /^rfl test: Linux 6\.1\.0 has no #\[kunit_tests\] macro/);
  });

  it('rfl test refuses an unknown format as a usage error', async () => {
    const err: string[] = [];
    const status = await main(['test', '--format', 'xml', scratch], {
      stdout: () => undefined,
      stderr: (text) => err.push(text),
      cwd: scratch,
    });
    assert.equal(status, 2);
    assert.match(err.join(''), /--format: unknown format "xml"; use one of text, ktap, junit or json/);
  });
});

describe('KUnit filters', () => {
  const suites = [
    { name: 'alpha', cases: [{ name: 'one' }, { name: 'two' }, { name: 'three' }] },
    { name: 'beta', cases: [{ name: 'one' }] },
  ];
  const names = (filter: string | undefined) =>
    selectTests(suites, filter).map((suite) => `${suite.name}:${suite.cases.map((one) => one.name).join(',')}`);

  it('selects a suite, a case, or globs of them as KUnit does', () => {
    assert.deepEqual(names(undefined), ['alpha:one,two,three', 'beta:one']);
    assert.deepEqual(names('alpha'), ['alpha:one,two,three']);
    assert.deepEqual(names('alpha.two'), ['alpha:two']);
    assert.deepEqual(names('*.one'), ['alpha:one', 'beta:one']);
    assert.deepEqual(names('alpha.t*'), ['alpha:two,three']);
    assert.deepEqual(names('gamma'), []);
    assert.ok(globToRegExp('a?c[xy]').test('abcy'));
    assert.ok(!globToRegExp('a.c').test('abc'));
  });

  it('refuses filters that are not one kernel command-line word', () => {
    assert.equal(validateFilter('alpha.two'), undefined);
    assert.match(validateFilter('alpha two') ?? '', /SUITE or SUITE\.CASE/);
    assert.match(validateFilter('a.b.c') ?? '', /SUITE or SUITE\.CASE/);
    assert.match(validateFilter('x;reboot') ?? '', /SUITE or SUITE\.CASE/);
  });

  it('maps an editor selection to one filter', () => {
    assert.equal(filterForSelection([{ suite: 'alpha', case: 'two' }]), 'alpha.two');
    assert.equal(filterForSelection([{ suite: 'alpha' }]), 'alpha');
    assert.equal(
      filterForSelection([
        { suite: 'alpha', case: 'one' },
        { suite: 'alpha', case: 'two' },
      ]),
      'alpha',
    );
    assert.equal(filterForSelection([{ suite: 'alpha' }, { suite: 'beta' }]), undefined);
  });
});
