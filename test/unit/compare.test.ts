// rfl compare's analysis on console text in the very format its guest /init prints (the real
// ConsoleParser reads it): turns split by round and side, behaviour compared with the module name
// normalised, the first difference shown, a WARN named as that module's failure, timings turned
// into B/A with an interval, and the HTML report valid (html-validate) with its charts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HtmlValidate } from 'html-validate';
import { compareBehaviour, diffLines, formatDiff, normaliseName } from '../../src/core/compare/behaviour';
import { CompareConsole } from '../../src/core/compare/compareConsole';
import { decide } from '../../src/core/compare/compareRun';
import { renderCompareInit } from '../../src/core/compare/guestInit';
import { renderHtml } from '../../src/core/compare/htmlReport';
import { formatText, toJson, type CompareReport } from '../../src/core/compare/report';
import { INTERVAL_METHOD, median, ratioOfMedians } from '../../src/core/compare/stats';
import { compareTimings } from '../../src/core/compare/timingTable';
import { turnFailures } from '../../src/core/compare/turnFailures';
import { parseTimingLine } from '../../src/core/compare/timingLines';

const NAMES = { a: 'c_misc', b: 'rust_misc' } as const;

interface TurnScript {
  output?: string[];
  log?: string[];
  kernel?: string[];
  guestRc?: number;
  ns?: number;
}

/** The console of one turn as the compare /init prints it (see guestInit.ts). */
function turnLines(side: 'a' | 'b', round: number, script: TurnScript): string[] {
  const name = NAMES[side];
  return [
    `@@rfl:cmp-begin round=${round} side=${side}`,
    '@@rfl:init kernel=7.2.0',
    `@@rfl:insmod-start name=${name}`,
    `[    1.200000] ${name}: registering /dev/${name}`,
    ...(script.kernel ?? []),
    `@@rfl:insmod name=${name} rc=0`,
    '@@rfl:guest-start',
    `@@rfl:guest rc=${script.guestRc ?? 0}`,
    ...(script.output ?? [`read back: [hello|]`, `wrote /dev/${name}`]).map((line) => `@@rfl:out ${line}`),
    `@@rfl:out rfl-bench name=write-64 op=write size=64 ops=2000 ns_per_op=${script.ns ?? 1000}.0`,
    `@@rfl:rmmod-start name=${name}`,
    ...(script.log ?? [`[    1.300000] ${name}: exit: the buffer held 6 bytes`]),
    `@@rfl:rmmod name=${name} rc=0`,
    '@@rfl:modules-begin',
    '@@rfl:modules-end',
    '@@rfl:done',
    `@@rfl:cmp-end round=${round} side=${side}`,
  ];
}

function consoleOf(rounds: number, scripts: (side: 'a' | 'b', round: number) => TurnScript): CompareConsole {
  const parsed = new CompareConsole(NAMES);
  const lines = ['Linux version 7.2.0 (gcc)', '@@rfl:cmp-start kernel=7.2.0', '@@rfl:cmp-ftrace available=0'];
  for (let round = 1; round <= rounds; round++)
    lines.push(...turnLines('a', round, scripts('a', round)), ...turnLines('b', round, scripts('b', round)));
  lines.push('@@rfl:cmp-finished');
  lines.forEach((line, index) => parsed.push(line, index));
  return parsed;
}

