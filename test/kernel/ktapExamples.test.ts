// The KTAP parser on the kernel's own KTAP: the examples of Documentation/dev-tools/ktap.rst (with the
// hierarchy the document itself spells out) and the logs kunit.py's parser is tested on
// (tools/testing/kunit/test_data/). They are read from a test kernel's tree rather than copied here.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseKtap, type KtapTest } from '../../src/core/kunit/ktap';
import { buildResults } from '../../src/core/kunit/results';
import { cacheRoot } from '../../src/core/cache/cachePaths';
import { mustRun, testKernel } from './support';

function kernelTree(): string | undefined {
  for (const label of ['7.2', '6.12'] as const) {
    const lookup = testKernel(label);
    if ('kernel' in lookup && existsSync(path.join(lookup.kernel.kdir, 'Documentation/dev-tools/ktap.rst'))) return lookup.kernel.kdir;
  }
  // Only the documentation and kunit.py's logs are read: an unpacked tree not yet built will do.
  const kernels = path.join(cacheRoot(), 'kernels');
  const unpacked = existsSync(kernels) ? readdirSync(kernels).map((name) => path.join(kernels, name)) : [];
  return unpacked.find((dir) => existsSync(path.join(dir, 'Documentation/dev-tools/ktap.rst')));
}

/** The literal blocks (`::` then tab-indented lines) of the document that hold KTAP. */
function ktapBlocks(rst: string): string[] {
  return [...rst.matchAll(/::\n\n((?:\t.*\n|\n)+)/g)]
    .map((match) =>
      (match[1] ?? '')
        .split('\n')
        .map((line) => line.replace(/^\t/, ''))
        .join('\n'),
    )
    .filter((block) => /^K?TAP version/m.test(block));
}

const shape = (test: KtapTest): unknown => [test.name, test.ok, test.directive ?? null, test.children.map(shape)];

const tree = kernelTree();
if (!tree) {
  const reason = 'no test kernel tree with Documentation/dev-tools/ktap.rst: run .ci/test-kernels.sh';
  if (mustRun()) test('a kernel tree for the KTAP examples is available', () => assert.fail(reason));
  else test('KTAP examples of the kernel', { skip: reason }, () => undefined);
} else {
  describe(`KTAP examples of ${tree}`, () => {
    const blocks = ktapBlocks(readFileSync(path.join(tree, 'Documentation/dev-tools/ktap.rst'), 'utf8'));

    test('ktap.rst: every example parses, and the full example has the hierarchy the document describes', () => {
      assert.ok(blocks.length >= 3, `found ${blocks.length} KTAP examples`);
      for (const block of blocks) assert.ok(parseKtap(block).tests.length > 0, block);
      // "A single test called main_test, which fails, and has three subtests: example_test_1 passes ...
      // test_1 skipped ... example_test_3 fails ... test_2 outputs the diagnostic line test_2: FAIL".
      const full = blocks.find((block) => block.includes('main_test'));
      assert.ok(full);
      const [main] = parseKtap(full).tests;
      assert.deepEqual(shape(main as KtapTest), [
        'main_test',
        false,
        null,
        [
          ['example_test_1', true, null, [['test_1', true, null, []]]],
          [
            'example_test_2',
            true,
            null,
            [
              ['test_1', true, 'SKIP', []],
              ['test_2', true, null, []],
            ],
          ],
          [
            'example_test_3',
            false,
            null,
            [
              ['test_1', true, null, []],
              ['test_2', false, null, []],
              ['test_3', true, 'SKIP', []],
            ],
          ],
        ],
      ]);
      assert.deepEqual(main?.children[0]?.children[0]?.log, ['# test_1: initializing test_1']);
      assert.deepEqual(main?.children[2]?.children[1]?.log, ['# test_2: FAIL']);
      assert.equal(main?.children[1]?.children[0]?.reason, 'test_1 skipped');
      // The two-level example: example fails because test_2 does, with its diagnostic.
      const nested = blocks.find((block) => block.includes('# example failed'));
      assert.deepEqual(shape(parseKtap(nested ?? '').tests[0] as KtapTest), [
        'example',
        false,
        null,
        [
          ['test_1', true, null, []],
          ['test_2', false, null, []],
        ],
      ]);
    });

    const data = path.join(tree, 'tools/testing/kunit/test_data');
    const log = (name: string) => readFileSync(path.join(data, name), 'utf8');
    const statuses = (name: string) =>
      buildResults({ tests: parseKtap(log(name)).tests }).map((suite) => [suite.name, suite.cases.map((one) => one.status)]);

    test('kunit.py logs: passes, failures, skips', () => {
      for (const [suite, cases] of statuses('test_is_test_passed-all_passed.log'))
        assert.ok(
          (cases as string[]).every((status) => status === 'passed'),
          String(suite),
        );
      const failure = statuses('test_is_test_passed-failure.log');
      assert.deepEqual(
        failure.find(([suite]) => suite === 'example'),
        ['example', ['failed', 'passed']],
      );
      const [failed] = buildResults({ tests: parseKtap(log('test_is_test_passed-failure.log')).tests }).filter(
        (suite) => suite.name === 'example',
      );
      assert.equal(failed?.cases[0]?.line, 30);
      assert.match(failed?.cases[0]?.message ?? '', /EXPECTATION FAILED at lib\/kunit\/example-test\.c:30\nExpected 1 \+ 1 == 3, but/);
      const skipped = statuses('test_skip_tests.log').find(([suite]) => suite === 'example');
      assert.deepEqual(skipped, ['example', ['passed', 'skipped']]);
    });

    test('kunit.py logs: a kernel panic in the middle leaves the running suite unfinished', () => {
      const document = parseKtap(log('test_kernel_panic_interrupt.log'));
      const last = document.tests.at(-1);
      assert.equal(last?.complete, false);
      assert.ok((last?.children.length ?? 0) >= 1);
      const [, , interrupted] = buildResults({ tests: document.tests, stop: { status: 'error', message: 'kernel panic' } });
      assert.equal(interrupted?.status, 'error');
    });

    test('kunit.py logs: timestamps and interleaved lines', () => {
      if (!existsSync(path.join(data, 'test_config_printk_time.log'))) return;
      const results = buildResults({ tests: parseKtap(log('test_config_printk_time.log')).tests });
      assert.ok(results.length > 0);
      assert.ok(results.flatMap((suite) => suite.cases).length > 0);
    });
  });
}
