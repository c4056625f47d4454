// The console parser on recorded consoles (fixtures from the kernels-proto runs) and on the
// shapes the kernels print, without booting anything.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConsoleParser } from '../../src/core/qemu/consoleParser';

const fixture = (name: string) => readFileSync(path.join(__dirname, '..', 'fixtures', 'console', name), 'utf8').split('\n');

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

test("a WARN at the module's own line carries that file and line", () => {
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

// Linux 7.2 (console of test/kernel/modules-7.2/warn_mod): the file and line come first, the CPU
// and task last. Before the fix this WARN was no problem at all, so the run passed.
const WARN_7_2 = [
  'warn_mod: init, about to WARN',
  '------------[ cut here ]------------',
  'refcount_t: underflow; use-after-free.',
  'WARNING: lib/refcount.c:28 at refcount_warn_saturate+0x4a/0x59, CPU#0: finsmod/21',
  'Modules linked in: warn_mod(O+)',
  'CPU: 0 UID: 0 PID: 21 Comm: finsmod Tainted: G           O        7.2.13 #1 PREEMPTLAZY  ',
  'Tainted: [O]=OOT_MODULE',
  'RIP: 0010:refcount_warn_saturate+0x53/0x59',
  'RSP: 0018:ffffc90000087d60 EFLAGS: 00000246',
  'Call Trace:',
  ' <TASK>',
  ' ? _RNvXCs1MO37Nf0wf5_8warn_modNtB2_10TestModuleNtCsl7L7n58I0Vr_6kernel6Module4init+0x3f/0x68 [warn_mod]',
  ' ? init_module+0xa/0x1000 [warn_mod]',
  ' ? do_one_initcall+0x74/0x154',
  ' ? do_init_module+0x5b/0x1f5',
  ' ? init_module_from_file+0x85/0x91',
  ' ? __x64_sys_finit_module+0x14f/0x278',
  ' ? do_syscall_64+0x8f/0x1ca',
  ' ? entry_SYSCALL_64_after_hwframe+0x4b/0x53',
  ' </TASK>',
  '---[ end trace 0000000000000000 ]---',
  'warn_mod: continued after WARN',
];

test('7.2 WARN (`WARNING: FILE:LINE at SYMBOL, CPU#N: comm/pid`) is a warning with its file and line', () => {
  const parser = parse(
    WARN_7_2.map((line, index) => `[    1.${String(100000 + index)}] ${line}`),
    ['warn_mod'],
  );
  assert.equal(parser.state.problems.length, 1);
  const [warning] = parser.state.problems;
  assert.equal(warning?.kind, 'warning');
  assert.equal(warning?.title, 'WARNING: lib/refcount.c:28 at refcount_warn_saturate+0x4a/0x59, CPU#0: finsmod/21');
  assert.deepEqual(warning?.location, { printedFile: 'lib/refcount.c', line: 28 });
  assert.ok(warning?.modules.includes('warn_mod'));
  assert.equal(warning?.callTrace.length, 8);
  assert.deepEqual(parser.state.modules.get('warn_mod')?.logLines, ['warn_mod: init, about to WARN', 'warn_mod: continued after WARN']);
});

test("7.2 WARN at the module's own line (kernel::warn_on!) carries that file and line", () => {
  const parser = parse(
    [
      '------------[ cut here ]------------',
      'WARNING: warnon_mod.rs:17 at init_module+0x2a/0x1000 [warnon_mod], CPU#0: finsmod/21',
      'Modules linked in: warnon_mod(O+)',
      '---[ end trace 0000000000000000 ]---',
    ],
    ['warnon_mod'],
  );
  assert.deepEqual(
    parser.state.problems.map((problem) => [problem.kind, problem.location]),
    [['warning', { printedFile: 'warnon_mod.rs', line: 17 }]],
  );
});

test('7.2 WARN without a file (`WARNING: at SYMBOL, CPU#N: …`) is still a warning, with no location', () => {
  const parser = parse(['WARNING: at refcount_warn_saturate+0x4a/0x59, CPU#0: finsmod/21'], []);
  assert.deepEqual(
    parser.state.problems.map((problem) => [problem.kind, problem.location]),
    [['warning', undefined]],
  );
});

test('lines that merely start with WARNING: are not kernel WARNs', () => {
  const parser = parse(['WARNING: Module.symvers is missing.', 'WARNING: modpost: missing MODULE_LICENSE() in x.o'], []);
  assert.deepEqual(parser.state.problems, []);
});
