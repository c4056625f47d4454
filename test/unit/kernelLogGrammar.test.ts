// The kernel-log TextMate grammar (syntaxes/kernel-log.tmLanguage.json), tokenized the way VS Code
// does it (vscode-textmate on vscode-oniguruma), on real QEMU serial consoles of the 6.1 and 6.12
// test kernels: the fixtures in test/fixtures/console and lines copied from the project's own runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from 'vscode-textmate';

const ROOT = path.join(__dirname, '..', '..');
const GRAMMAR_FILE = path.join(ROOT, 'syntaxes', 'kernel-log.tmLanguage.json');
const SCOPE = 'text.log.kernel';
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'console');

interface Token {
  text: string;
  scopes: string[];
}

let grammar: IGrammar;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === SCOPE ? parseRawGrammar(readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null,
  });
  const loaded = await registry.loadGrammar(SCOPE);
  assert.ok(loaded, 'the grammar loads');
  grammar = loaded;
});

/** Tokenizes lines in sequence, as an editor does, carrying the rule stack from line to line. */
function tokenizeLines(lines: readonly string[]): Token[][] {
  let state: StateStack = INITIAL;
  return lines.map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
  });
}

function tokenize(line: string): Token[] {
  return tokenizeLines([line])[0] ?? [];
}

/** The scopes of every token that overlaps `fragment` in `line` (its first, or last, occurrence). */
function scopesOver(line: string, fragment: string, last = false): string[][] {
  const start = last ? line.lastIndexOf(fragment) : line.indexOf(fragment);
  assert.ok(start >= 0, `"${fragment}" is in "${line}"`);
  const end = start + fragment.length;
  const result: string[][] = [];
  let offset = 0;
  for (const token of tokenize(line)) {
    const tokenEnd = offset + token.text.length;
    if (tokenEnd > start && offset < end) result.push(token.scopes);
    offset = tokenEnd;
  }
  return result;
}

/** Asserts that all of `fragment` carries `scope` (a full scope name or its leading part). */
function assertScope(line: string, fragment: string, scope: string, last = false): void {
  const over = scopesOver(line, fragment, last);
  for (const scopes of over) {
    assert.ok(
      scopes.some((name) => name === scope || name.startsWith(`${scope}.`)),
      `"${fragment}" in "${line}" should be ${scope}; got ${JSON.stringify(over)}`,
    );
  }
}

function assertNoScope(line: string, scopePart: string): void {
  for (const token of tokenize(line)) {
    assert.ok(
      !token.scopes.some((name) => name.includes(scopePart)),
      `"${token.text}" in "${line}" should not be ${scopePart}: ${token.scopes.join(' ')}`,
    );
  }
}

const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8').split('\n');

