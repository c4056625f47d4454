// Module authoring through the language server over real stdio: module! diagnostics for the
// configured kernel with quick fixes that clear them, refactorings at the cursor, and template
// completions that follow the kernel (6.1 byte strings, 7.2 authors and its newer templates).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionItem, CompletionList } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { snippetToPlainText } from '../../src/core/authoring/templates/snippetText';
import { LspTestClient, rules } from '../support/lspClient';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'kernels');
const KERNEL_7_2 = path.join(FIXTURES, 'linux-7.2-makefile-only');
const KERNEL_6_1 = path.join(FIXTURES, 'linux-6.1-makefile-only');

const MODULE_SOURCE = `use kernel::prelude::*;

module! {
    type: RustHello,
    name: "rust_hello",
    author: "Me",
    license: "GPL",
}

struct RustHello {
    count: u32,
}
`;

async function complete(client: LspTestClient, uri: string, line: number, character: number): Promise<CompletionItem[]> {
  const result = await client.connection.sendRequest<CompletionItem[] | CompletionList | null>('textDocument/completion', {
    textDocument: { uri },
    position: { line, character },
  });
  return Array.isArray(result) ? result : (result?.items ?? []);
}

async function open(client: LspTestClient, uri: string, text: string): Promise<void> {
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
}

describe('module authoring over stdio (Linux 7.2 API)', () => {
  let client: LspTestClient;
  const uri = 'file:///tmp/rfl-module-test/rust_hello.rs';
  let document = TextDocument.create(uri, 'rust', 1, MODULE_SOURCE);

  before(async () => {
    client = await LspTestClient.start({ settings: { kernelDir: KERNEL_7_2 } });
  });
  after(async () => {
    await client.stop();
  });

  async function applyEdits(action: CodeAction): Promise<void> {
    const edits = action.edit?.changes?.[uri];
    assert.ok(edits, `no edits in ${JSON.stringify(action)}`);
    const version = document.version + 1;
    document = TextDocument.create(uri, 'rust', version, TextDocument.applyEdits(document, edits));
    client.forget(uri);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text: document.getText() }],
    });
  }

  it("flags the key 7.2's macro rejects and the missing Module impl", async () => {
    await open(client, uri, MODULE_SOURCE);
    const published = await client.diagnostics(uri);
    assert.deepEqual(rules(published.diagnostics), ['5:module_unknown_key', '3:module_missing_impl']);
    assert.match(String(published.diagnostics[0]!.message), /unknown key "author"\. Valid keys are: \["type", "name", "authors"/);
  });

  it('fixes both with quick fixes until no diagnostic is left', async () => {
    for (const code of ['module_unknown_key', 'module_missing_impl']) {
      const published = await client.diagnostics(uri, (params) => params.version === document.version);
      const diagnostic = published.diagnostics.find((candidate) => candidate.code === code)!;
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic], only: ['quickfix'] },
      });
      assert.ok(
        actions.every((action) => action.kind === 'quickfix'),
        'only quick fixes when only quick fixes are asked for',
      );
      await applyEdits(actions[0]!);
    }
    const published = await client.diagnostics(uri, (params) => params.version === document.version);
    assert.deepEqual(rules(published.diagnostics), []);
    assert.match(document.getText(), /authors: \["Me"\],/);
    assert.match(document.getText(), /impl kernel::Module for RustHello \{[\s\S]*count: 0,/);
  });

  it('offers the exit as a refactoring on the struct', async () => {
    const line = document
      .getText()
      .split('\n')
      .findIndex((text) => text.startsWith('struct RustHello'));
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character: 3 }, end: { line, character: 3 } },
      context: { diagnostics: [] },
    });
    const exit = actions.find((action) => action.title === 'Add a Drop exit for RustHello');
    assert.equal(exit?.kind, 'refactor.rewrite');
    await applyEdits(exit);
    assert.match(document.getText(), /impl Drop for RustHello \{\n {4}fn drop\(&mut self\) \{\n {8}pr_info!\("exit\\n"\);/);
    const published = await client.diagnostics(uri, (params) => params.version === document.version);
    assert.deepEqual(rules(published.diagnostics), []);
  });

  it('completes whole-module templates at the top level, written for 7.2', async () => {
    const emptyUri = 'file:///tmp/rfl-module-test/misc_buf.rs';
    await open(client, emptyUri, '\n');
    await client.diagnostics(emptyUri);
    const items = await complete(client, emptyUri, 0, 0);
    const labels = items.map((item) => item.label);
    for (const label of ['kmodule', 'kmodule-vector', 'kmodule-params', 'kmodule-pinned', 'kmodule-misc-device', 'kmodule-platform-driver'])
      assert.ok(labels.includes(label), `${label} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('pr_err'), 'no statement templates at the top level');
    const minimal = items.find((item) => item.label === 'kmodule')!;
    assert.equal(minimal.insertTextFormat, 2 /* snippet */);
    const text = snippetToPlainText(minimal.insertText ?? '');
    assert.match(text, /type: MiscBuf,\n {4}name: "misc_buf",\n {4}authors: \[/, 'names follow the file name');
    assert.match(minimal.detail ?? '', /Linux 7\.2\.13/);
  });

  it('completes log lines and SAFETY comments inside a function', async () => {
    const fnUri = 'file:///tmp/rfl-module-test/fn.rs';
    await open(client, fnUri, 'fn f() {\n    \n}\n');
    await client.diagnostics(fnUri);
    const labels = (await complete(client, fnUri, 1, 4)).map((item) => item.label);
    for (const label of ['pr_info', 'pr_err', 'SAFETY', 'INVARIANT']) assert.ok(labels.includes(label), `${label} in ${labels.join(', ')}`);
    assert.ok(!labels.includes('kmodule'));
  });
});

describe('module authoring over stdio (Linux 6.1 API, client with static snippets)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ settings: { kernelDir: KERNEL_6_1 }, staticSnippets: true });
  });
  after(async () => {
    await client.stop();
  });

  it('offers only what 6.1 has, in its spelling, and leaves static snippets to the client', async () => {
    const uri = 'file:///tmp/rfl-module-test/old/hello.rs';
    await open(client, uri, '\n');
    await client.diagnostics(uri);
    const items = await complete(client, uri, 0, 0);
    assert.deepEqual(
      items.filter((item) => item.label.startsWith('kmodule')).map((item) => item.label),
      ['kmodule', 'kmodule-vector'],
    );
    const text = snippetToPlainText(items.find((item) => item.label === 'kmodule-vector')!.insertText ?? '');
    assert.match(text, /name: b"hello",/);
    assert.match(text, /numbers\.try_push\(72\)\?;/);

    const fnUri = 'file:///tmp/rfl-module-test/old/fn.rs';
    await open(client, fnUri, 'fn f() {\n    \n}\n');
    await client.diagnostics(fnUri);
    const labels = (await complete(client, fnUri, 1, 4)).map((item) => item.label);
    assert.ok(!labels.includes('pr_err'), '6.1 has no pr_err!');
    assert.ok(!labels.includes('pr_info') && !labels.includes('SAFETY'), 'the client contributes these itself');
  });

  it('flags strings where 6.1 wants byte strings', async () => {
    const uri = 'file:///tmp/rfl-module-test/old/rust_hello.rs';
    await open(client, uri, MODULE_SOURCE);
    const published = await client.diagnostics(uri);
    assert.deepEqual(rules(published.diagnostics), [
      '4:module_value_kind',
      '5:module_value_kind',
      '6:module_value_kind',
      '3:module_missing_impl',
    ]);
  });
});
