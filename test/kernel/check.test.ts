// rfl check and the language server's check on save against the real 6.12 and 7.2 test kernels: the
// kernel's rustc and clippy through kbuild, exactly the expected diagnostics on the real files (also
// through a staging folder), the cache of unchanged verdicts, exit codes, and over LSP: check on
// open, dedupe with the live SAFETY finding, a machine-applicable fix applied through the code
// action that makes the module build.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import type { RustcDiagnostic } from '../../src/core/check/rustcDiagnostic';
import { runRfl } from '../support/cli';
import { LspTestClient, RICH_CLIENT } from '../support/lspClient';
import { CHECK_CASES, lineOf, type CheckCase } from './checkCases';
import { mustRun, removeScratchCopies, scratchCopy, testKernel, type TestKernel } from './support';

const CASE_TIMEOUT_MS = 240_000;
const RFL_TIMEOUT_MS = 200_000;

/** A scratch copy of the kernel's example module with the case's code appended. */
function caseModule(
  kernel: TestKernel,
  checkCase: CheckCase,
  folderName = `check_${checkCase.name}`,
): { dir: string; file: string; text: string } {
  const dir = scratchCopy(kernel.exampleDir, folderName);
  const file = path.join(dir, 'rust_hello.rs');
  const text = `${readFileSync(file, 'utf8')}${checkCase.appended}`;
  writeFileSync(file, text);
  return { dir, file, text };
}

function checkJson(kernel: TestKernel, dir: string, ...extra: string[]) {
  const run = runRfl(['check', '--message-format', 'json', '--kdir', kernel.kdir, ...extra, dir], { timeoutMs: RFL_TIMEOUT_MS });
  const diagnostics = run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as RustcDiagnostic);
  return { run, diagnostics };
}