describe('kernel-log grammar', () => {
  it('is the grammar package.json contributes for the kernel-log language', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: {
        grammars: { language: string; scopeName: string; path: string }[];
        languages: { id: string; extensions?: string[] }[];
      };
    };
    const contributed = manifest.contributes.grammars.find((entry) => entry.language === 'kernel-log');
    assert.ok(contributed);
    assert.equal(contributed.scopeName, SCOPE);
    assert.equal(path.resolve(ROOT, contributed.path), GRAMMAR_FILE);
    const language = manifest.contributes.languages.find((entry) => entry.id === 'kernel-log');
    assert.ok(language?.extensions?.includes('.dmesg') && language.extensions.includes('.kmsg'));
  });

  it('colours a 6.12 Rust panic: the panic line, the oops header, the BUG line, the call trace', () => {
    // From a real run of the panic test module on the 6.12 test kernel (TCG).
    const panic = 'rust_kernel: panicked at /work/kernels-proto/cases/panic/panic_mod.rs:19:19:';
    assertScope(panic, 'rust_kernel', 'entity.name.namespace.prefix.kernel-log');
    assertScope(panic, 'panicked at ', 'invalid.illegal.rust-panic.kernel-log');
    assertScope(panic, '/work/kernels-proto/cases/panic/panic_mod.rs:19:19', 'markup.underline.location.kernel-log');
    assertScope('Oops: invalid opcode: 0000 [#1]', 'Oops: invalid opcode: 0000 [#1]', 'invalid.illegal.oops.kernel-log');
    assertScope('kernel BUG at rust/helpers/bug.c:7!', 'kernel BUG at rust/helpers/bug.c:7!', 'invalid.illegal.bug.kernel-log');
    assertScope('------------[ cut here ]------------', '[ cut here ]', 'punctuation.separator.cut-here.kernel-log');
    assertScope('---[ end trace 0000000000000000 ]---', 'end trace', 'punctuation.separator.end-trace.kernel-log');
  });

  it('colours the 6.1 console of the panic fixture (the older oops and panic formats)', () => {
    const lines = fixture('console-6.1-panic.log');
    const tokens = tokenizeLines(lines);
    const find = (prefix: string) => {
      const index = lines.findIndex((line) => line.startsWith(prefix));
      assert.ok(index >= 0, `the fixture has a line starting "${prefix}"`);
      return { line: lines[index] ?? '', tokens: tokens[index] ?? [] };
    };
    const has = (entry: { tokens: Token[] }, text: string, scope: string) =>
      assert.ok(
        entry.tokens.some((token) => token.text.includes(text) && token.scopes.some((name) => name.startsWith(scope))),
        `"${text}" should be ${scope}: ${JSON.stringify(entry.tokens)}`,
      );
    has(
      find("rust_kernel: panicked at 'panic_mod"),
      "panicked at 'panic_mod: deliberate panic in init'",
      'invalid.illegal.rust-panic.kernel-log',
    );
    has(find("rust_kernel: panicked at 'panic_mod"), 'panic_mod.rs:19:19', 'markup.underline.location.kernel-log');
    has(find('invalid opcode: 0000 [#1]'), 'invalid opcode', 'invalid.illegal.oops.kernel-log');
    has(find('kernel BUG at rust/helpers.c:26!'), 'kernel BUG', 'invalid.illegal.bug.kernel-log');
    has(find('Call Trace:'), 'Call Trace', 'keyword.other.call-trace.kernel-log');
    has(find(' <TASK>'), 'TASK', 'entity.name.tag.stack-section.kernel-log');
    has(find(' </TASK>'), '/', 'punctuation.definition.tag.closing.kernel-log');
    has(find('Modules linked in:'), 'Modules linked in', 'keyword.other.modules-linked-in.kernel-log');
    has(find('Modules linked in:'), 'panic_mod', 'entity.name.namespace.module.kernel-log');
    has(find('Modules linked in:'), 'O+', 'constant.character.taint.kernel-log');
    has(find('INIT: insmod panic_mod rc=139'), 'rc=139', 'invalid.illegal.rc.failed.kernel-log');
    has(find('panic_mod: panic_mod: init, about to panic'), 'panic_mod', 'entity.name.namespace.prefix.kernel-log');
  });

  it('colours call-trace frames: unreliable marker, function, offset, module', () => {
    const frame = ' ? _RNvXCscCvEvF8Osxu_9panic_modNtB2_8PanicModNtCsikukNlOigsz_6kernel6Module4init+0x5a/0x5c [panic_mod]';
    assertScope(frame, '?', 'keyword.operator.unreliable.kernel-log');
    assertScope(frame, '_RNvXCscCvEvF8Osxu_9panic_modNtB2_8PanicModNtCsikukNlOigsz_6kernel6Module4init', 'entity.name.function.kernel-log');
    assertScope(frame, '+0x5a/0x5c', 'constant.numeric.offset.kernel-log');
    assertScope(frame, 'panic_mod]', 'meta.frame.kernel-log');
    assertScope(frame, 'panic_mod', 'entity.name.namespace.module.kernel-log', true);
    const reliable = ' do_one_initcall+0xee/0x2c0';
    assertScope(reliable, 'do_one_initcall', 'entity.name.function.kernel-log');
    assertNoScope(reliable, 'unreliable');
    assertScope(' ? 0xffffffffa0005000', '0xffffffffa0005000', 'entity.name.function.kernel-log');
    // Indented boot lines are not frames.
    assertNoScope('  node   0: [mem 0x0000000000001000-0x000000000009efff]', 'meta.frame');
    assertNoScope('  DMA32    [mem 0x0000000000001000-0x000000000ffdffff]', 'meta.frame');
  });

  it('colours the 6.12 WARN fixture: WARNING header, RIP, registers, Code bytes, CPU line', () => {
    const lines = fixture('console-6.12-warn-own-line.log');
    const warning = lines.find((line) => line.startsWith('WARNING: CPU: 0 PID: 22 at')) ?? '';
    assertScope(warning, warning, 'markup.deleted.warning.kernel-log');
    const rip = lines.find((line) => line.startsWith('RIP: 0010:')) ?? '';
    assertScope(rip, 'RIP', 'variable.language.register.kernel-log');
    assertScope(
      rip,
      '_RNvXCshbmCRKiAgdL_11warnasm_modNtB2_10WarnAsmModNtCsl7L7n58I0Vr_6kernel6Module4init',
      'entity.name.function.kernel-log',
    );
    const rax = lines.find((line) => line.startsWith('RAX: ')) ?? '';
    assertScope(rax, 'RAX', 'variable.language.register.kernel-log');
    assertScope(rax, 'RBX', 'variable.language.register.kernel-log');
    const code = lines.find((line) => line.startsWith('Code: ')) ?? '';
    const faulting = /<[0-9a-f]{2}>/.exec(code)?.[0] ?? '<missing>';
    assertScope(code, faulting, 'invalid.illegal.faulting-byte.kernel-log');
    const cpu = 'CPU: 0 UID: 0 PID: 22 Comm: insmod Tainted: G           O       6.12.117 #1 ';
    assertScope(cpu, 'insmod', 'entity.name.process.kernel-log');
    assertScope('warnasm_mod: warnasm_mod: continued after WARN', 'warnasm_mod', 'entity.name.namespace.prefix.kernel-log');
    assertScope('INIT: rmmod warnasm_mod rc=0', 'rc=0', 'markup.inserted.rc.ok.kernel-log');
  });

  it("colours the markers rfl's guest /init prints, with the step, the module and its result", () => {
    // From a real `load` run of examples/rust_hello on the 6.12 test kernel.
    const insmod = '@@rfl:insmod name=rust_hello rc=0';
    assertScope(insmod, '@@rfl', 'keyword.other.init.kernel-log');
    assertScope(insmod, 'insmod', 'entity.name.tag.init-step.kernel-log');
    assertScope(insmod, 'rust_hello', 'entity.name.namespace.module.kernel-log');
    assertScope(insmod, 'rc=0', 'markup.inserted.rc.ok.kernel-log');
    assertScope('@@rfl:insmod name=einval_mod rc=22', 'rc=22', 'invalid.illegal.rc.failed.kernel-log');
    assertScope('@@rfl:guest rc=1', 'rc=1', 'invalid.illegal.rc.failed.kernel-log');
    assertScope('@@rfl:done', 'done', 'entity.name.tag.init-step.kernel-log');
    assertScope('rust_hello: Hello from Rust (init)', 'rust_hello', 'entity.name.namespace.prefix.kernel-log');
    assertNoScope('rust_hello: Hello from Rust (init)', 'invalid');
  });

  it('colours panics, KASAN reports and BUG: lines', () => {
    const panic = 'Kernel panic - not syncing: Fatal exception';
    assertScope(panic, panic, 'invalid.illegal.panic.kernel-log');
    assertScope('---[ end Kernel panic - not syncing: Fatal exception ]---', 'Kernel panic', 'invalid.illegal.panic.kernel-log');
    const kasan = 'BUG: KASAN: slab-out-of-bounds in kasan_mod_init+0x4c/0x80 [kasan_mod]';
    assertScope(kasan, kasan, 'invalid.illegal.kasan.kernel-log');
    const nullDeref = 'BUG: kernel NULL pointer dereference, address: 0000000000000000';
    assertScope(nullDeref, nullDeref, 'invalid.illegal.bug.kernel-log');
    const sleeping = 'BUG: sleeping function called from invalid context at mm/slab.h:742';
    assertScope(sleeping, sleeping, 'invalid.illegal.bug.kernel-log');
    assertScope(
      'general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP NOPTI',
      'general protection fault',
      'invalid.illegal.oops.kernel-log',
    );
  });

  it('colours prefixes: syslog levels, timestamps, /dev/kmsg records, dmesg -x', () => {
    // `dmesg -r` / console_msg_format=syslog: <level>[seconds] message.
    const error = '<3>[   12.345678] rust_hello: something failed';
    assertScope(error, '<3>', 'invalid.illegal.level.error.kernel-log');
    assertScope(error, '[   12.345678]', 'comment.timestamp.kernel-log');
    assertScope(error, 'rust_hello', 'entity.name.namespace.prefix.kernel-log');
    assertScope('<4>[    1.000000] WARNING: CPU: 0 PID: 1 at foo.c:1 bar+0x1/0x2', '<4>', 'markup.deleted.level.warning.kernel-log');
    assertScope('<4>[    1.000000] WARNING: CPU: 0 PID: 1 at foo.c:1 bar+0x1/0x2', 'WARNING: CPU', 'markup.deleted.warning.kernel-log');
    assertScope('<6>[    0.000000] Linux version 6.12.117', '<6>', 'markup.inserted.level.info.kernel-log');
    assertScope('<7>[    0.000000] debug text', '<7>', 'comment.level.debug.kernel-log');
    // A timestamp with a caller id (CONFIG_PRINTK_CALLER), then an oops header after it.
    const withCaller = '[    3.141592][   T22] Oops: invalid opcode: 0000 [#1]';
    assertScope(withCaller, '[   T22]', 'comment.caller.kernel-log');
    assertScope(withCaller, 'Oops: invalid opcode', 'invalid.illegal.oops.kernel-log');
    assertScope('[    3.200000]  ? do_one_initcall+0xee/0x2c0', 'do_one_initcall', 'entity.name.function.kernel-log');
    assertScope('[    3.200000] Call Trace:', 'Call Trace', 'keyword.other.call-trace.kernel-log');
    assertScope('[    3.200000]  </TASK>', 'TASK', 'entity.name.tag.stack-section.kernel-log');
    // /dev/kmsg records: priority,sequence,microseconds,flags;message.
    const kmsg = '3,412,5140900,-;hello_mod: init failed';
    assertScope(kmsg, '3', 'invalid.illegal.level.error.kernel-log');
    assertScope(kmsg, ',412,5140900,-;', 'comment.kmsg-header.kernel-log');
    assertScope(kmsg, 'hello_mod', 'entity.name.namespace.prefix.kernel-log');
    // dmesg -x: facility:level.
    const decoded = 'kern  :err   : [    5.000000] BUG: unable to handle page fault for address: ffffffffc0000000';
    assertScope(decoded, 'err', 'invalid.illegal.level.error.kernel-log');
    assertScope(decoded, 'BUG: unable to handle page fault', 'invalid.illegal.oops.kernel-log');
  });

  it('leaves an ordinary boot clean: no problem scopes before /init runs', () => {
    const lines = fixture('console-6.12-warn-own-line.log');
    const boot = lines.slice(
      0,
      lines.findIndex((line) => line.startsWith('Run /init')),
    );
    assert.ok(boot.length > 50);
    const tokens = tokenizeLines(boot);
    for (const [index, lineTokens] of tokens.entries()) {
      for (const token of lineTokens) {
        assert.ok(
          !token.scopes.some((scope) => scope.startsWith('invalid.') || scope.startsWith('meta.frame')),
          `boot line ${index + 1} "${boot[index]}": "${token.text}" is ${token.scopes.join(' ')}`,
        );
      }
    }
  });

  it('tokenizes every fixture line, and a pathological one, quickly and without losing text', () => {
    const lines = [
      ...fixture('console-6.1-panic.log'),
      ...fixture('console-6.12-warn-own-line.log'),
      '',
      ' ',
      `${' ?'.repeat(2000)}x`,
      'a:'.repeat(5000),
    ];
    const started = performance.now();
    const tokens = tokenizeLines(lines);
    assert.ok(performance.now() - started < 5000);
    for (const [index, lineTokens] of tokens.entries()) assert.equal(lineTokens.map((token) => token.text).join(''), lines[index]);
  });
});
