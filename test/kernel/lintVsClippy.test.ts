// `rfl lint` over a built test kernel's rust/ (6.12, 7.2, 6.1) against a real `make CLIPPY=1` build of
// that tree's rust/ with the clippy it was built with (issue 11, item 4): for the rules that mirror a
// clippy lint, the same findings at the same file and line, none missing and none extra.
//
// The trees as shipped have no such finding (the kernel keeps them clippy-clean), so a comparison of
// them alone could not fail. The copy gets edits both tools must see the same way: the `// SAFETY:`
// tags of two files on `mod` chains (lib.rs -> str.rs, lib.rs -> sync.rs -> sync/arc.rs) turned into
// plain comments, `# Safety` doc headings renamed, and three new public module files declared from
// lib.rs: plain, under `#[allow(clippy::undocumented_unsafe_blocks)]`, and under `#[cfg(test)]`.
//
// 6.1 enables none of the SAFETY lints but `missing_safety_doc` (through `-Dclippy::style`), for
// exported items only (no `check-private-items` then), and denies it: there the probes' finding
// fails the build, as it fails the user's, and the comparison takes clippy's errors.
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

/**
 * An undocumented unsafe block at line 4 and an exported unsafe fn with docs but no `# Safety` at line
 * 8 (exported, so that 6.1's clippy looks at it too).
 */
const PROBE = `// SPDX-License-Identifier: GPL-2.0
#![allow(dead_code)]
fn probe(p: *const u8) -> u8 {
    unsafe { *p }
}

/// Reads a byte.
pub unsafe fn probe_doc(p: *const u8) -> u8 {
    // SAFETY: the caller passes a readable pointer.
    unsafe { *p }
}
`;

const PROBE_NAMES = ['rfl_probe_plain', 'rfl_probe_allowed', 'rfl_probe_cfg_test'] as const;

const DECLARATIONS = `
/// A probe of rfl lint against clippy.
pub mod rfl_probe_plain;
/// A probe of rfl lint against clippy.
#[allow(clippy::undocumented_unsafe_blocks)]
pub mod rfl_probe_allowed;
/// A probe of rfl lint against clippy.
#[cfg(test)]
pub mod rfl_probe_cfg_test;
`;

/** What clippy must report in each probe, by whether the kernel enables `undocumented_unsafe_blocks`. */
function probeExpectations(undocumented: boolean): Record<(typeof PROBE_NAMES)[number], string[]> {
  return {
    rfl_probe_plain: [...(undocumented ? ['4:undocumented_unsafe_blocks'] : []), '8:missing_safety_doc'],
    rfl_probe_allowed: ['8:missing_safety_doc'],
    rfl_probe_cfg_test: [],
  };
}

interface KernelCase {
  label: '6.12' | '7.2' | '6.1';
  /** Whether its Makefile enables `undocumented_unsafe_blocks` (6.13+, and Debian's 6.12.y). */
  undocumented: boolean;
  /** Files on `mod` chains whose `// SAFETY:` tags become plain comments (where the lint is on). */
  untagged: string[];
  /**
   * Files whose `/// # Safety` headings become `/// # Notes`, for `missing_safety_doc`. On 6.1 only
   * exported items count: lib.rs's `ThisModule::from_ptr` is one, str.rs's `pub(crate)` fn, the
   * private module allocator.rs and the `#[doc(hidden)]` fn of print.rs are not.
   */
  undocumentedFns: string[];
}

const KERNELS: KernelCase[] = [
  {
    label: '6.12',
    undocumented: true,
    untagged: ['rust/kernel/str.rs', 'rust/kernel/sync/arc.rs'],
    undocumentedFns: ['rust/kernel/str.rs'],
  },
  {
    label: '7.2',
    undocumented: true,
    untagged: ['rust/kernel/str.rs', 'rust/kernel/sync/arc.rs'],
    undocumentedFns: ['rust/kernel/str.rs'],
  },
  {
    label: '6.1',
    undocumented: false,
    untagged: [],
    undocumentedFns: ['rust/kernel/lib.rs', 'rust/kernel/str.rs', 'rust/kernel/print.rs', 'rust/kernel/allocator.rs'],
  },
];

