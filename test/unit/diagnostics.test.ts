// rustc diagnostics in kbuild output resolve to the real file however kbuild printed the path:
// absolute (6.12 and older), relative to the module folder (6.13+), relative to the kernel tree,
// or through the space-free link used for awkward module folder names.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { PROBLEM_MATCHER_PATTERNS, parseKbuildOutput, RUSTC_HEADER_REGEX } from '../../src/core/kbuild/diagnostics';
import { kbuildMakeArgs } from '../../src/core/kbuild/makeArgs';
import { isPlainPath } from '../../src/core/kbuild/moduleLink';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function fakeTrees() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rfl-diag-'));
  roots.push(root);
  const kdir = path.join(root, 'linux');
  const moduleDir = path.join(root, 'my module');
  mkdirSync(path.join(kdir, 'rust', 'kernel'), { recursive: true });
  mkdirSync(moduleDir, { recursive: true });
  writeFileSync(path.join(kdir, 'rust', 'kernel', 'lib.rs'), '');
  writeFileSync(path.join(moduleDir, 'hello.rs'), '');
  return { kdir, moduleDir };
}

test('absolute, module-relative, tree-relative and linked paths all resolve', () => {
  const { kdir, moduleDir } = fakeTrees();
  const link = '/cache/module-links/my_module-0123';
  const output = [
    'error[E0308]: mismatched types',
    `  --> ${path.join(moduleDir, 'hello.rs')}:3:5`,
    '',
    'warning: unused variable: `x`',
    ' --> hello.rs:7:9',
    '',
    'error: cannot find macro `pr_info` in this scope',
    '  --> rust/kernel/lib.rs:10:1',
    '',
    'error[E0425]: cannot find value `y`',
    `  --> ${link}/hello.rs:12:2`,
    'error: aborting due to 3 previous errors',
  ].join('\n');
  const diagnostics = parseKbuildOutput(output, { kdir, moduleDir, moduleAliases: [link] });
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.code, d.file, d.line, d.column]),
    [
      ['error', 'E0308', path.join(moduleDir, 'hello.rs'), 3, 5],
      ['warning', undefined, path.join(moduleDir, 'hello.rs'), 7, 9],
      ['error', undefined, path.join(kdir, 'rust', 'kernel', 'lib.rs'), 10, 1],
      ['error', 'E0425', path.join(moduleDir, 'hello.rs'), 12, 2],
    ],
  );
});

test('summary lines are not diagnostics, and the matcher patterns are valid regexes', () => {
  assert.equal(RUSTC_HEADER_REGEX.test('error: aborting due to 1 previous error'), false);
  assert.equal(RUSTC_HEADER_REGEX.test('warning: 2 warnings emitted'), false);
  for (const pattern of PROBLEM_MATCHER_PATTERNS) assert.doesNotThrow(() => new RegExp(pattern.regexp));
});

test('make arguments are one argv word each, metacharacters included', () => {
  const args = kbuildMakeArgs({
    kdir: '/k',
    moduleDir: '/m',
    toolchain: { llvm: true, rustc: '/opt/rust $(x)/rustc', makeArgs: ['KCFLAGS=-g -O1'] },
    clippy: true,
    jobs: 2,
  });
  assert.deepEqual(args, [
    '-C',
    '/k',
    'M=/m',
    '-j2',
    'LLVM=1',
    'RUSTC=/opt/rust $(x)/rustc',
    'HOSTRUSTC=/opt/rust $(x)/rustc',
    'KCFLAGS=-g -O1',
    'CLIPPY=1',
  ]);
  assert.equal(isPlainPath('/tmp/a b'), false);
  assert.equal(isPlainPath("/tmp/a'b"), false);
  assert.equal(isPlainPath('/tmp/a_b-1.2'), true);
});
