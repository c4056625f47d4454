// The KTAP parser and the results built from it, on logs shaped like KUnit's console output (lib/kunit/
// test.c: four-space subtest indentation, `# Subtest:`, `# module:`, assertion lines, per-case
// attributes, suite totals) with the kernel's own messages interleaved. The kernel's own examples
// (Documentation/dev-tools/ktap.rst, kunit.py's test logs) are run from a kernel tree in
// test/kernel/ktapExamples.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KtapParser, parseDirective, parseKtap } from '../../src/core/kunit/ktap';
import { allPassed, buildResults, countStatuses } from '../../src/core/kunit/results';

const MODULE_LOG = `[    0.912345] Run /init as init process
@@rfl:insmod-start name=demo_tests
[    1.001000] KTAP version 1
[    1.001010] 1..1
[    1.001020]     KTAP version 1
[    1.001030]     # Subtest: demo
[    1.001040]     # module: demo_tests
[    1.001050]     1..5
[    1.001060]     # adds.speed: normal
[    1.001070]     ok 1 adds
[    1.002000] demo_tests: a message the module printed
[    1.002010]     # compares: ASSERTION FAILED at tests/demo.rs:21
[    1.002020]     Expected a == b to be true, but is false
[    1.002030]     # compares.speed: normal
[    1.002040]     not ok 2 compares
[    1.002050] random: crng init done
[    1.002060]     # returns_err.speed: normal
[    1.002070]     ok 3 returns_err # SKIP needs hardware
[    1.002080]     ok 4 slow_one # XFAIL known bug
[    1.002090]     not ok 5 timed # TIMEOUT 30 seconds
[    1.002100] # demo: pass:1 fail:2 skip:1 total:5
[    1.002110] # Totals: pass:1 fail:2 skip:1 total:5
[    1.002120] not ok 1 demo
@@rfl:insmod name=demo_tests rc=0
`;

