// `rfl lint` over the built 6.12 test kernel's rust/ against a real `make CLIPPY=1` build of that
// tree's rust/ with the clippy it was built with (issue 11, item 4): every finding of ours for a
// rule that mirrors a clippy lint must be one clippy reports too, at the same file and line.
//
// The tree as shipped has no such finding (the kernel keeps it clippy-clean), so a comparison of it
// alone could not fail. The copy gets edits both tools must see the same way: the `// SAFETY:` tags
// of two files on `mod` chains (lib.rs -> str.rs, lib.rs -> sync.rs -> sync/arc.rs) turned into
// plain comments, and three new module files declared from lib.rs: plain, under
// `#[allow(clippy::undocumented_unsafe_blocks)]`, and under `#[cfg(test)]`.
//
// The cached tree is never written: the build runs on an overlay of it (or a copy) in a temporary
// folder, removed after (treeView.ts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseDiagnosticLine, type RustcDiagnostic } from '../../src/core/check/rustcDiagnostic';
import { RULE_NAMES, RULES } from '../../src/core/safety/rules';
import { toolchainMakeVars } from '../../src/core/toolchain/toolchain';
import { runRfl, type JsonFinding } from '../support/cli';
import { mustRun, testKernel, type TestKernel } from './support';
import { kernelTreeView, lintCopy, type TreeView } from './treeView';

const MAKE_TIMEOUT_MS = 15 * 60_000;
const LINT_TIMEOUT_MS = 3 * 60_000;

const CLIPPY_RULES: ReadonlySet<string> = new Set(RULE_NAMES.filter((rule) => RULES[rule].clippy));

/** An undocumented unsafe block at line 4 and an unsafe fn with docs but no `# Safety` at line 8. */
const PROBE = `// SPDX-License-Identifier: GPL-2.0
#![allow(dead_code)]
fn probe(p: *const u8) -> u8 {
    unsafe { *p }
}

/// Reads a byte.
unsafe fn probe_doc(p: *const u8) -> u8 {
    // SAFETY: the caller passes a readable pointer.
    unsafe { *p }
}
`;

const PROBES = {
  rfl_probe_plain: ['4:undocumented_unsafe_blocks', '8:missing_safety_doc'],
  rfl_probe_allowed: ['8:missing_safety_doc'],
  rfl_probe_cfg_test: [],
} as const;

const DECLARATIONS = `
mod rfl_probe_plain;
#[allow(clippy::undocumented_unsafe_blocks)]
mod rfl_probe_allowed;
#[cfg(test)]
mod rfl_probe_cfg_test;
`;

const UNTAGGED = ['rust/kernel/str.rs', 'rust/kernel/sync/arc.rs'];

/** Writes the edited files, made from `kdir`'s, into `target` (a copy of the tree, or an overlay's upper layer). */
function applyEdits(kdir: string, target: string): void {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    writeFileSync(path.join(target, file), text);
  };
  for (const file of UNTAGGED) write(file, readFileSync(path.join(kdir, file), 'utf8').replace(/\/\/ SAFETY:/g, '// NOTE:'));
  for (const name of Object.keys(PROBES)) write(`rust/kernel/${name}.rs`, PROBE);
  write('rust/kernel/lib.rs', readFileSync(path.join(kdir, 'rust/kernel/lib.rs'), 'utf8') + DECLARATIONS);
}

/** `file:line:rule` keys, files relative to the tree. */
type Keys = Set<string>;

function clippyKeys(diagnostics: RustcDiagnostic[], tree: string): Keys {
  const keys: Keys = new Set();
  for (const diagnostic of diagnostics) {
    const code = diagnostic.code?.code;
    if (!code?.startsWith('clippy::')) continue;
    const span = diagnostic.spans.find((candidate) => candidate.is_primary) ?? diagnostic.spans[0];
    if (!span) continue;
    keys.add(`${path.relative(tree, path.resolve(tree, span.file_name))}:${span.line_start}:${code.slice('clippy::'.length)}`);
  }
  return keys;
}

function ourKeys(findings: JsonFinding[], tree: string): Keys {
  return new Set(
    findings.filter((finding) => CLIPPY_RULES.has(finding.rule)).map((f) => `${path.relative(tree, f.file)}:${f.line}:${f.rule}`),
  );
}

function inFile(keys: Keys, file: string): string[] {
  return [...keys]
    .filter((key) => key.startsWith(`${file}:`))
    .map((key) => key.slice(file.length + 1))
    .sort();
}

