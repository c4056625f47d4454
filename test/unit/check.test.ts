// rfl check's parts that need no kernel: rustc's JSON (recorded from the real rustc-web 1.96 and its
// clippy-driver on test/fixtures/check/*.rs) mapped to real paths and to LSP diagnostics with fixes,
// diagnostics following edits, the verdict cache's fingerprint and the module lock (the
// rust-project.json fix for rust-analyzer: rustProject.test.ts).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkFingerprint } from '../../src/core/check/checkCache';
import { acquireLock } from '../../src/core/kbuild/moduleLock';
import {
  codeDocumentationUrl,
  counts,
  isSummary,
  parseDiagnosticLine,
  withRealPaths,
  type RustcDiagnostic,
} from '../../src/core/check/rustcDiagnostic';
import { checkDiagnosticsByUri, isCheckData } from '../../src/server/checkDiagnostics';
import { followEdits } from '../../src/server/checkDrift';
import { owningModuleFolder } from '../../src/server/checkOnSave';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'check');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'rfl-check-unit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The recorded diagnostics, as `rfl check` would see them from a module folder `moduleDir`. */
function recorded(name: string, moduleDir: string, printedAs: (file: string) => string = (file) => file): RustcDiagnostic[] {
  return readFileSync(path.join(FIXTURES, `${name}.jsonl`), 'utf8')
    .split('\n')
    .map((line) => parseDiagnosticLine(line.replace(/"file_name":"([^"]+)"/g, (_m, file: string) => `"file_name":"${printedAs(file)}"`)))
    .filter((diagnostic): diagnostic is RustcDiagnostic => diagnostic !== undefined)
    .filter((diagnostic) => !isSummary(diagnostic))
    .map((diagnostic) => withRealPaths(diagnostic, { kdir: '/nonexistent-kernel', moduleDir, moduleAliases: ['/staging/mod-1234'] }));
}

function moduleFolder(): string {
  const dir = mkdtempSync(path.join(scratch, 'module '));
  cpSync(FIXTURES, dir, { recursive: true });
  return dir;
}

describe('rustc JSON diagnostics', () => {
  it('keeps errors and lints, drops the closing summaries and failure notes, counts errors and warnings', () => {
    const dir = moduleFolder();
    const errors = recorded('errors', dir);
    assert.deepEqual(
      errors.map((d) => d.code?.code),
      ['E0308', 'E0502'],
    );
    assert.deepEqual(errors.map(counts), ['error', 'error']);
    assert.deepEqual(
      recorded('lints', dir).map((d) => d.code?.code),
      ['clippy::let_and_return', 'clippy::ptr_as_ptr', 'clippy::undocumented_unsafe_blocks'],
    );
    assert.equal(parseDiagnosticLine('  RUSTC [M] rust_hello.o'), undefined);
    assert.equal(parseDiagnosticLine('{"not":"a diagnostic"}'), undefined);
  });

  it('maps module-relative and staging paths to the real file, in spans and in the rendered text', () => {
    const dir = moduleFolder();
    for (const printedAs of [(file: string) => file, (file: string) => `/staging/mod-1234/${file}`]) {
      const [widen] = recorded('errors', dir, printedAs);
      assert.equal(widen?.spans[0]?.file_name, path.join(dir, 'errors.rs'));
      assert.equal(widen?.children.find((c) => c.spans.length)?.spans[0]?.file_name, path.join(dir, 'errors.rs'));
      assert.match(widen?.rendered ?? '', new RegExp(`--> ${path.join(dir, 'errors.rs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:5`));
    }
  });

  it('links codes to their documentation', () => {
    assert.equal(codeDocumentationUrl('E0308'), 'https://doc.rust-lang.org/error_codes/E0308.html');
    assert.equal(codeDocumentationUrl('clippy::ptr_as_ptr'), 'https://rust-lang.github.io/rust-clippy/master/index.html#ptr_as_ptr');
    assert.equal(codeDocumentationUrl('unused_variables'), 'https://doc.rust-lang.org/rustc/lints/listing/index.html#unused-variables');
  });
});

describe('check diagnostics over LSP', () => {
  it("takes a file's verdict from the innermost checked module folder holding it, whatever the order", () => {
    const file = '/ws/inner/inner.rs';
    assert.equal(owningModuleFolder(file, ['/ws', '/ws/inner']), '/ws/inner');
    assert.equal(owningModuleFolder(file, ['/ws/inner', '/ws']), '/ws/inner');
    assert.equal(owningModuleFolder('/ws/outer.rs', ['/ws', '/ws/inner']), '/ws');
    // Only the outer one checked so far: its verdict is all there is.
    assert.equal(owningModuleFolder(file, ['/ws']), '/ws');
    // A sibling whose name starts the same is no parent.
    assert.equal(owningModuleFolder('/ws/inner2/x.rs', ['/ws/inner']), undefined);
  });

  it('gives source, code, link, primary range, related spans and machine-applicable fixes', () => {
    const dir = moduleFolder();
    const uri = pathToFileURL(path.join(dir, 'errors.rs')).toString();
    const [widen, borrow] = checkDiagnosticsByUri(recorded('errors', dir), dir).get(uri) ?? [];
    assert.equal(widen?.source, 'rustc');
    assert.equal(widen?.code, 'E0308');
    assert.deepEqual(widen?.range, { start: { line: 1, character: 4 }, end: { line: 1, character: 9 } });
    assert.ok(
      widen?.relatedInformation?.some(
        (info) => info.message === 'expected `u64` because of return type' && info.location.range.start.line === 0,
      ),
    );
    assert.ok(isCheckData(widen?.data));
    const fix = isCheckData(widen?.data) ? widen.data.fixes[0] : undefined;
    assert.equal(fix?.title, 'you can convert a `u32` to a `u64`: `.into()`');
    const text = readFileSync(path.join(dir, 'errors.rs'), 'utf8');
    assert.match(TextDocument.applyEdits(TextDocument.create(uri, 'rust', 1, text), fix?.edits[uri] ?? []), /count\.into\(\)/);
    // A borrow error has no machine-applicable fix; its other spans are related information.
    assert.equal(borrow?.code, 'E0502');
    assert.equal(isCheckData(borrow?.data) ? borrow.data.fixes.length : -1, 0);
    assert.ok((borrow?.relatedInformation?.length ?? 0) >= 1);
  });

  it('counts columns in UTF-16 and keeps multi-span fixes whole', () => {
    const dir = moduleFolder();
    const uri = pathToFileURL(path.join(dir, 'lints.rs')).toString();
    const diagnostics = checkDiagnosticsByUri(recorded('lints', dir), dir).get(uri) ?? [];
    const unsafeBlock = diagnostics.find((d) => d.code === 'clippy::undocumented_unsafe_blocks');
    const line = readFileSync(path.join(dir, 'lints.rs'), 'utf8').split('\n')[3] ?? '';
    assert.equal(unsafeBlock?.source, 'clippy');
    assert.equal(unsafeBlock?.range.start.character, line.indexOf('unsafe'));
    const letReturn = diagnostics.find((d) => d.code === 'clippy::let_and_return');
    const fixes = isCheckData(letReturn?.data) ? letReturn.data.fixes : [];
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0]?.edits[uri]?.length, 2);
  });

  it('leaves out diagnostics whose place is outside the module folder', () => {
    const dir = moduleFolder();
    assert.equal(checkDiagnosticsByUri(recorded('errors', dir), path.join(dir, 'elsewhere')).size, 0);
  });

  it('follows edits: moved by lines added above, dropped when their line is edited, all dropped on a full replace', () => {
    const dir = moduleFolder();
    const uri = pathToFileURL(path.join(dir, 'errors.rs')).toString();
    const diagnostics = checkDiagnosticsByUri(recorded('errors', dir), dir).get(uri) ?? [];
    const lines = (list: typeof diagnostics) => list.map((d) => `${String(d.code)}:${d.range.start.line}`);
    assert.deepEqual(lines(diagnostics), ['E0308:1', 'E0502:6']);
    const above = followEdits(diagnostics, uri, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// one\n// two\n' },
    ]);
    assert.deepEqual(lines(above), ['E0308:3', 'E0502:8']);
    const fix = isCheckData(above[0]?.data) ? above[0].data.fixes[0] : undefined;
    assert.equal(fix?.edits[uri]?.[0]?.range.start.line, 3);
    const onLine = followEdits(diagnostics, uri, [
      { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 9 } }, text: 'count.into()' },
    ]);
    assert.deepEqual(lines(onLine), ['E0502:6']);
    const removedAbove = followEdits(diagnostics, uri, [
      { range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: '' },
    ]);
    assert.deepEqual(lines(removedAbove), ['E0308:1', 'E0502:5']);
    assert.deepEqual(followEdits(diagnostics, uri, [{ text: 'whole new text' }]), []);
  });
});

