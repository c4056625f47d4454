// gcc's and clang's messages for C modules land on the real file like rustc's, and the `rfl-cc`
// problem matcher in package.json is the very pattern the core parses with.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CC_DIAGNOSTIC_REGEX, CC_PROBLEM_MATCHER_PATTERN, DiagnosticCollector, parseKbuildOutput } from '../../src/core/kbuild/diagnostics';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function trees() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rfl-ccdiag-'));
  roots.push(root);
  const kdir = path.join(root, 'linux');
  const moduleDir = path.join(root, 'c_misc');
  mkdirSync(path.join(kdir, 'include', 'linux'), { recursive: true });
  mkdirSync(moduleDir);
  writeFileSync(path.join(kdir, 'include', 'linux', 'fs.h'), '');
  writeFileSync(path.join(moduleDir, 'c_misc.c'), '');
  return { kdir, moduleDir };
}

test('gcc (absolute path) and clang (module-relative) lines become diagnostics on the real file', () => {
  const { kdir, moduleDir } = trees();
  const output = [
    `${moduleDir}/c_misc.c: In function 'c_misc_read':`,
    `${moduleDir}/c_misc.c:51:17: error: 'countx' undeclared (first use in this function); did you mean 'count'?`,
    `   51 |         count = countx;`,
    `${moduleDir}/c_misc.c:51:17: note: each undeclared identifier is reported only once for each function it appears in`,
    `c_misc.c:60:9: warning: unused variable 'unused' [-Wunused-variable]`,
    `include/linux/fs.h:3:1: fatal error: linux/nope.h: No such file or directory`,
    `make[2]: *** [scripts/Makefile.build:229: ${moduleDir}/c_misc.o] Error 1`,
    'scripts/Makefile.build:229: recipe for target failed',
  ].join('\n');
  const diagnostics = parseKbuildOutput(output, { kdir, moduleDir });
  assert.deepEqual(
    diagnostics.map((d) => [d.severity, d.code, d.file, d.line, d.column, d.message]),
    [
      [
        'error',
        undefined,
        path.join(moduleDir, 'c_misc.c'),
        51,
        17,
        "'countx' undeclared (first use in this function); did you mean 'count'?",
      ],
      ['warning', '-Wunused-variable', path.join(moduleDir, 'c_misc.c'), 60, 9, "unused variable 'unused'"],
      ['error', undefined, path.join(kdir, 'include', 'linux', 'fs.h'), 3, 1, 'linux/nope.h: No such file or directory'],
    ],
  );
});

test('a relative C location is rewritten to the absolute file for the problem matcher', () => {
  const { kdir, moduleDir } = trees();
  const collector = new DiagnosticCollector({ kdir, moduleDir });
  assert.equal(
    collector.rewriteLocation("c_misc.c:60:9: warning: unused variable 'x' [-Wunused-variable]"),
    `${moduleDir}/c_misc.c:60:9: warning: unused variable 'x' [-Wunused-variable]`,
  );
  assert.equal(collector.rewriteLocation('nowhere.c:1:1: error: x'), 'nowhere.c:1:1: error: x');
});

test('package.json declares the rfl-cc matcher with the core pattern', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    contributes: { problemMatchers: { name: string; pattern: unknown }[] };
  };
  const matcher = manifest.contributes.problemMatchers.find((candidate) => candidate.name === 'rfl-cc');
  assert.deepEqual(matcher?.pattern, { ...CC_PROBLEM_MATCHER_PATTERN });
  assert.equal(CC_DIAGNOSTIC_REGEX.test('rfl: build ok in 1.0 s'), false);
});
