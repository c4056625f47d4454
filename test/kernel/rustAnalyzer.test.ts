// `rfl rust-analyzer` with the real rust-analyzer (Debian unstable's 1.97.1, unpacked privately by
// .ci/rust-analyzer-setup.sh) on the 6.12 and 7.2 test kernels and the example module:
// - its batch `diagnostics` reports no unresolved import or macro in the module, and no error in the
//   kernel's own crates (`kernel`, `macros`, `bindings`, `uapi`, the `scripts/` host crates; on 7.2
//   also pin-init, zerocopy, proc-macro2, quote, syn) but rust-analyzer's own limitations, named one
//   by one in RA_LIMITATIONS (none on 6.12; 33 errors under 9 entries on 7.2): with the kernel's
//   rust-project.json as written it reported 381 (6.12; 116 of them false E0599 "no method" in
//   `kernel`) and 2,187 (7.2) (src/core/rustAnalyzer/sysrootProject.ts says why);
// - in an LSP session, hover and go to definition on `KVec` reach the kernel's source, `module!`
//   expands (the proc-macro server of the rustc that built the kernel's macros), and saving a type
//   error makes rust-analyzer run `rfl check` as its flycheck and publish rustc's E0308, through the
//   project's runnable and through `check.overrideCommand` (as the VS Code client sets it);
// - the module of each template this kernel takes shows nothing unresolved and no error.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Hover, Location, LocationLink, MarkupContent } from 'vscode-languageserver-protocol/node';
import { runRfl } from '../support/cli';
import { RustAnalyzerSession } from './rustAnalyzerSession';
import { mustRun, REPO, removeScratchCopies, scratchCopy, testKernel } from './support';
import { EXPECTED_MODULE_TEMPLATES, moduleNameFor } from './templateCases';

const TIMEOUT_MS = 600_000;

/** $RFL_RUST_ANALYZER, else what .ci/rust-analyzer-setup.sh (cached, idempotent) prints. */
function rustAnalyzer(): string | undefined {
  if (process.env.RFL_RUST_ANALYZER) return process.env.RFL_RUST_ANALYZER;
  try {
    const line = execFileSync(path.join(REPO, '.ci', 'rust-analyzer-setup.sh'), {
      encoding: 'utf8',
      timeout: 300_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /^export RFL_RUST_ANALYZER='([^']+)'$/m.exec(line)?.[1];
  } catch {
    return undefined;
  }
}

interface RaDiagnostic {
  crate: string;
  file: string;
  severity: string;
  code: string;
  message: string;
}

/**
 * rust-analyzer's batch `diagnostics` over the project in `dir`: every diagnostic of the workspace's
 * crates (the module's and the kernel's), and the raw output (its progress names each file it processed).
 */
