// The console parser on recorded consoles (fixtures from the kernels-proto runs) and on the
// shapes the kernels print, without booting anything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConsoleParser } from '../../src/core/qemu/consoleParser';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8').split('\n');

function parse(lines: readonly string[], modules: string[]): ConsoleParser {
  const parser = new ConsoleParser(modules);
  lines.forEach((line, index) => parser.push(line, index));
  return parser;
}

test('6.1 Rust panic: message quoted on the panicked line, one problem with its location', () => {
  const parser = parse(fixture('console-6.1-panic.log'), ['panic_mod']);
  assert.equal(parser.state.problems.length, 1);
  const [panic] = parser.state.problems;
  assert.equal(panic?.kind, 'rust-panic');
  assert.equal(panic?.message, 'panic_mod: deliberate panic in init');
  assert.deepEqual(panic?.location, { printedFile: '/work/kernels-proto/cases-6.1/panic/panic_mod.rs', line: 19, column: 19 });
  assert.ok(panic?.modules.includes('panic_mod'));
  assert.ok((panic?.callTrace.length ?? 0) > 3);
});

test('a WARN at the module\'s own line carries that file and line', () => {
  const parser = parse(fixture('console-6.12-warn-own-line.log'), ['warnasm_mod']);
  const warning = parser.state.problems.find((problem) => problem.kind === 'warning');
  assert.deepEqual(warning?.location, { printedFile: '/work/kernels-proto/cases/warnasm/warnasm_mod.rs', line: 59 });
  assert.ok(warning?.modules.includes('warnasm_mod'));
});

test('markers give insmod errno, rmmod failure text, leftovers and timings', () => {
  const parser = parse(
    [
      'Linux version 6.12.117 (x)',
      '@@rfl:init kernel=6.12.117',
      '@@rfl:insmod-start name=a',
      'a: loading out-of-tree module taints kernel.',
      'a: hello',
      '@@rfl:insmod name=a rc=0',
      '@@rfl:insmod-start name=b',
      '@@rfl:errno errno=22 what=finit_module',
      '@@rfl:insmod name=b rc=22',
      '@@rfl:rmmod-start name=a',
      "rmmod: can't unload module 'a': Device or resource busy",
      '@@rfl:rmmod name=a rc=1',
      '@@rfl:modules-begin',
      'a 16384 1 - Live 0xffffffffa0000000 (O)',
      '@@rfl:modules-end',
      '@@rfl:done',
    ],
    ['a', 'b'],
  );
  const state = parser.state;
  assert.equal(state.kernelStartMs, 0);
  assert.equal(state.initStartMs, 1);
  assert.deepEqual(state.modules.get('a')?.logLines, ['a: hello']);
  assert.equal(state.modules.get('b')?.insmod?.errno, 22);
  assert.equal(state.modules.get('a')?.rmmod?.text, "rmmod: can't unload module 'a': Device or resource busy");
  assert.deepEqual(state.procModules, [{ name: 'a', state: 'Live', flags: '(O)' }]);
  assert.equal(state.doneMs, 15);
});

test('6.12 null dereference: the BUG: headline and the Oops line make one oops', () => {
  const parser = parse(
    [
      'BUG: kernel NULL pointer dereference, address: 0000000000000000',
      '#PF: supervisor read access in kernel mode',
      'Oops: Oops: 0000 [#1]',
      'Call Trace:',
      ' <TASK>',
      ' ? init_module+0xa/0x1000 [oops_mod]',
      ' </TASK>',
      'Modules linked in: oops_mod(O+)',
      '---[ end trace 0000000000000000 ]---',
      'WARNING: CPU: 0 PID: 1 at lib/refcount.c:28 refcount_warn_saturate+0x93/0xf0',
    ],
    ['oops_mod'],
  );
  assert.deepEqual(
    parser.state.problems.map((problem) => [problem.kind, problem.title]),
    [
      ['oops', 'BUG: kernel NULL pointer dereference, address: 0000000000000000'],
      ['warning', 'WARNING: CPU: 0 PID: 1 at lib/refcount.c:28 refcount_warn_saturate+0x93/0xf0'],
    ],
  );
  assert.deepEqual(parser.state.problems[0]?.callTrace, ['? init_module+0xa/0x1000 [oops_mod]']);
});

test('kernel timestamps are ignored and markers are found mid-line', () => {
  const parser = parse(['[    0.512345] Linux version 6.1.192 (x)', 'garbage@@rfl:init kernel=6.1.192'], []);
  assert.equal(parser.state.kernelStartMs, 0);
  assert.equal(parser.state.kernelRelease, '6.1.192');
});