/** Writes the edited files, made from `kdir`'s, into `target` (a copy of the tree, or an overlay's upper layer). */
function applyEdits(kernel: KernelCase, kdir: string, target: string): void {
  const edited = new Map<string, string>();
  const edit = (file: string, change: (text: string) => string) =>
    edited.set(file, change(edited.get(file) ?? readFileSync(path.join(kdir, file), 'utf8')));
  for (const file of kernel.untagged) edit(file, (text) => text.replace(/\/\/ SAFETY:/g, '// NOTE:'));
  for (const file of kernel.undocumentedFns) edit(file, (text) => text.replace(/^(\s*\/\/\/\s*)# Safety\s*$/gm, '$1# Notes'));
  for (const name of PROBE_NAMES) edited.set(`rust/kernel/${name}.rs`, PROBE);
  edit('rust/kernel/lib.rs', (text) => text + DECLARATIONS);
  for (const [file, text] of edited) {
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    writeFileSync(path.join(target, file), text);
  }
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

/**
 * Whether the build ran through: exit 0, or (6.1, which denies its clippy lints) a failure whose
 * every error is a clippy lint or rustc's "aborting due to" summary of them.
 */
function builtThrough(exitCode: number | null, diagnostics: RustcDiagnostic[]): boolean {
  if (exitCode === 0) return true;
  const errors = diagnostics.filter((diagnostic) => diagnostic.level === 'error');
  const lintErrors = errors.filter((diagnostic) => diagnostic.code?.code.startsWith('clippy::'));
  return (
    lintErrors.length > 0 &&
    errors.every((diagnostic) => lintErrors.includes(diagnostic) || diagnostic.message.startsWith('aborting due to'))
  );
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
  return { diagnostics, ok: builtThrough(run.exitCode, diagnostics), tail: run.tail, ms: run.durationMs };
}

for (const kernelCase of KERNELS) {
  const lookup = testKernel(kernelCase.label);
  if ('missing' in lookup) {
    if (mustRun()) test(`Linux ${kernelCase.label} test kernel is available (rfl lint against clippy)`, () => assert.fail(lookup.missing));
    else test(`rfl lint against make CLIPPY=1 on Linux ${kernelCase.label}`, { skip: lookup.missing }, () => undefined);
  } else {
    compareWithClippy(kernelCase, lookup.kernel);
  }
}

function compareWithClippy(kernelCase: KernelCase, kernel: TestKernel): void {
  describe(`rfl lint against make CLIPPY=1 on Linux ${kernel.label}`, () => {
    let work: string | undefined;
    after(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    test('rfl lint reports what clippy reports, at the same files and lines', { timeout: 25 * 60_000 }, async () => {
      work = mkdtempSync(path.join(os.tmpdir(), 'rfl-lint-clippy-'));
      const viewStarted = Date.now();
      const view = await kernelTreeView(kernel.kdir, work);
      applyEdits(kernelCase, kernel.kdir, view.writable);
      const viewMs = Date.now() - viewStarted;
      // rfl lint reads only the sources: it runs on a small copy with the same edits, outside the view's namespace.
      const lintTree = path.join(work, 'lint');
      lintCopy(kernel.kdir, lintTree);
      applyEdits(kernelCase, kernel.kdir, lintTree);

      const lintStarted = Date.now();
      const lint = runRfl(['lint', '--format', 'json', path.join(lintTree, 'rust')], { timeoutMs: LINT_TIMEOUT_MS });
      const lintMs = Date.now() - lintStarted;
      assert.equal(lint.status, 1, `rfl lint should find the edits: exit ${lint.status}\n${lint.stderr}`);
      const findings = JSON.parse(lint.stdout) as JsonFinding[];
      const ours = ourKeys(findings, lintTree);

      const build = await makeClippy(kernel, view);
      const clippy = clippyKeys(build.diagnostics, view.root);
      const mirrored = new Set([...clippy].filter((key) => CLIPPY_RULES.has(key.split(':')[2]!)));
      console.log(
        `Linux ${kernel.label}: ${view.kind} view ${(viewMs / 1000).toFixed(1)} s; rfl lint ${(lintMs / 1000).toFixed(1)} s: ` +
          `${findings.length} findings, ${ours.size} for clippy's lints; make CLIPPY=1 rust/ ${Math.round(build.ms / 1000)} s: ` +
          `${clippy.size} clippy findings, ${mirrored.size} for the lints we mirror`,
      );
      // clippy-driver 1.63 (6.1) on the wrong sysroot: a wrapper written before provisionToolchain set SYSROOT.
      const staleWrapper = build.diagnostics.some((diagnostic) => diagnostic.code?.code === 'E0786')
        ? `${kernel.toolchain.clippyDriver} reads another toolchain's std (E0786): rerun .ci/test-kernels.sh, which rewrites its wrapper\n`
        : '';
      assert.ok(build.ok, `${staleWrapper}make CLIPPY=1 rust/ failed:\n${build.tail}`);

      // clippy ran on the edited files: without this the comparison could pass by clippy not running.
      for (const [name, expected] of Object.entries(probeExpectations(kernelCase.undocumented))) {
        const file = `rust/kernel/${name}.rs`;
        assert.deepEqual(inFile(clippy, file), [...expected].sort(), `clippy in ${file}`);
        assert.deepEqual(inFile(ours, file), [...expected].sort(), `rfl lint in ${file}`);
      }
      for (const file of kernelCase.untagged) {
        console.log(`${file}: clippy ${inFile(clippy, file).length}, rfl lint ${inFile(ours, file).length}`);
        assert.ok(inFile(clippy, file).length > 0, `clippy reports nothing in ${file}`);
      }
      const undocumentedFns = kernelCase.undocumentedFns.flatMap((file) =>
        inFile(clippy, file)
          .filter((key) => key.endsWith(':missing_safety_doc'))
          .map((key) => `${file}:${key}`),
      );
      console.log(`missing_safety_doc from removed \`# Safety\` headings: ${undocumentedFns.join(', ')}`);
      assert.ok(undocumentedFns.length > 0, `clippy reports no missing_safety_doc in ${kernelCase.undocumentedFns.join(', ')}`);

      const extra = [...ours].filter((key) => !clippy.has(key));
      const missed = [...mirrored].filter((key) => !ours.has(key));
      assert.deepEqual({ extra: extra.sort(), missed: missed.sort() }, { extra: [], missed: [] }, 'rfl lint and make CLIPPY=1 differ');
    });
  });
}