function batchDiagnostics(ra: string, dir: string): { diagnostics: RaDiagnostic[]; output: string } {
  const run = spawnSync(ra, ['diagnostics', dir], {
    cwd: dir,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${run.stdout}`;
  const diagnostics = [
    ...output.matchAll(/at crate (\S+), file (\S+): (\w+) \w+\("([^"]+)"[^)]*\) from LineCol \{[^}]*\} to LineCol \{[^}]*\}: ([^\n]*)/g),
  ].map(([, crate = '', file = '', severity = '', code = '', message = '']) => ({ crate, file, severity, code, message }));
  return { diagnostics, output };
}

/** An error rust-analyzer reports in the kernel's crates whatever rust-project.json says. */
interface KnownLimitation {
  crate: string;
  /** Relative to the kernel tree. */
  file: string;
  code: string;
  message: RegExp;
  why: string;
}

/**
 * rust-analyzer 1.97.1's own limitations on each test kernel, measured with `rfl rust-analyzer`'s
 * project (the kernel's file as written gave 381 errors on 6.12 and 2,187 on 7.2). The test fails on
 * any other error in the kernel's crates, and on an entry here that no longer shows.
 */
const RA_LIMITATIONS: Readonly<Record<'6.12' | '7.2', readonly KnownLimitation[]>> = {
  '6.12': [],
  '7.2': [
    {
      crate: 'kernel',
      file: 'rust/kernel/print.rs',
      code: 'E0308',
      message: /^expected extern "C" fn rust_fmt_argument\(.*found unsafe extern "C" fn rust_fmt_argument\(/,
      why:
        '1 E0308 at #[export]: its signature check (`if true { bindings::f } else { f }`) meets bindgen\'s `unsafe extern "C" { pub fn f(..); }`, ' +
        'which rust-analyzer types as a safe `extern "C" fn` (a function is unsafe to it only with an `unsafe` keyword of its own: ' +
        'hir-def signatures.rs FnFlags::UNSAFE, hir-ty lower.rs)',
    },
    {
      crate: 'proc_macro2',
      file: 'rust/proc-macro2/fallback.rs',
      code: 'E0277',
      message: /^the trait bound `f(32|64): Display` is not satisfied/,
      why:
        "2 E0277 (and the 6 E0599 below): rust-analyzer takes one sysroot per project, and its core carries the kernel's " +
        '`--cfg no_fp_fmt_parse` (no float formatting), which the host std that proc_macro2 is built against lacks',
    },
    {
      crate: 'proc_macro2',
      file: 'rust/proc-macro2/fallback.rs',
      code: 'E0599',
      message: /^no method `(to_string` on type `f(32|64)|(contains|push_str)` on type `String)`/,
      why: "6 E0599 following from `f32: Display` missing in the kernel's core (see the E0277 entry)",
    },
    {
      crate: 'zerocopy',
      file: 'rust/zerocopy/src/impls.rs',
      code: 'unresolved-macro-call',
      message: /^unresolved macro `static_assertions::const_assert_eq!`/,
      why:
        "17 unresolved-macro-call from zerocopy's assert_unaligned! (util/macros.rs), whose call carries #[cfg(test)]: " +
        'test is off (rust-analyzer marks #[cfg(test)] code inactive elsewhere), yet it resolves this one',
    },
    {
      crate: 'zerocopy',
      file: 'rust/zerocopy/src/impls.rs',
      code: 'needless_return',
      message: /^replace return <expr>; with <expr>/,
      why:
        "rust-analyzer's own needless_return (3 in zerocopy, an error under its #![deny(clippy::all)]) on `return`s that carry " +
        "attributes (#[allow(..)]), which clippy's lint leaves alone",
    },
    {
      crate: 'zerocopy',
      file: 'rust/zerocopy/src/error.rs',
      code: 'needless_return',
      message: /^replace return <expr>; with <expr>/,
      why: "rust-analyzer's own needless_return, as in impls.rs",
    },
    {
      crate: 'zerocopy',
      file: 'rust/zerocopy/src/util/mod.rs',
      code: 'needless_return',
      message: /^replace return <expr>; with <expr>/,
      why: "rust-analyzer's own needless_return, as in impls.rs",
    },
    {
      crate: 'zerocopy',
      file: 'rust/zerocopy/src/layout.rs',
      code: 'redundant_field_names',
      message: /^Shorthand struct initialization/,
      why: "2 of rust-analyzer's own redundant_field_names in #[cfg(kani)] code, which it marks inactive itself",
    },
    {
      crate: 'zerocopy_derive',
      file: 'rust/zerocopy-derive/lib.rs',
      code: 'E0425',
      message: /^no such value in this scope/,
      why:
        '2 E0425: lib.rs calls its own #[proc_macro_derive] functions (derive_from_zeros, derive_into_bytes); rust-analyzer removes ' +
        'such functions from the value namespace even in their defining crate (hir-def nameres/collector.rs remove_from_value_ns)',
    },
  ],
};

function defineTests(label: '6.12' | '7.2'): void {
  const lookup = testKernel(label);
  const ra = rustAnalyzer();
  const missing = 'missing' in lookup ? lookup.missing : ra ? undefined : '.ci/rust-analyzer-setup.sh gave no rust-analyzer';
  if (missing || 'missing' in lookup || !ra) {
    if (mustRun()) test(`rust-analyzer tests on Linux ${label} can run`, () => assert.fail(missing));
    else test(`rust-analyzer tests on Linux ${label}`, { skip: missing }, () => undefined);
    return;
  }
  const kernel = lookup.kernel;
  describe(`rfl rust-analyzer with the real rust-analyzer on Linux ${label}`, { concurrency: false }, () => {
    // Made when the suite starts (not when it is declared): another kernel's suite removes its scratch copies when it ends.
    let templatesParent = '';
    let dir = '';
    let file = '';
    before(() => {
      templatesParent = mkdtempSync(path.join(os.tmpdir(), 'rfl-ra-templates-'));
      dir = scratchCopy(kernel.exampleDir);
      file = path.join(dir, `${path.basename(kernel.exampleDir)}.rs`);
    });
    after(() => {
      removeScratchCopies();
      rmSync(templatesParent, { recursive: true, force: true });
    });

    test('rfl rust-analyzer writes the project: the sysroot crates as its sysroot project, rfl check as the flycheck', () => {
      const run = runRfl(['rust-analyzer', '--kdir', kernel.kdir, dir], { timeoutMs: TIMEOUT_MS });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), path.join(dir, 'rust-project.json'));
      const project = JSON.parse(readFileSync(path.join(dir, 'rust-project.json'), 'utf8')) as {
        runnables?: { kind: string; args: string[] }[];
        crates: { display_name?: string; build?: unknown }[];
        sysroot_project?: { crates: { display_name?: string }[] };
      };
      const flycheck = project.runnables?.find((runnable) => runnable.kind === 'flycheck');
      assert.deepEqual(flycheck?.args.slice(1, 4), ['check', '--message-format', 'json']);
      assert.ok(project.crates.some((crate) => crate.display_name === 'kernel'));
      assert.ok(project.crates.find((crate) => crate.display_name === 'rust_hello')?.build);
      assert.deepEqual(project.sysroot_project?.crates.map((crate) => crate.display_name).slice(0, 4), [
        'core',
        'alloc',
        'std',
        'proc_macro',
      ]);
    });

    test('batch diagnostics: nothing unresolved in the module, no error in the kernel’s crates', { timeout: TIMEOUT_MS }, () => {
      const { diagnostics, output } = batchDiagnostics(ra, dir);
      // The kernel's crates and the scripts/ crates were analysed (so "no error" is not "not looked at").
      for (const analysed of ['rust/kernel/lib.rs', 'rust/macros/lib.rs', 'scripts/generate_rust_target.rs']) {
        assert.ok(output.includes(path.join(kernel.kdir, analysed)), `rust-analyzer did not process ${analysed}`);
      }
      const inModule = diagnostics.filter((diagnostic) => diagnostic.file.startsWith(`${dir}/`));
      assert.deepEqual(
        inModule.filter((diagnostic) =>
          /unresolved|macro-error|proc-macro|E0433|E0425|E0412/.test(`${diagnostic.code} ${diagnostic.message}`),
        ),
        [],
      );
      const kernelErrors = diagnostics
        .filter((diagnostic) => diagnostic.file.startsWith(`${kernel.kdir}/`) && diagnostic.severity === 'Error')
        .map((diagnostic) => ({ ...diagnostic, file: path.relative(kernel.kdir, diagnostic.file) }));
      const limitations = RA_LIMITATIONS[label];
      const matches = (limitation: KnownLimitation, error: RaDiagnostic) =>
        error.crate === limitation.crate &&
        error.file === limitation.file &&
        error.code === limitation.code &&
        limitation.message.test(error.message);
      assert.deepEqual(
        kernelErrors
          .filter((error) => !limitations.some((limitation) => matches(limitation, error)))
          .map((error) => `${error.crate} ${error.file} ${error.code} ${error.message}`),
        [],
      );
      // Each known limitation still shows (else the list is stale: drop the entry).
      assert.deepEqual(
        limitations.filter((limitation) => !kernelErrors.some((error) => matches(limitation, error))).map((limitation) => limitation.why),
        [],
      );
    });

    test(
      'LSP: KVec hovers and goes to the kernel source, module! expands, saving runs rfl check as the flycheck',
      { timeout: 2 * TIMEOUT_MS },
      async () => {
        // A type error for the flycheck to find; rust-analyzer's own analysis runs on the same text.
        const text = readFileSync(file, 'utf8').replace(/(let mut numbers = KVec::new\(\);\n)/, '$1        let _wrong: u32 = "text";\n');
        assert.match(text, /_wrong/);
        writeFileSync(file, text);
        const lines = text.split('\n');
        const kvecLine = lines.findIndex((line) => /:\s*KVec</.test(line));
        const kvec = { line: kvecLine, character: (lines[kvecLine] ?? '').indexOf('KVec') + 1 };
        const moduleLine = lines.findIndex((line) => line.startsWith('module!'));
        const session = await RustAnalyzerSession.start(ra, dir);
        try {
          const uri = await session.open(file);
          const position = (at: { line: number; character: number }) => ({ textDocument: { uri }, position: at });
          // Hover answers once the workspace has loaded.
          const hover = await session.ask<Hover>('textDocument/hover', position(kvec), (result) => result !== null, TIMEOUT_MS / 2);
          assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /kernel::alloc::kvec[\s\S]*pub type KVec<T>/);
          const definition = await session.ask<Location[] | LocationLink[] | Location>(
            'textDocument/definition',
            position(kvec),
            (result) => result !== null && (!Array.isArray(result) || result.length > 0),
            TIMEOUT_MS / 4,
          );
          const targets = (Array.isArray(definition) ? definition : definition ? [definition] : []).map((item) =>
            fileURLToPath('targetUri' in item ? item.targetUri : item.uri),
          );
          assert.ok(
            targets.length > 0 && targets.every((target) => target.startsWith(`${kernel.kdir}/rust/`)),
            `definition of KVec: ${targets.join(', ')}`,
          );
          // module! expanded by the proc-macro server: the expansion defines the module's entry points.
          const expansion = await session.ask<{ name: string; expansion: string }>(
            'rust-analyzer/expandMacro',
            position({ line: moduleLine, character: 2 }),
            (result) => result !== null,
            TIMEOUT_MS / 4,
          );
          assert.equal(expansion?.name, 'module!');
          assert.match(expansion?.expansion ?? '', /init_module|__init/);
          await session.save(file);
          const published = await session.waitForDiagnostics(
            (params) => params.uri === uri && params.diagnostics.some((diagnostic) => diagnostic.source === 'rustc'),
            TIMEOUT_MS / 2,
          );
          const fromCheck = published?.diagnostics.filter((diagnostic) => diagnostic.source === 'rustc') ?? [];
          assert.ok(
            fromCheck.some((diagnostic) => diagnostic.code === 'E0308' && lines[diagnostic.range.start.line]?.includes('_wrong')),
            `flycheck published: ${JSON.stringify(fromCheck)}`,
          );
        } finally {
          session.close();
        }
      },
    );

    test('LSP, as VS Code is set up: check.overrideCommand runs rfl check on save', { timeout: TIMEOUT_MS }, async () => {
      // The project without its flycheck runnable: what is published comes from the setting.
      const projectFile = path.join(dir, 'rust-project.json');
      const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { runnables?: { kind: string; program: string; args: string[] }[] };
      const flycheck = project.runnables?.find((runnable) => runnable.kind === 'flycheck');
      assert.ok(flycheck);
      writeFileSync(projectFile, JSON.stringify({ ...project, runnables: [] }));
      assert.match(readFileSync(file, 'utf8'), /_wrong/);
      const session = await RustAnalyzerSession.start(ra, dir, { check: { overrideCommand: [flycheck.program, ...flycheck.args] } });
      try {
        const uri = await session.open(file);
        await session.save(file);
        const published = await session.waitForDiagnostics(
          (params) => params.uri === uri && params.diagnostics.some((diagnostic) => diagnostic.source === 'rustc'),
          TIMEOUT_MS / 2,
        );
        assert.ok(published?.diagnostics.some((diagnostic) => diagnostic.source === 'rustc' && diagnostic.code === 'E0308'));
      } finally {
        session.close();
      }
    });

    for (const id of EXPECTED_MODULE_TEMPLATES[label]) {
      test(`the ${id} template's module: nothing unresolved, no error`, { timeout: TIMEOUT_MS }, () => {
        const moduleDir = path.join(templatesParent, moduleNameFor(id));
        const created = runRfl(['new', moduleNameFor(id), '--kdir', kernel.kdir, '--template', id, '--dir', moduleDir], {
          cwd: templatesParent,
        });
        assert.equal(created.status, 0, created.stderr);
        const run = runRfl(['rust-analyzer', '--kdir', kernel.kdir, moduleDir], { timeoutMs: TIMEOUT_MS });
        assert.equal(run.status, 0, run.stderr);
        const inModule = batchDiagnostics(ra, moduleDir)
          .diagnostics.filter((diagnostic) => diagnostic.file.startsWith(`${moduleDir}/`))
          .filter((diagnostic) => diagnostic.severity === 'Error' || /unresolved|macro-error|proc-macro/.test(diagnostic.code))
          .map((diagnostic) => `${diagnostic.code} ${diagnostic.message}`);
        assert.deepEqual(inModule, []);
      });
    }
  });
}

// The kernels this file has passed on here (6.12: 2.5 min, 7.2: 13 min on this 2-core machine under
// load); 6.1 has not run yet.
defineTests('6.12');
defineTests('7.2');
