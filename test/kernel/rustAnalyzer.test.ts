// `rfl rust-analyzer` with the real rust-analyzer (Debian unstable's 1.97.1, unpacked privately by
// .ci/rust-analyzer-setup.sh) on the 6.12 test kernel and the example module:
// - its batch `diagnostics` reports no unresolved import or macro in the module, and no error at all
//   in the kernel's own crates (`kernel`, `macros`, `bindings`, `uapi`, the `scripts/` host crates):
//   with the kernel's rust-project.json as written it reported 381, 116 of them false E0599 "no
//   method" in `kernel` (src/core/rustAnalyzer/sysrootProject.ts says why);
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
import { after, describe, test } from 'node:test';
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
    const templatesParent = mkdtempSync(path.join(os.tmpdir(), 'rfl-ra-templates-'));
    after(() => {
      removeScratchCopies();
      rmSync(templatesParent, { recursive: true, force: true });
    });
    const dir = scratchCopy(kernel.exampleDir);
    const file = path.join(dir, `${path.basename(kernel.exampleDir)}.rs`);

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
        .map((diagnostic) => `${diagnostic.crate} ${path.relative(kernel.kdir, diagnostic.file)} ${diagnostic.code} ${diagnostic.message}`);
      assert.deepEqual(kernelErrors, []);
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

// Only the kernels this file has passed on once run here; the others wait for their first real run
// (test/kernel-unverified/README.md).
defineTests('6.12');