describe('KTAP parser', () => {
  it('reads suites and cases through interleaved kernel messages', () => {
    const document = parseKtap(MODULE_LOG);
    assert.equal(document.found, true);
    assert.equal(document.version, 'KTAP version 1');
    assert.equal(document.tests.length, 1);
    const suite = document.tests[0]!;
    assert.equal(suite.name, 'demo');
    assert.equal(suite.ok, false);
    assert.equal(suite.plan, 5);
    assert.deepEqual(suite.header, ['# module: demo_tests']);
    assert.deepEqual(
      suite.children.map((test) => [test.number, test.name, test.ok, test.directive ?? '', test.reason ?? '']),
      [
        [1, 'adds', true, '', ''],
        [2, 'compares', false, '', ''],
        [3, 'returns_err', true, 'SKIP', 'needs hardware'],
        [4, 'slow_one', true, 'XFAIL', 'known bug'],
        [5, 'timed', false, 'TIMEOUT', '30 seconds'],
      ],
    );
    // The module's own message and `random:` are unindented: kernel noise, not the case's output.
    assert.deepEqual(suite.children[1]!.log, [
      '# compares: ASSERTION FAILED at tests/demo.rs:21',
      'Expected a == b to be true, but is false',
      '# compares.speed: normal',
    ]);
    assert.deepEqual(suite.log, ['# demo: pass:1 fail:2 skip:1 total:5', '# Totals: pass:1 fail:2 skip:1 total:5']);
  });

  it('turns cases into statuses, messages, locations and speeds', () => {
    const [suite] = buildResults({ tests: parseKtap(MODULE_LOG).tests, resolveFile: (printed) => `/src/${printed}` });
    assert.ok(suite);
    assert.equal(suite.status, 'timeout');
    assert.equal(suite.module, 'demo_tests');
    const byName = new Map(suite.cases.map((one) => [one.name, one]));
    assert.equal(byName.get('adds')?.status, 'passed');
    assert.equal(byName.get('adds')?.speed, 'normal');
    const compares = byName.get('compares');
    assert.equal(compares?.status, 'failed');
    assert.equal(compares?.file, '/src/tests/demo.rs');
    assert.equal(compares?.line, 21);
    assert.equal(compares?.message, 'ASSERTION FAILED at tests/demo.rs:21\nExpected a == b to be true, but is false');
    assert.equal(byName.get('returns_err')?.status, 'skipped');
    assert.equal(byName.get('returns_err')?.message, 'needs hardware');
    assert.equal(byName.get('slow_one')?.status, 'passed');
    assert.equal(byName.get('timed')?.status, 'timeout');
    assert.equal(byName.get('timed')?.message, 'TIMEOUT: 30 seconds');
    assert.deepEqual(countStatuses([suite]), { total: 5, passed: 2, failed: 1, skipped: 1, timeout: 1, error: 0, 'not-run': 0 });
  });

  it('parses directives case-insensitively and keeps plain comments as the reason', () => {
    assert.deepEqual(parseDirective('skip no device'), { directive: 'SKIP', reason: 'no device' });
    assert.deepEqual(parseDirective('SKIP'), { directive: 'SKIP' });
    assert.deepEqual(parseDirective('rcode=0'), { reason: 'rcode=0' });
    assert.deepEqual(parseDirective(undefined), {});
  });

  it('reads TAP 14 logs with tabs, dashes and `# Subtest:` opening the level', () => {
    const log = [
      'TAP version 14',
      '1..1',
      '\t# Subtest: old',
      '\t1..2',
      '\tok 1 - first',
      '\t# second: EXPECTATION FAILED at lib/x.c:3',
      '\tnot ok 2 - second',
      'not ok 1 - old',
    ].join('\n');
    const [suite] = parseKtap(log).tests;
    assert.equal(suite?.name, 'old');
    assert.deepEqual(
      suite?.children.map((test) => [test.name, test.ok]),
      [
        ['first', true],
        ['second', false],
      ],
    );
  });

  it('keeps a case running when the output stops, with what it printed so far', () => {
    const parser = new KtapParser();
    const lines = MODULE_LOG.split('\n');
    const stopAt = lines.findIndex((line) => line.includes('Expected a == b'));
    for (const line of lines.slice(0, stopAt + 1)) parser.push(line);
    const [suite] = parser.document().tests;
    assert.equal(suite?.complete, false);
    assert.equal(suite?.name, 'demo');
    assert.equal(suite?.children.length, 2);
    assert.equal(suite?.children[1]?.complete, false);
    assert.deepEqual(suite?.children[1]?.log, [
      '# compares: ASSERTION FAILED at tests/demo.rs:21',
      'Expected a == b to be true, but is false',
    ]);
  });

  it('gives each test the console lines it spans, and passes the KTAP itself through', () => {
    const parser = new KtapParser();
    MODULE_LOG.split('\n').forEach((line, index) => parser.push(line, index * 10));
    const [suite] = parser.document().tests;
    const compares = suite?.children[1];
    // Line numbers count from 1: `ok 1 adds` is line 10, `not ok 2 compares` line 15.
    assert.equal(compares?.firstLine, 11);
    assert.equal(compares?.lastLine, 15);
    assert.equal(compares?.startMs, 90);
    assert.equal(compares?.endMs, 140);
    assert.equal(parser.ktapLines[0], 'KTAP version 1');
    assert.ok(!parser.ktapLines.some((line) => line.includes('random:') || line.includes('@@rfl')));
    assert.equal(parser.ktapLines.at(-1), 'not ok 1 demo');
  });

  it('reads one block per loaded module', () => {
    const block = (suite: string) => [
      'KTAP version 1',
      '1..1',
      '    KTAP version 1',
      `    # Subtest: ${suite}`,
      '    1..1',
      '    ok 1 only',
      `ok 1 ${suite}`,
    ];
    const document = parseKtap([...block('first'), 'some kernel line', ...block('second')].join('\n'));
    assert.deepEqual(
      document.tests.map((test) => test.name),
      ['first', 'second'],
    );
  });

  it('finds nothing in a log without KTAP', () => {
    const document = parseKtap('Linux version 7.2\nok 1 looks like a result\nnot ok 2 also\n');
    assert.equal(document.found, false);
    assert.deepEqual(document.tests, []);
  });
});