async function makeClippy(
  kernel: TestKernel,
  view: TreeView,
): Promise<{ diagnostics: RustcDiagnostic[]; ok: boolean; tail: string; ms: number }> {
  const clippy = kernel.toolchain.clippyDriver ?? 'clippy-driver';
  // rustc's JSON diagnostics from clippy-driver only: the kernel's own rustc calls (core) keep their
  // command line, so kbuild does not rebuild them.
  const vars = toolchainMakeVars(kernel.toolchain).filter((word) => !word.startsWith('CLIPPY_DRIVER='));
  const diagnostics: RustcDiagnostic[] = [];
  const onLine = (line: string) => {
    const diagnostic = parseDiagnosticLine(line);
    if (diagnostic) diagnostics.push(diagnostic);
  };
  const jobs = `-j${Math.max(1, os.availableParallelism())}`;
  const args = ['-C', view.root, jobs, ...vars, 'CLIPPY=1', `CLIPPY_DRIVER=${clippy} --error-format=json`, 'rust/'];
  const run = await view.run('make', args, {
    cwd: path.dirname(view.root),
    timeoutMs: MAKE_TIMEOUT_MS,
    onStdoutLine: onLine,
    onStderrLine: onLine,
  });
  return { diagnostics, ok: run.exitCode === 0, tail: run.tail, ms: run.durationMs };
}

const lookup = testKernel('6.12');
if ('missing' in lookup) {
  if (mustRun()) test('Linux 6.12 test kernel is available (rfl lint against clippy)', () => assert.fail(lookup.missing));
  else test('rfl lint against make CLIPPY=1 on Linux 6.12', { skip: lookup.missing }, () => undefined);
} else {
  const kernel = lookup.kernel;
  describe('rfl lint against make CLIPPY=1 on Linux 6.12', () => {
    let work: string | undefined;
    after(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    test('every finding of ours for a clippy lint is one clippy reports at the same file and line', { timeout: 25 * 60_000 }, async () => {
      work = mkdtempSync(path.join(os.tmpdir(), 'rfl-lint-clippy-'));
      const viewStarted = Date.now();
      const view = await kernelTreeView(kernel.kdir, work);
      applyEdits(kernel.kdir, view.writable);
      const viewMs = Date.now() - viewStarted;
      // rfl lint reads only the sources: it runs on a small copy with the same edits, outside the view's namespace.
      const lintTree = path.join(work, 'lint');
      lintCopy(kernel.kdir, lintTree);
      applyEdits(kernel.kdir, lintTree);

      const lintStarted = Date.now();
      const lint = runRfl(['lint', '--format', 'json', path.join(lintTree, 'rust')], { timeoutMs: LINT_TIMEOUT_MS });
      const lintMs = Date.now() - lintStarted;
      assert.equal(lint.status, 1, `rfl lint should find the edits: exit ${lint.status}\n${lint.stderr}`);
      const findings = JSON.parse(lint.stdout) as JsonFinding[];
      const ours = ourKeys(findings, lintTree);

      const build = await makeClippy(kernel, view);
      const clippy = clippyKeys(build.diagnostics, view.root);
      const warnings = build.diagnostics.filter((diagnostic) => diagnostic.level === 'warning').length;
      const mirrored = [...clippy].filter((key) => CLIPPY_RULES.has(key.split(':')[2]!)).length;
      console.log(
        `${view.kind} view ${(viewMs / 1000).toFixed(1)} s; rfl lint ${(lintMs / 1000).toFixed(1)} s: ${findings.length} findings, ` +
          `${ours.size} for clippy's lints; make CLIPPY=1 rust/ ${Math.round(build.ms / 1000)} s: ${warnings} warnings, ` +
          `${mirrored} for the lints we mirror`,
      );
      assert.ok(build.ok, `make CLIPPY=1 rust/ failed:\n${build.tail}`);

      // clippy ran on the edited files: without this the comparison could pass by clippy not running.
      for (const [name, expected] of Object.entries(PROBES)) {
        const file = `rust/kernel/${name}.rs`;
        assert.deepEqual(inFile(clippy, file), [...expected].sort(), `clippy in ${file}`);
        assert.deepEqual(inFile(ours, file), [...expected].sort(), `rfl lint in ${file}`);
      }
      for (const file of UNTAGGED) {
        console.log(`${file}: clippy ${inFile(clippy, file).length}, rfl lint ${inFile(ours, file).length}`);
        assert.ok(inFile(clippy, file).length > 0, `clippy reports nothing in ${file}`);
      }

      const extra = [...ours].filter((key) => !clippy.has(key));
      assert.deepEqual(extra, [], 'rfl lint reports what make CLIPPY=1 does not');
    });
  });
}