/** Resolves with the first window/logMessage of the server that matches. */
function logMessage(client: LspTestClient, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no log message like ${String(pattern)}`)), RFL_TIMEOUT_MS);
    client.connection.onNotification('window/logMessage', (params: { message: string }) => {
      if (!pattern.test(params.message)) return;
      clearTimeout(timer);
      resolve(params.message);
    });
  });
}

function primaryOf(diagnostic: RustcDiagnostic) {
  return diagnostic.spans.find((span) => span.is_primary) ?? diagnostic.spans[0];
}

function defineCheckTests(label: '6.12' | '7.2'): void {
  const lookup = testKernel(label);
  if ('missing' in lookup) {
    if (mustRun()) test(`Linux ${label} test kernel is available`, () => assert.fail(lookup.missing));
    else test(`Linux ${label} check tests`, { skip: lookup.missing }, () => undefined);
    return;
  }
  const kernel = lookup.kernel;

  describe(`rfl check on Linux ${label}`, { concurrency: false }, () => {
    after(removeScratchCopies);

    test('the example module: no diagnostics, exit 0; unchanged, it is answered from the cache', { timeout: CASE_TIMEOUT_MS }, () => {
      const dir = scratchCopy(kernel.exampleDir);
      const first = runRfl(['check', '--kdir', kernel.kdir, dir], { timeoutMs: RFL_TIMEOUT_MS });
      assert.equal(first.status, 0, first.stdout + first.stderr);
      assert.match(first.stdout, /rfl check: no errors or warnings/);
      const again = runRfl(['check', '--kdir', kernel.kdir, dir], { timeoutMs: RFL_TIMEOUT_MS });
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /unchanged since the last check/);
    });

    for (const checkCase of CHECK_CASES) {
      test(
        `${checkCase.name}: exactly ${checkCase.expected.map((e) => e.code).join(', ')} on the real file (rustc JSON, exit 1)`,
        { timeout: CASE_TIMEOUT_MS },
        () => {
          // A folder name with a space: kbuild builds it through a staging folder whose paths must not leak.
          const { dir, file, text } = caseModule(kernel, checkCase, `check ${checkCase.name}`);
          const { run, diagnostics } = checkJson(kernel, dir);
          assert.equal(run.status, 1, run.stderr);
          const got = diagnostics.map((diagnostic) => {
            const span = primaryOf(diagnostic);
            return `${diagnostic.code?.code}@${span?.file_name}:${span?.line_start}`;
          });
          const want = checkCase.expected.map((expected) => `${expected.code}@${file}:${lineOf(text, expected.lineWith) + 1}`);
          assert.deepEqual(got.sort(), want.sort());
          for (const diagnostic of diagnostics) assert.ok(diagnostic.rendered?.includes(`--> ${file}:`), diagnostic.rendered ?? '');
          // The human form: rustc's own text with the real path, and the count.
          const human = runRfl(['check', '--kdir', kernel.kdir, dir], { timeoutMs: RFL_TIMEOUT_MS });
          assert.equal(human.status, 1);
          assert.match(human.stdout, new RegExp(`${checkCase.expected.length} (error|warning)`));
        },
      );
    }

    test(
      "after a first check, an edit is checked by the compiler alone (kbuild's recorded commands) with exactly the full build's diagnostics",
      { timeout: CASE_TIMEOUT_MS * 2 },
      () => {
        // The clean example first: its check is a real make CLIPPY=1, which records the commands.
        const dir = scratchCopy(kernel.exampleDir, 'check replay');
        const file = path.join(dir, 'rust_hello.rs');
        const original = readFileSync(file, 'utf8');
        const clean = runRfl(['check', '--kdir', kernel.kdir, dir], { timeoutMs: RFL_TIMEOUT_MS });
        assert.equal(clean.status, 0, clean.stdout + clean.stderr);
        assert.doesNotMatch(clean.stdout, /compiler only/);
        const comparable = (diagnostics: RustcDiagnostic[]) =>
          diagnostics
            .map((diagnostic) => ({ ...diagnostic, rendered: diagnostic.rendered?.replace(/\s+$/, '') }))
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        for (const checkCase of CHECK_CASES) {
          writeFileSync(file, `${original}${checkCase.appended}`);
          const replayed = checkJson(kernel, dir);
          assert.equal(replayed.run.status, 1, replayed.run.stderr);
          assert.match(replayed.run.stderr, /compiler only/, `${checkCase.name}: the recorded commands were not replayed`);
          const full = checkJson(kernel, dir, '--full', '--fresh');
          assert.equal(full.run.status, 1, full.run.stderr);
          assert.doesNotMatch(full.run.stderr, /compiler only/);
          assert.equal(full.diagnostics.length, checkCase.expected.length, checkCase.name);
          assert.deepEqual(comparable(replayed.diagnostics), comparable(full.diagnostics), checkCase.name);
        }
        // The folder's kbuild outputs are the last full build's: a replay writes nothing there.
        writeFileSync(file, original);
        const again = runRfl(['check', '--kdir', kernel.kdir, dir], { timeoutMs: RFL_TIMEOUT_MS });
        assert.equal(again.status, 0, again.stdout + again.stderr);
        assert.match(again.stdout, /compiler only/);
        // A changed Kbuild changes how kbuild builds: the next check is a full build again.
        writeFileSync(path.join(dir, 'Kbuild'), `${readFileSync(path.join(dir, 'Kbuild'), 'utf8')}\n# edited\n`);
        const rebuilt = runRfl(['check', '--kdir', kernel.kdir, dir], { timeoutMs: RFL_TIMEOUT_MS });
        assert.equal(rebuilt.status, 0, rebuilt.stdout + rebuilt.stderr);
        assert.doesNotMatch(rebuilt.stdout, /compiler only|unchanged/);
      },
    );

    test('a kernel folder that is no kernel build: exit 2 with the reason', { timeout: CASE_TIMEOUT_MS }, () => {
      const dir = scratchCopy(kernel.exampleDir);
      const run = runRfl(['check', '--kdir', path.join(dir, 'no-kernel-here'), dir], { timeoutMs: RFL_TIMEOUT_MS });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /is not a kernel build folder|could not check/);
    });

    test(
      'over LSP: checked on open, one diagnostic per place where SAFETY and clippy agree, clippy code and link',
      { timeout: CASE_TIMEOUT_MS },
      async () => {
        const lints = CHECK_CASES.find((checkCase) => checkCase.name === 'lints')!;
        const { file, text } = caseModule(kernel, lints);
        const uri = pathToFileURL(file).toString();
        const client = await LspTestClient.start({ settings: { kernelDir: kernel.kdir } });
        try {
          await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
          const published = await client.diagnostics(
            uri,
            (params) => params.diagnostics.some((d) => d.source === 'clippy'),
            RFL_TIMEOUT_MS,
          );
          const seen = published.diagnostics.map((d) => `${d.source}:${String(d.code)}:${d.range.start.line}`).sort();
          assert.deepEqual(seen, [
            `clippy:clippy::needless_return:${lineOf(text, '// needless_return')}`,
            `rust-for-linux:undocumented_unsafe_blocks:${lineOf(text, '// no SAFETY comment')}`,
          ]);
          const lint = published.diagnostics.find((d) => d.code === 'clippy::needless_return')!;
          assert.equal(lint.codeDescription?.href, 'https://rust-lang.github.io/rust-clippy/master/index.html#needless_return');
          // Typing above the lint moves it down with its line.
          await client.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version: 2 },
            contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// moved\n' }],
          });
          const moved = await client.diagnostics(uri, (params) => params.version === 2);
          assert.equal(moved.diagnostics.find((d) => d.code === 'clippy::needless_return')?.range.start.line, lint.range.start.line + 1);
        } finally {
          await client.stop();
        }
      },
    );

    test(
      'over LSP: a module folder inside another module folder shows its own check (the outer one checked first)',
      { timeout: CASE_TIMEOUT_MS },
      async () => {
        // A workspace whose root is a module folder with module folders below it (as VS Code's suite
        // workspace is): the inner module's verdict used to be looked up in the outer module's state
        // (the first folder that contained the file), so it never showed.
        const outer = scratchCopy(kernel.exampleDir, 'check_outer');
        const fixable = CHECK_CASES.find((checkCase) => checkCase.name === 'fixable')!;
        const inner = path.join(outer, 'check_inner');
        cpSync(kernel.exampleDir, inner, {
          recursive: true,
          filter: (from) => !/\.(o|ko|mod|cmd)$|Module\.symvers|modules\.order/.test(from),
        });
        const innerFile = path.join(inner, 'rust_hello.rs');
        const innerText = `${readFileSync(innerFile, 'utf8')}${fixable.appended}`;
        writeFileSync(innerFile, innerText);
        const outerFile = path.join(outer, 'rust_hello.rs');
        const client = await LspTestClient.start({ settings: { kernelDir: kernel.kdir } });
        try {
          const outerChecked = logMessage(client, /^check check_outer: /);
          await client.connection.sendNotification('textDocument/didOpen', {
            textDocument: {
              uri: pathToFileURL(outerFile).toString(),
              languageId: 'rust',
              version: 1,
              text: readFileSync(outerFile, 'utf8'),
            },
          });
          await outerChecked;
          const innerUri = pathToFileURL(innerFile).toString();
          const innerChecked = logMessage(client, /^check check_inner: /);
          await client.connection.sendNotification('textDocument/didOpen', {
            textDocument: { uri: innerUri, languageId: 'rust', version: 1, text: innerText },
          });
          assert.match(await innerChecked, /^check check_inner: 1 errors/);
          // The check publishes before it logs: what the client has now is the check's verdict.
          const published = client.latest.get(innerUri);
          const rustc = published?.diagnostics.filter((d) => d.source === 'rustc') ?? [];
          assert.deepEqual(
            rustc.map((d) => `${String(d.code)}:${d.range.start.line}`),
            [`E0308:${lineOf(innerText, '// type error')}`],
          );
        } finally {
          await client.stop();
        }
      },
    );

    test(
      'over LSP, pulled (as VS Code does): one refresh after a check, and the pull then gives its verdict',
      { timeout: CASE_TIMEOUT_MS },
      async () => {
        const fixable = CHECK_CASES.find((checkCase) => checkCase.name === 'fixable')!;
        const { dir, file, text } = caseModule(kernel, fixable, 'check_pulled');
        // A second open file of the module: the check republishes both, with one refresh.
        const other = path.join(dir, 'other.rs');
        writeFileSync(other, '// not built\n');
        const uri = pathToFileURL(file).toString();
        const client = LspTestClient.spawn();
        let refreshes = 0;
        let refreshed: () => void = () => undefined;
        const firstRefresh = new Promise<void>((resolve) => (refreshed = resolve));
        client.connection.onRequest('workspace/diagnostic/refresh', () => {
          refreshes++;
          refreshed();
          return null;
        });
        await client.initialize(
          { settings: { kernelDir: kernel.kdir } },
          {
            ...RICH_CLIENT,
            workspace: { diagnostics: { refreshSupport: true } },
            textDocument: { ...RICH_CLIENT.textDocument, diagnostic: {} },
          },
        );
        try {
          const checked = logMessage(client, /^check check_pulled: 1 errors/);
          await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
          await client.connection.sendNotification('textDocument/didOpen', {
            textDocument: { uri: pathToFileURL(other).toString(), languageId: 'rust', version: 1, text: '// not built\n' },
          });
          const before = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
            textDocument: { uri },
          });
          await checked;
          await firstRefresh;
          // The id it had before the check: the answer must not be "unchanged".
          const after = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
            textDocument: { uri },
            ...(before.kind === 'full' && before.resultId ? { previousResultId: before.resultId } : {}),
          });
          assert.equal(after.kind, 'full');
          const rustc = after.kind === 'full' ? after.items.filter((d) => d.source === 'rustc') : [];
          assert.deepEqual(
            rustc.map((d) => `${String(d.code)}:${d.range.start.line}`),
            [`E0308:${lineOf(text, '// type error')}`],
          );
          assert.equal(refreshes, 1, 'one workspace/diagnostic/refresh for the check of a module with two open files');
        } finally {
          await client.stop();
        }
      },
    );

    test(
      'over LSP: a machine-applicable fix applied through the code action makes the module build',
      { timeout: CASE_TIMEOUT_MS },
      async () => {
        const fixable = CHECK_CASES.find((checkCase) => checkCase.name === 'fixable')!;
        const { dir, file, text } = caseModule(kernel, fixable);
        const uri = pathToFileURL(file).toString();
        const client = await LspTestClient.start({ settings: { kernelDir: kernel.kdir } });
        try {
          await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
          const published = await client.diagnostics(uri, (params) => params.diagnostics.some((d) => d.source === 'rustc'), RFL_TIMEOUT_MS);
          const error: Diagnostic = published.diagnostics.find((d) => d.code === 'E0308')!;
          assert.equal(error.range.start.line, lineOf(text, '// type error'));
          assert.equal(error.codeDescription?.href, 'https://doc.rust-lang.org/error_codes/E0308.html');
          assert.ok(error.relatedInformation?.some((info) => /because of return type/.test(info.message)));
          const actions = (await client.connection.sendRequest('textDocument/codeAction', {
            textDocument: { uri },
            range: error.range,
            context: { diagnostics: [error] },
          })) as CodeAction[];
          const fix = actions.find((action) => action.edit?.changes?.[uri]);
          assert.ok(fix, `no quick fix among ${JSON.stringify(actions.map((action) => action.title))}`);
          const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'rust', 1, text), fix.edit!.changes![uri]!);
          assert.match(fixed, /count\.into\(\)/);
          writeFileSync(file, fixed);
          // The edit alone drops the diagnostic on its line; the check after the save must find nothing.
          const checked = logMessage(client, /^check check_fixable: 0 errors, 0 warnings/);
          await client.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version: 2 },
            contentChanges: [{ text: fixed }],
          });
          await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
          await checked;
          const final = await client.diagnostics(uri, (params) => params.version === 2);
          assert.deepEqual(
            final.diagnostics.filter((d) => d.source === 'rustc' || d.source === 'clippy'),
            [],
          );
          const after = runRfl(['check', '--kdir', kernel.kdir, dir], { timeoutMs: RFL_TIMEOUT_MS });
          assert.equal(after.status, 0, after.stdout + after.stderr);
        } finally {
          await client.stop();
        }
      },
    );
  });
}

defineCheckTests('6.12');
defineCheckTests('7.2');