describe('rfl compare analysis', () => {
  it('splits the console into alternating turns and judges equal modules the same', () => {
    const parsed = consoleOf(3, (side, round) => ({ ns: side === 'a' ? 1000 + round : 1100 + round }));
    assert.deepEqual(
      parsed.turns.map((turn) => `${turn.side}${turn.round}`),
      ['a1', 'b1', 'a2', 'b2', 'a3', 'b3'],
    );
    assert.equal(parsed.finished, true);
    assert.deepEqual(parsed.ftrace, { available: false, tracers: [] });
    const behaviour = compareBehaviour(parsed.turns, NAMES);
    assert.deepEqual(behaviour, { same: true, roundsCompared: 3 });
    for (const turn of parsed.turns) assert.deepEqual(turnFailures(turn, NAMES[turn.side], false), []);
    const [timing] = compareTimings(parsed.turns);
    assert.equal(timing?.name, 'write-64');
    assert.equal(timing?.a.samples, 3);
    assert.equal(timing?.a.median, 1002);
    assert.ok(Math.abs((timing?.ratio ?? 0) - 1102 / 1002) < 1e-9);
  });

  it('shows the first differing line of a module that truncates writes differently', () => {
    const parsed = consoleOf(2, (side, round) =>
      side === 'b' && round === 2
        ? { output: ['read back: [hel]', 'wrote /dev/rust_misc'], log: ['rust_misc: exit: the buffer held 3 bytes'] }
        : {},
    );
    const behaviour = compareBehaviour(parsed.turns, NAMES);
    assert.equal(behaviour.same, false);
    assert.equal(behaviour.difference?.round, 2);
    assert.equal(behaviour.difference?.firstA, 'output: read back: [hello|]');
    assert.equal(behaviour.difference?.firstB, 'output: read back: [hel]');
    assert.match(behaviour.difference?.diff ?? '', /^- output: read back: \[hello\|\]$/m);
    assert.match(behaviour.difference?.diff ?? '', /^\+ kernel: MODULE: exit: the buffer held 3 bytes$/m);
    assert.match(behaviour.difference?.diff ?? '', /^ {2}output: wrote \/dev\/MODULE$/m);
  });

  it('names a module that WARNs, with where it warned', () => {
    const warn = [
      '[    1.25] ------------[ cut here ]------------',
      '[    1.25] WARNING: c_misc.c:42 at rust_misc_write+0x4a/0x59, CPU#0: sh/40',
      '[    1.25] Modules linked in: rust_misc(O)',
      '[    1.25] Call Trace:',
      '[    1.25]  <TASK>',
      '[    1.25]  rust_misc_write+0x4a/0x59 [rust_misc]',
      '[    1.25]  </TASK>',
      '[    1.25] ---[ end trace 0000000000000000 ]---',
    ];
    const parsed = consoleOf(1, (side) => (side === 'b' ? { kernel: warn } : {}));
    const b = parsed.turns.find((turn) => turn.side === 'b');
    assert.ok(b);
    const failures = turnFailures(b, 'rust_misc', false);
    assert.equal(failures.length, 1);
    assert.match(failures[0] ?? '', /^WARN at c_misc\.c:42: WARNING: /);
  });

  it('normalises only whole names and diffs by common lines', () => {
    assert.equal(normaliseName('c_misc: /dev/c_misc c_misc_x xc_misc', 'c_misc'), 'MODULE: /dev/MODULE c_misc_x xc_misc');
    assert.equal(formatDiff(diffLines(['a', 'b', 'c'], ['a', 'x', 'c'])), '  a\n- b\n+ x\n  c');
    assert.deepEqual(parseTimingLine('rfl-bench name=open op=open size=0 ops=10 ns_per_op=12.5'), { name: 'open', nsPerOp: 12.5 });
    assert.equal(parseTimingLine('rfl-bench: open /dev/x: error errno=2 (No such file or directory)'), undefined);
  });

  it('gives a ratio of medians with a reproducible interval that holds it', () => {
    const a = [100, 102, 98, 101, 99, 100, 103, 97];
    const b = a.map((value) => value * 1.5);
    const first = ratioOfMedians(a, b);
    assert.equal(first.ratio, 1.5);
    assert.deepEqual(ratioOfMedians(a, b), first);
    assert.ok(first.ci95 && first.ci95[0] <= 1.5 && first.ci95[1] >= 1.5 && first.ci95[1] - first.ci95[0] < 0.2, JSON.stringify(first));
    assert.equal(ratioOfMedians([1], [2]).ci95, undefined);
    assert.equal(median([3, 1, 2, 10]), 2.5);
  });

  it('writes a /init that alternates A and B and refuses odd names', () => {
    const script = renderCompareInit(
      [
        { side: 'a', name: 'c_misc' },
        { side: 'b', name: 'rust_misc' },
      ],
      4,
    );
    assert.match(
      script,
      /while \[ \$r -le 4 \]; do\n {2}turn a c_misc '\/lib\/modules\/a\/c_misc\.ko' \$r\n {2}turn b rust_misc '\/lib\/modules\/b\/rust_misc\.ko' \$r\n/,
    );
    assert.throws(
      () =>
        renderCompareInit(
          [
            { side: 'a', name: 'x;reboot' },
            { side: 'b', name: 'y' },
          ],
          1,
        ),
      /unexpected module name/,
    );
  });
});