describe('results with the source and the run end', () => {
  const expected = [
    { name: 'demo', cases: ['adds', 'compares', 'hangs', 'after'].map((name, index) => ({ name, file: '/m/demo.rs', line: 10 + index })) },
  ];
  const upTo = (marker: string, extra: string[] = []) => {
    const lines = [...MODULE_LOG.split('\n').slice(0, MODULE_LOG.split('\n').findIndex((line) => line.includes(marker)) + 1), ...extra];
    const parser = new KtapParser();
    for (const line of lines) parser.push(line);
    return { tests: parser.document().tests, lines: parser.lineCount };
  };

  it('names a silent hanging case from the source and marks the rest not run', () => {
    const { tests } = upTo('not ok 2 compares');
    const [suite] = buildResults({ tests, expected, stop: { status: 'timeout', message: 'timed out after 5 s' } });
    assert.deepEqual(
      suite?.cases.map((one) => [one.name, one.status]),
      [
        ['adds', 'passed'],
        ['compares', 'failed'],
        ['hangs', 'timeout'],
        ['after', 'not-run'],
      ],
    );
    assert.equal(suite?.cases[2]?.message, 'timed out after 5 s');
    assert.equal(suite?.cases[2]?.line, 12);
    assert.equal(suite?.status, 'timeout');
  });

  it('puts the stop on the next case when a finished case never got its result line out', () => {
    // Seen on 7.2 under TCG: the case after `compares` spins, and the result line KUnit prints after
    // `compares`'s attribute lines stays in the kernel's log buffer.
    const { tests } = upTo('ok 1 adds', ['    # compares.speed: normal']);
    const [suite] = buildResults({ tests, expected, stop: { status: 'timeout', message: 'timed out after 5 s' } });
    assert.deepEqual(
      suite?.cases.map((one) => [one.name, one.status]),
      [
        ['adds', 'passed'],
        ['compares', 'error'],
        ['hangs', 'timeout'],
        ['after', 'not-run'],
      ],
    );
    assert.match(suite?.cases[1]?.message ?? '', /finished, but its result line never reached the console/);
    assert.equal(suite?.cases[2]?.message, 'timed out after 5 s');
  });

  it('puts a kernel problem on the case during which it was printed', () => {
    const { tests, lines } = upTo('not ok 2 compares', [
      '    # hangs: try faulted',
      '    not ok 3 hangs',
      '    ok 4 after',
      'not ok 1 demo',
    ]);
    const [suite] = buildResults({
      tests,
      expected,
      events: [
        {
          atLine: lines - 3,
          kind: 'Rust panic',
          title: 'rust_kernel: panicked at demo.rs:33:5:',
          message: 'boom',
          file: '/m/demo.rs',
          line: 33,
        },
      ],
    });
    const hangs = suite?.cases[2];
    assert.equal(hangs?.status, 'error');
    assert.equal(hangs?.line, 33);
    assert.match(hangs?.message ?? '', /^Rust panic at \/m\/demo\.rs:33: boom/);
    assert.equal(suite?.cases[3]?.status, 'passed');
    assert.equal(allPassed(suite ? [suite] : []), false);
  });

  it('reports suites that never started as not run', () => {
    const results = buildResults({ tests: [], expected, stop: { status: 'error', message: 'kernel panic' } });
    assert.equal(results[0]?.status, 'not-run');
    assert.ok(results[0]?.cases.every((one) => one.status === 'not-run'));
    assert.equal(allPassed(results), false);
  });

  it('passes only when every case passed or was skipped', () => {
    const log = [
      'KTAP version 1',
      '1..1',
      '    KTAP version 1',
      '    # Subtest: ok_suite',
      '    1..2',
      '    ok 1 a',
      '    ok 2 b # SKIP',
      'ok 1 ok_suite',
    ].join('\n');
    const results = buildResults({ tests: parseKtap(log).tests });
    assert.equal(results[0]?.status, 'passed');
    assert.equal(allPassed(results), true);
    assert.equal(allPassed([]), false);
  });
});

describe('a test that returns Err', () => {
  it('is reported at the test function, not at the macro-generated assertion', () => {
    const log = [
      'KTAP version 1',
      '1..1',
      '    KTAP version 1',
      '    # Subtest: demo',
      '    1..1',
      '    # returns_err: ASSERTION FAILED at /build/demo.rs:3',
      '    Expected is_test_result_ok(returns_err()) to be true, but is false',
      '    not ok 1 returns_err',
      'not ok 1 demo',
    ].join('\n');
    const [suite] = buildResults({
      tests: parseKtap(log).tests,
      expected: [{ name: 'demo', cases: [{ name: 'returns_err', file: '/m/demo.rs', line: 40 }] }],
    });
    const [one] = suite?.cases ?? [];
    assert.equal(one?.status, 'failed');
    assert.equal(one?.file, '/m/demo.rs');
    assert.equal(one?.line, 40);
    assert.match(one?.message ?? '', /^the test returned Err\nASSERTION FAILED/);
  });
});

describe('a console with a Rust panic inside a case', () => {
  it('puts the panic, with its message and line, on the case that was running', async () => {
    const { KunitConsole } = await import('../../src/core/kunit/kunitConsole');
    const lines = [
      'KTAP version 1',
      '1..1',
      '    KTAP version 1',
      '    # Subtest: demo',
      '    1..3',
      '    ok 1 first',
      'rust_kernel: panicked at /build/demo/demo.rs:61:17:',
      'deliberate panic in a test',
      '------------[ cut here ]------------',
      'kernel BUG at rust/helpers/bug.c:7!',
      'Oops: invalid opcode: 0000 [#1] NOPTI',
      'Call Trace:',
      ' <TASK>',
      ' kunit_generic_run_threadfn_adapter+0x1c/0x40',
      ' </TASK>',
      '---[ end trace 0000000000000000 ]---',
      '    # panics: try faulted: last line seen lib/kunit/try-catch.c:32',
      '    not ok 2 panics',
      '    ok 3 after',
      'not ok 1 demo',
    ];
    const guest = new KunitConsole();
    lines.forEach((line, index) => guest.push(line, index));
    assert.equal(guest.problems.length, 1);
    const [suite] = guest.results(undefined, undefined, undefined, (printed) => printed.replace('/build/demo/', '/src/demo/'));
    assert.deepEqual(
      suite?.cases.map((one) => [one.name, one.status]),
      [
        ['first', 'passed'],
        ['panics', 'error'],
        ['after', 'passed'],
      ],
    );
    const panics = suite?.cases[1];
    assert.equal(panics?.file, '/build/demo/demo.rs');
    assert.equal(panics?.line, 61);
    assert.match(panics?.message ?? '', /^Rust panic at \/build\/demo\/demo\.rs:61: deliberate panic in a test\n/);
  });
});
