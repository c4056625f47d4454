// The output formats of `rfl test` and the test-source finder. JUnit XML is checked by two readers
// from npm: fast-xml-parser's validator (well-formed XML) and junit2json (a JUnit report reader, as
// CI plugins read it), so the structure is what CI systems expect, not what this writer thinks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { parse as parseJunit } from 'junit2json';
import { toJson, toText } from '../../src/core/kunit/formats';
import { toJunitXml } from '../../src/core/kunit/junit';
import type { SuiteResult } from '../../src/core/kunit/results';
import { findKunitTests } from '../../src/core/kunit/testSource';
import { createRustParser } from '../../src/core/parse/rustParser';

const SUITES: SuiteResult[] = [
  {
    name: 'demo',
    status: 'error',
    module: 'demo_tests',
    cases: [
      { name: 'adds', status: 'passed', log: [], durationMs: 2, file: '/m/demo.rs', line: 10 },
      {
        name: 'compares',
        status: 'failed',
        message: 'ASSERTION FAILED at demo.rs:21\nExpected a == b & "c" < d to be true, but is false',
        file: '/m/demo.rs',
        line: 21,
        log: ['# compares: ASSERTION FAILED at demo.rs:21'],
      },
      { name: 'skips', status: 'skipped', message: 'needs hardware', log: [] },
      { name: 'panics', status: 'error', message: 'Rust panic at /m/demo.rs:33: boom\u0007', file: '/m/demo.rs', line: 33, log: [] },
      { name: 'hangs', status: 'timeout', message: 'timed out after 5 s', log: [] },
      { name: 'after', status: 'not-run', message: 'not run: an earlier case stopped the kernel', log: [] },
    ],
  },
  { name: 'second', status: 'passed', cases: [{ name: 'only', status: 'passed', log: [] }] },
];

describe('JUnit XML', () => {
  const xml = toJunitXml(SUITES, { name: 'demo_tests', timestamp: '2026-12-01T01:00:00Z', totalMs: 2500 });

  it('is well-formed XML', () => {
    assert.equal(XMLValidator.validate(xml), true);
  });

  it('reads back with a JUnit reader as the same suites, cases and outcomes', async () => {
    const report = (await parseJunit(xml)) as {
      name?: string;
      tests?: number;
      failures?: number;
      errors?: number;
      skipped?: number;
      testsuite?: {
        name: string;
        tests: number;
        failures: number;
        errors: number;
        skipped: number;
        testcase?: {
          name: string;
          classname: string;
          file?: string;
          line?: number;
          failure?: { message: string; inner?: string }[];
          error?: { message: string; type: string }[];
          skipped?: { message: string }[];
        }[];
      }[];
    };
    assert.equal(report.name, 'demo_tests');
    assert.deepEqual([report.tests, report.failures, report.errors, report.skipped], [7, 1, 2, 2]);
    const [demo, second] = report.testsuite ?? [];
    assert.equal(demo?.name, 'demo');
    assert.deepEqual([demo?.tests, demo?.failures, demo?.errors, demo?.skipped], [6, 1, 2, 2]);
    assert.equal(second?.name, 'second');
    const cases = new Map((demo?.testcase ?? []).map((one) => [one.name, one]));
    assert.equal(cases.get('compares')?.classname, 'demo');
    assert.equal(cases.get('compares')?.failure?.[0]?.message, 'ASSERTION FAILED at demo.rs:21');
    assert.match(cases.get('compares')?.failure?.[0]?.inner ?? '', /a == b & "c" < d/);
    assert.equal(Number(cases.get('compares')?.line), 21);
    assert.equal(cases.get('panics')?.error?.[0]?.type, 'kernel');
    assert.equal(cases.get('hangs')?.error?.[0]?.type, 'timeout');
    assert.equal(cases.get('skips')?.skipped?.[0]?.message, 'needs hardware');
    assert.match(cases.get('after')?.skipped?.[0]?.message ?? '', /^not run/);
    assert.equal(cases.get('adds')?.failure, undefined);
  });

  it('drops characters XML 1.0 cannot hold', () => {
    assert.ok(!xml.includes('\u0007'));
  });
});

describe('JSON and text', () => {
  it('prints exactly the documented JSON shape', () => {
    const parsed = JSON.parse(toJson(SUITES)) as { suites: { name: string; status: string; cases: Record<string, unknown>[] }[] };
    assert.deepEqual(Object.keys(parsed), ['suites']);
    assert.deepEqual(parsed.suites[0]?.cases[1], {
      name: 'compares',
      status: 'failed',
      message: SUITES[0]?.cases[1]?.message,
      file: '/m/demo.rs',
      line: 21,
    });
    assert.deepEqual(parsed.suites[1], { name: 'second', status: 'passed', cases: [{ name: 'only', status: 'passed' }] });
    for (const one of parsed.suites.flatMap((suite) => suite.cases)) {
      assert.ok(['passed', 'failed', 'skipped', 'timeout', 'error', 'not-run'].includes(String(one.status)));
      assert.deepEqual(
        Object.keys(one).filter((key) => !['name', 'status', 'message', 'file', 'line'].includes(key)),
        [],
      );
    }
  });

  it('summarises in text with the failing line', () => {
    const text = toText(SUITES);
    assert.match(text, /^suite demo: ERROR$/m);
    assert.match(text, /^ {2}FAIL {4}compares at \/m\/demo\.rs:21$/m);
    assert.match(text, /^ {10}Expected a == b/m);
    assert.match(text, /^2 passed, 1 failed, 1 skipped, 1 timed out, 1 error, 1 not run \(7 tests\)$/m);
  });
});

describe('test-source finder', () => {
  const SOURCE = `use kernel::prelude::*;

#[kunit_tests(rust_demo)]
mod tests {
    use super::*;

    #[test]
    fn adds() {
        assert_eq!(1 + 1, 2);
    }

    #[cfg(CONFIG_X)]
    #[test]
    fn may_fail() -> Result {
        Ok(())
    }

    fn helper() {}

    mod nested {
        #[test]
        fn not_a_case() {}
    }
}

#[macros::kunit_tests(second_suite)]
mod more {
    #[test]
    fn one() {}
}

#[cfg(test)]
mod plain_tests {
    #[test]
    fn ignored() {}
}
`;

  it('finds suites and their #[test] functions in order, with ranges', async () => {
    const parser = await createRustParser();
    const tree = parser.parse(SOURCE);
    assert.ok(tree);
    const suites = findKunitTests(tree.rootNode);
    assert.deepEqual(
      suites.map((suite) => [suite.name, suite.moduleName, suite.line, suite.cases.map((one) => [one.name, one.line])]),
      [
        [
          'rust_demo',
          'tests',
          4,
          [
            ['adds', 8],
            ['may_fail', 14],
          ],
        ],
        ['second_suite', 'more', 27, [['one', 29]]],
      ],
    );
    assert.deepEqual(suites[0]?.cases[0]?.range, { start: { line: 7, character: 4 }, end: { line: 9, character: 5 } });
    parser.delete();
  });
});
