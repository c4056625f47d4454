// The live lint of the real language server, over stdio, on files of a configured kernel tree: a
// module file the tree's build never compiles (`#[cfg(test)] mod tests;`) and a file under an
// `#[allow]`ed `mod x;` show what clippy would show there (nothing, also while the user types),
// while the same text outside a kernel tree, or in an untitled document, keeps its findings
// (issue 11, item 4).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient, rules } from '../support/lspClient';

const UNSAFE = 'pub unsafe fn g(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n';
const BOTH = ['0:missing_safety_doc', '1:undocumented_unsafe_blocks'];

describe('language server in a kernel tree', () => {
  let dir: string;
  let client: LspTestClient;
  const uri = (relative: string) => pathToFileURL(path.join(dir, relative)).href;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rfl-lsp-tree-'));
    const files: Record<string, string> = {
      'linux/Makefile': '# kernel\n',
      'linux/include/generated/rustc_cfg': '--cfg=CONFIG_X\n',
      'linux/rust/k/lib.rs':
        '#[cfg(test)]\nmod tests;\n#[allow(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]\nmod quiet;\nmod loud;\n',
      'linux/rust/k/tests.rs': UNSAFE,
      'linux/rust/k/quiet.rs': UNSAFE,
      'linux/rust/k/loud.rs': UNSAFE,
      'plain/tests.rs': UNSAFE,
    };
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    }
    // No check on save: this is about the live lint, and the fake tree cannot build.
    client = await LspTestClient.start({ trustedWorkspace: false });
  });
  after(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(documentUri: string, text = UNSAFE): Promise<string[]> {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: documentUri, languageId: 'rust', version: 1, text },
    });
    return rules((await client.diagnostics(documentUri, (published) => published.version === 1)).diagnostics);
  }

  it('shows nothing in a module file declared under #[cfg(test)], also after an edit', async () => {
    const tests = uri('linux/rust/k/tests.rs');
    assert.deepEqual(await open(tests), []);
    const edit = { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } };
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: tests, version: 2 },
      contentChanges: [{ range: edit, text: 'unsafe { *p };\n    ' }],
    });
    const published = await client.diagnostics(tests, (params) => params.version === 2);
    assert.deepEqual(rules(published.diagnostics), []);
  });

  it('applies the #[allow] of the mod declaration, and nothing else, in the tree', async () => {
    assert.deepEqual(await open(uri('linux/rust/k/quiet.rs')), []);
    assert.deepEqual(await open(uri('linux/rust/k/loud.rs')), BOTH);
  });

  it('keeps every finding for the same text outside a kernel tree and in an untitled document', async () => {
    assert.deepEqual(await open(uri('plain/tests.rs')), BOTH);
    assert.deepEqual(await open('untitled:Untitled-1'), BOTH);
  });
});
