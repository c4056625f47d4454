// Lines as LSP defines them (`\n`, `\r\n` and a lone `\r` each end one), everywhere the server makes
// or reads a position: diagnostics, hovers, code action edits and incremental changes, on documents
// whose lines end in CR only and in a mix of all three.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Hover } from 'vscode-languageserver-protocol';
import { LspTestClient, rules } from '../support/lspClient';

// (No line comment: rustc and tree-sitter end one at \n only, so after a lone CR it would run on.)
const LINES = ['use core::ptr;', 'pub fn read(p: *const u8) -> u8 {', '    let v = unsafe { *p };', '    v', '}', ''];

const ENDINGS: Record<string, (index: number) => string> = {
  'CR only': () => '\r',
  'CR, CRLF and LF mixed': (index) => ['\r', '\r\n', '\n'][index % 3]!,
};

describe('LSP line endings', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  for (const [name, ending] of Object.entries(ENDINGS)) {
    it(`places diagnostics, hovers, fixes and edits on the right lines: ${name}`, async () => {
      const text = LINES.map((line, index) => (index < LINES.length - 1 ? line + ending(index) : line)).join('');
      const uri = `file:///tmp/rfl-lines/${name.replace(/\W+/g, '_')}.rs`;
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
      const published = await client.diagnostics(uri);
      assert.deepEqual(rules(published.diagnostics), ['2:undocumented_unsafe_blocks']);
      assert.deepEqual(published.diagnostics[0]!.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 25 } });

      const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 2, character: 20 },
      });
      assert.ok(hover, 'no hover over the unsafe block');

      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: published.diagnostics[0]!.range,
        context: { diagnostics: published.diagnostics },
      });
      const fix = actions.find((action) => action.title.includes('SAFETY'));
      const [edit] = fix?.edit?.changes?.[uri] ?? [];
      // Above line 2, or (where the core, like rustc, sees no line break before the statement) right
      // before `unsafe` with a line break of its own.
      assert.equal(edit?.range.start.line, 2, `the SAFETY comment goes above line 2: ${JSON.stringify(edit)}`);
      assert.ok(
        edit.range.start.character === 0 || (edit.range.start.character === 12 && edit.newText.startsWith('\n')),
        JSON.stringify(edit),
      );

      // An incremental change by LSP lines: a SAFETY comment as a new line 2.
      client.forget(uri);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [
          {
            range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
            text: `    // SAFETY: \`p\` is valid for reads.${ending(1)}`,
          },
        ],
      });
      const after = await client.diagnostics(uri, (params) => params.version === 2);
      assert.deepEqual(rules(after.diagnostics), []);
    });
  }
});
