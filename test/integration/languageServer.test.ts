// The language server driven by a real LSP client over stdio: diagnostics appear on open, follow
// edits, clear after a quick fix is applied, and one broken document never stops the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Hover } from 'vscode-languageserver-protocol';
import { LspTestClient, rules } from '../support/lspClient';

const URI = 'file:///tmp/rfl-test/lib.rs';

const SOURCE = `pub fn read(p: *const u8) -> u8 {
    let a = 1;
    let v = unsafe { *p };
    v + a
}
`;

describe('language server over stdio', () => {
  let client: LspTestClient;
  let version = 1;
  let document = TextDocument.create(URI, 'rust', version, SOURCE);

  before(async () => {
    client = await LspTestClient.start({ selectPlaceholderCommand: false });
  });
  after(async () => {
    await client.stop();
  });

  async function edit(range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string) {
    version++;
    document = TextDocument.update(document, [{ range, text }], version);
    client.forget(URI);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version },
      contentChanges: [{ range, text }],
    });
  }

  it('publishes the missing SAFETY comment on open', async () => {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'rust', version, text: SOURCE },
    });
    const published = await client.diagnostics(URI);
    assert.deepEqual(rules(published.diagnostics), ['2:undocumented_unsafe_blocks']);
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic!.source, 'rust-for-linux');
    assert.deepEqual(diagnostic!.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 25 } });
  });

  it('explains the rule on hover over the unsafe block', async () => {
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 2, character: 20 },
    });
    const value = (hover?.contents as { value: string } | undefined)?.value ?? '';
    assert.match(value, /SAFETY/);
    assert.match(value, /docs\.kernel\.org\/rust\/coding-guidelines/);
  });

  it('follows incremental edits: a second unsafe block adds a finding', async () => {
    await edit({ start: { line: 3, character: 4 }, end: { line: 3, character: 4 } }, 'unsafe { *p };\n    ');
    const published = await client.diagnostics(URI, (p) => p.version === version);
    assert.deepEqual(rules(published.diagnostics), ['2:undocumented_unsafe_blocks', '3:undocumented_unsafe_blocks']);
  });

  it('clears a finding after its quick fix is applied', async () => {
    const published = await client.diagnostics(URI, (p) => p.version === version);
    const target = published.diagnostics[0]!;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: target.range,
      context: { diagnostics: [target] },
    });
    const fix = actions.find((action) => action.title.includes('SAFETY'));
    assert.ok(fix?.edit?.changes?.[URI], `no SAFETY quick fix in ${JSON.stringify(actions)}`);
    const [change] = fix.edit.changes[URI]!;
    assert.match(change!.newText, /^ {4}\/\/ SAFETY: /);
    await edit(change!.range, change!.newText);
    const after = await client.diagnostics(URI, (p) => p.version === version);
    assert.deepEqual(
      rules(after.diagnostics).filter((r) => r.endsWith('undocumented_unsafe_blocks')),
      ['4:undocumented_unsafe_blocks'],
    );
    assert.match(document.getText(), /\/\/ SAFETY: TODO/);
  });

  it('flags the placeholder as no justification until it is filled in', async () => {
    const published = await client.diagnostics(URI, (p) => p.version === version);
    assert.ok(rules(published.diagnostics).includes('2:safety_comment_without_justification'));
    const line = document.getText().split('\n')[2]!;
    const start = line.indexOf('TODO');
    await edit({ start: { line: 2, character: start }, end: { line: 2, character: line.length } }, '`p` is valid for reads.');
    const filled = await client.diagnostics(URI, (p) => p.version === version);
    assert.ok(!rules(filled.diagnostics).some((r) => r.startsWith('2:')));
  });

  it('keeps serving other files after binary junk and a huge file', async () => {
    const junkUri = 'file:///tmp/rfl-test/junk.rs';
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: junkUri, languageId: 'rust', version: 1, text: '\0\x01\x02garbage\0'.repeat(100) },
    });
    const junk = await client.diagnostics(junkUri);
    assert.match(String(junk.diagnostics[0]!.message), /binary/);
    const hugeUri = 'file:///tmp/rfl-test/huge.rs';
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: hugeUri, languageId: 'rust', version: 1, text: 'fn f() {}\n'.repeat(500_000) },
    });
    const huge = await client.diagnostics(hugeUri);
    assert.match(String(huge.diagnostics[0]!.message), /MB lint limit/);
    // The first document still gets fresh diagnostics.
    await edit({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '\n');
    const still = await client.diagnostics(URI, (p) => p.version === version);
    assert.ok(still.diagnostics.length > 0);
  });

  it('applies severity settings without a restart', async () => {
    const isUndocumented = (rule: string) => rule.endsWith('undocumented_unsafe_blocks');
    const before = rules((await client.diagnostics(URI, (p) => p.version === version)).diagnostics);
    assert.ok(before.some(isUndocumented), `no undocumented unsafe block to turn off in ${JSON.stringify(before)}`);
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { rustForLinux: { lint: { severity: { undocumented_unsafe_blocks: 'off' } } } },
    });
    const published = await client.diagnostics(URI, (p) => !rules(p.diagnostics).some(isUndocumented));
    // The same document, without an edit: only the rule that was turned off is gone.
    assert.equal(published.version, version);
    assert.deepEqual(
      rules(published.diagnostics),
      before.filter((rule) => !isUndocumented(rule)),
    );
  });
});