describe('check cache and lock', () => {
  it('changes the fingerprint when a source changes, not when kbuild writes its outputs', () => {
    const dir = moduleFolder();
    const kdir = mkdtempSync(path.join(scratch, 'kernel-'));
    const first = checkFingerprint(dir, kdir, undefined, { tool: 'x' });
    writeFileSync(path.join(dir, 'errors.o'), 'object');
    writeFileSync(path.join(dir, '.errors.o.cmd'), 'cmd');
    writeFileSync(path.join(dir, 'errors.ko'), 'module');
    assert.equal(checkFingerprint(dir, kdir, undefined, { tool: 'x' }), first);
    assert.notEqual(checkFingerprint(dir, kdir, undefined, { tool: 'y' }), first);
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(dir, 'errors.rs'), later, later);
    const edited = checkFingerprint(dir, kdir, undefined, { tool: 'x' });
    assert.notEqual(edited, first);
    writeFileSync(path.join(kdir, 'Module.symvers'), 'rebuilt kernel');
    assert.notEqual(checkFingerprint(dir, kdir, undefined, { tool: 'x' }), edited);
  });

  it('lets one holder in at a time and takes over a lock whose owner is gone', async () => {
    const lock = path.join(scratch, 'locks', 'module.lock');
    const release = await acquireLock(lock, 5000);
    await assert.rejects(acquireLock(lock, 300), /still runs/);
    release();
    const again = await acquireLock(lock, 1000);
    again();
    // A lock left by a process that no longer exists.
    await acquireLock(lock, 1000);
    writeFileSync(path.join(lock, 'pid'), '999999999');
    const takenOver = await acquireLock(lock, 2000);
    takenOver();
  });
});