function reportFrom(parsed: CompareConsole): CompareReport {
  return decide({
    ok: false,
    exitCode: 1,
    verdict: '',
    a: { dir: '/m/c_misc', module: 'c_misc', failures: [] },
    b: { dir: '/m/rust_misc', module: 'rust_misc', failures: [] },
    rounds: { requested: 3, completed: 3 },
    order: parsed.turns.map((turn) => `${turn.side}${turn.round}`),
    behaviour: compareBehaviour(parsed.turns, NAMES),
    timings: compareTimings(parsed.turns),
    intervalMethod: INTERVAL_METHOD,
    ftrace: { available: false, note: 'this kernel cannot trace' },
    kernelRelease: '7.2.0',
    accel: 'tcg',
    runProblems: [],
    durationMs: 1234,
  });
}

describe('rfl compare report', () => {
  it('exits 0 only for the same behaviour with both modules clean, and the JSON has the documented shape', () => {
    const same = reportFrom(consoleOf(3, (side) => ({ ns: side === 'a' ? 1000 : 900 })));
    assert.equal(same.exitCode, 0);
    assert.match(same.verdict, /^SAME behaviour in 3 rounds, both clean; write-64 B\/A 0\.90/);
    const json = toJson(same) as {
      behaviour: { same: boolean };
      timings: { name: string; a: { median: number; samples: number }; b: object; ratio: number; ci95: [number, number] }[];
      verdict: string;
    };
    assert.equal(json.behaviour.same, true);
    assert.deepEqual(Object.keys(json.timings[0] ?? {}), ['name', 'a', 'b', 'ratio', 'ci95']);
    assert.deepEqual([json.timings[0]?.a.median, json.timings[0]?.a.samples], [1000, 3]);
    assert.equal(json.timings[0]?.ci95.length, 2);
    assert.equal(typeof json.verdict, 'string');
    assert.match(formatText(same), /write-64 +1000\.0 +900\.0 +0\.900/);

    const failed = decide({ ...same, b: { ...same.b, failures: ['round 1: WARN at x.c:1: WARNING'] } });
    assert.equal(failed.exitCode, 1);
    assert.match(failed.verdict, /B \(rust_misc\) failed: round 1: WARN/);
    const different = reportFrom(consoleOf(1, (side) => (side === 'b' ? { output: ['other'] } : {})));
    assert.equal(different.exitCode, 1);
    assert.match(different.verdict, /behaviour differs in round 1/);
  });

  it('renders valid, self-contained HTML with the charts and a strict CSP', async () => {
    const report = reportFrom(consoleOf(3, (side, round) => ({ ns: (side === 'a' ? 1000 : 1200) + round * 7 })));
    const different = reportFrom(consoleOf(1, (side) => (side === 'b' ? { output: ['<b>&"odd"</b>'] } : {})));
    const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });
    for (const html of [renderHtml(report), renderHtml(different), renderHtml(report, { nonce: 'abc123' })]) {
      const result = await validator.validateString(html);
      assert.equal(
        result.valid,
        true,
        JSON.stringify(
          result.results.flatMap((entry) => entry.messages.map((message) => `${message.line}: ${message.ruleId}: ${message.message}`)),
          null,
          1,
        ),
      );
      assert.doesNotMatch(html, /<script|<link|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
    const html = renderHtml(report);
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/,
    );
    assert.equal((html.match(/<svg /g) ?? []).length, 2);
    assert.equal((html.match(/class="sample-a"/g) ?? []).length, 3);
    assert.equal((html.match(/class="sample-b"/g) ?? []).length, 3);
    assert.match(html, /class="interval"/);
    assert.match(renderHtml(report, { nonce: 'abc123' }), /style-src 'nonce-abc123'.*<style nonce="abc123">/s);
    assert.match(renderHtml(different), /&lt;b&gt;&amp;&quot;odd&quot;&lt;\/b&gt;/);
  });
});
