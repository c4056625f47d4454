// `rfl test` on the Linux 7.2 test kernel (CONFIG_KUNIT=y): a module whose KUnit cases pass, fail
// (assert_eq! and an Err return), are skipped and panic gives exactly the expected statuses, messages
// and lines in every format; a filter runs one case; a hanging case ends at the timeout, named, with
// no QEMU left; the JUnit output reads back; the misc-device and pinned templates' own tests pass.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { parse as parseJunit } from 'junit2json';
import { main } from '../../src/cli/main';
import { detectKernelApi } from '../../src/core/authoring/detectKernelApi';
import { createNewModule } from '../../src/core/authoring/newModule';
import { toJson, toText } from '../../src/core/kunit/formats';
import { toJunitXml } from '../../src/core/kunit/junit';
import { runTests, type TestRun } from '../../src/core/kunit/runTests';
import { mustRun, qemuProcessesMentioning, removeScratchCopies, scratchCopy, testKernel } from './support';

const CASE_TIMEOUT_MS = 300_000;
const lookup = testKernel('7.2');

if ('missing' in lookup) {
  if (mustRun()) test('Linux 7.2 test kernel is available for rfl test', () => assert.fail(lookup.missing));
  else test('rfl test on Linux 7.2', { skip: lookup.missing }, () => undefined);
} else {
  const kernel = lookup.kernel;
  const run = (moduleDir: string, extra: Partial<Parameters<typeof runTests>[0]> = {}) =>
    runTests({ kdir: kernel.kdir, moduleDir, toolchain: kernel.toolchain, accel: 'tcg', timeoutMs: 120_000, ...extra });
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await main(['test', '--kdir', kernel.kdir, '--accel', 'tcg', '--quiet', ...args], {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      cwd: process.cwd(),
    });
    return { status, stdout: out.join(''), stderr: err.join('') };
  };

  describe('rfl test on Linux 7.2', { concurrency: false }, () => {
    after(removeScratchCopies);
    let full: TestRun;
    let moduleFile: string;

    test('every outcome: statuses, messages and lines', { timeout: CASE_TIMEOUT_MS }, async () => {
      const dir = scratchCopy(path.join(kernel.modulesDir, 'kunit_mod'));
      moduleFile = realpathSync(path.join(dir, 'kunit_mod.rs'));
      full = await run(dir);
      assert.deepEqual(full.notes, []);
      assert.equal(full.exitCode, 1);
      const [suite] = full.suites;
      assert.equal(suite?.name, 'rfl_kunit_demo');
      const cases = new Map(suite?.cases.map((one) => [one.name, one]));
      assert.deepEqual(
        suite?.cases.map((one) => [one.name, one.status]),
        [
          ['doubles', 'passed'],
          ['doubles_wrong', 'failed'],
          ['halves_odd', 'failed'],
          ['skipped_here', 'skipped'],
          ['panics', 'error'],
          ['after_panic', 'passed'],
        ],
      );
      const wrong = cases.get('doubles_wrong');
      assert.equal(wrong?.file, moduleFile);
      assert.equal(wrong?.line, 44);
      assert.match(wrong?.message ?? '', /ASSERTION FAILED at \S+:44\nExpected double\(2\) == 5 to be true, but is false/);
      const err = cases.get('halves_odd');
      assert.equal(err?.file, moduleFile);
      assert.equal(err?.line, 48);
      assert.match(err?.message ?? '', /^the test returned Err\n/);
      const panic = cases.get('panics');
      assert.equal(panic?.file, moduleFile);
      assert.equal(panic?.line, 61);
      assert.match(panic?.message ?? '', /^Rust panic at \S+kunit_mod\.rs:61: deliberate panic in a test/);
      assert.equal(suite?.status, 'error');
    });

    test('the same run in text, JSON, KTAP and JUnit', { timeout: CASE_TIMEOUT_MS }, async () => {
      assert.ok(full, 'the first test ran');
      const json = JSON.parse(toJson(full.suites)) as {
        suites: { name: string; status: string; cases: { name: string; status: string; line?: number; file?: string }[] }[];
      };
      assert.deepEqual(
        json.suites[0]?.cases.map((one) => [one.name, one.status, one.line]),
        [
          ['doubles', 'passed', 38],
          ['doubles_wrong', 'failed', 44],
          ['halves_odd', 'failed', 48],
          ['skipped_here', 'skipped', 56],
          ['panics', 'error', 61],
          ['after_panic', 'passed', 65],
        ],
      );
      const text = toText(full.suites);
      assert.match(text, new RegExp(`^ {2}FAIL {4}doubles_wrong.* at ${moduleFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:44$`, 'm'));
      assert.match(text, /^2 passed, 2 failed, 1 skipped, 1 error \(6 tests\)$/m);
      assert.equal(full.ktap[0], 'KTAP version 1');
      assert.ok(full.ktap.includes('    not ok 2 doubles_wrong'), full.ktap.join('\n'));
      assert.ok(
        full.ktap.some((line) => /^ {4}ok 4 skipped_here # SKIP/.test(line)),
        full.ktap.join('\n'),
      );
      assert.equal(full.ktap.at(-1), 'not ok 1 rfl_kunit_demo');
      const xml = toJunitXml(full.suites, { name: 'kunit_mod' });
      assert.equal(XMLValidator.validate(xml), true);
      const report = (await parseJunit(xml)) as {
        tests?: number;
        failures?: number;
        errors?: number;
        skipped?: number;
        testsuite?: { testcase?: { name: string; line?: number }[] }[];
      };
      assert.deepEqual([report.tests, report.failures, report.errors, report.skipped], [6, 2, 1, 1]);
      assert.equal(Number(report.testsuite?.[0]?.testcase?.find((one) => one.name === 'doubles_wrong')?.line), 44);
    });

    test('a filter runs one case, through the CLI, exit 0', { timeout: CASE_TIMEOUT_MS }, async () => {
      const dir = scratchCopy(path.join(kernel.modulesDir, 'kunit_mod'), 'kunit_mod_filter');
      const result = await cli(['--filter', 'rfl_kunit_demo.doubles', '--format', 'json', dir]);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), {
        suites: [
          {
            name: 'rfl_kunit_demo',
            status: 'passed',
            cases: [{ name: 'doubles', status: 'passed', file: realpathSync(path.join(dir, 'kunit_mod.rs')), line: 38 }],
          },
        ],
      });
    });

    test('a hanging case ends at the timeout, named, the rest not run, no QEMU left', { timeout: CASE_TIMEOUT_MS }, async () => {
      const dir = scratchCopy(path.join(kernel.modulesDir, 'kunit_hang'));
      const result = await cli(['--timeout', '25', '--format', 'junit', dir]);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(XMLValidator.validate(result.stdout), true);
      const report = (await parseJunit(result.stdout)) as {
        testsuite?: { testcase?: { name: string; error?: { type: string; message: string }[]; skipped?: { message: string }[] }[] }[];
      };
      const cases = report.testsuite?.[0]?.testcase ?? [];
      assert.deepEqual(
        cases.map((one) => one.name),
        ['before', 'hangs', 'after'],
      );
      // `before` passed; its result line reaches the console only when the kernel flushes it before
      // `hangs` takes the CPU (a race seen on 7.2 under TCG). Either way it is not blamed for the hang.
      const beforeError = cases[0]?.error?.[0];
      if (beforeError) assert.match(beforeError.message, /finished, but its result line never reached the console/);
      assert.equal(cases[1]?.error?.[0]?.type, 'timeout');
      assert.match(cases[1]?.error?.[0]?.message ?? '', /timed out after 25 s while this case ran/);
      assert.match(cases[2]?.skipped?.[0]?.message ?? '', /^not run/);
      assert.deepEqual(qemuProcessesMentioning('rfl-load-'), []);
    });

    for (const template of ['misc-device', 'pinned']) {
      test(`the ${template} template's own tests pass`, { timeout: CASE_TIMEOUT_MS }, async () => {
        const { api } = detectKernelApi(kernel.kdir);
        const name = `tpl_${template.replace(/-/g, '_')}`;
        const parent = path.dirname(scratchCopy(path.join(kernel.modulesDir, 'rust_hello'), `host_${name}`));
        createNewModule({ name, dir: path.join(parent, name), templateId: template, api, kdir: kernel.kdir });
        const result = await run(path.join(parent, name));
        assert.deepEqual(result.notes, []);
        assert.equal(result.exitCode, 0, toText(result.suites));
        assert.equal(result.suites[0]?.name, `${name}_tests`);
        assert.ok((result.suites[0]?.cases.length ?? 0) >= 1);
      });
    }
  });
}
