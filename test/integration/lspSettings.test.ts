// The client's settings are in force from the first diagnostics on, whichever way the client gives
// them: initializationOptions.settings (Neovim 0.7, Helix), a workspace/configuration answer that
// comes late (VS Code, Neovim 0.11+, eglot), or a null answer that must not replace the first (Helix).
// A rule turned off never flashes, and module! messages name the configured kernel's keys at once.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ClientCapabilities } from 'vscode-languageserver-protocol';
import { LspTestClient, RICH_CLIENT, rules } from '../support/lspClient';

const KERNEL_6_1 = path.join(__dirname, '..', 'fixtures', 'kernels', 'linux-6.1-makefile-only');

const SOURCE = `use kernel::prelude::*;

module! {
    type: RustHello,
    name: b"rust_hello",
    authors: [b"Me"],
    license: b"GPL",
}

struct RustHello;

fn f(p: *const u8) -> u8 {
    // SAFETY: p is valid
    unsafe { *p }
}
`;

const SETTINGS = { kernelDir: KERNEL_6_1, lint: { severity: { safety_comment_style: 'off' } } };
const PULLS_CONFIGURATION: ClientCapabilities = { ...RICH_CLIENT, workspace: { configuration: true } };

interface Case {
  name: string;
  initializationOptions: unknown;
  capabilities: ClientCapabilities;
  /** The workspace/configuration answer, given after a delay (the server must wait for it). */
  answer?: unknown;
}

const CASES: Case[] = [
  {
    name: 'initializationOptions.settings, no workspace/configuration',
    initializationOptions: { settings: SETTINGS },
    capabilities: RICH_CLIENT,
  },
  {
    name: 'a workspace/configuration answer that comes 500 ms late',
    initializationOptions: {},
    capabilities: PULLS_CONFIGURATION,
    answer: SETTINGS,
  },
  {
    name: 'initializationOptions.settings and a null configuration answer (Helix)',
    initializationOptions: { settings: SETTINGS },
    capabilities: PULLS_CONFIGURATION,
    answer: null,
  },
  {
    name: 'settings split between initializationOptions and the configuration answer',
    initializationOptions: { settings: { kernelDir: KERNEL_6_1 } },
    capabilities: PULLS_CONFIGURATION,
    answer: { lint: SETTINGS.lint },
  },
];

describe('settings before the first diagnostics', () => {
  const clients: LspTestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((client) => client.stop()));
  });

  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const client = LspTestClient.spawn();
      clients.push(client);
      client.connection.onRequest('client/registerCapability', () => null);
      client.connection.onRequest('workspace/configuration', async (params: { items: { section?: string }[] }) => {
        assert.deepEqual(
          params.items.map((item) => item.section),
          ['rustForLinux'],
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        return [testCase.answer];
      });
      await client.initialize(testCase.initializationOptions, testCase.capabilities);
      const uri = `file:///tmp/rfl-settings/rust_hello_${CASES.indexOf(testCase)}.rs`;
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'rust', version: 1, text: SOURCE },
      });
      await client.diagnostics(uri);
      const first = client.published.find((published) => published.uri === uri)!;
      assert.ok(
        !rules(first.diagnostics).some((rule) => rule.endsWith('safety_comment_style')),
        `the rule turned off flashed: ${JSON.stringify(first.diagnostics)}`,
      );
      assert.ok(rules(first.diagnostics).includes('13:undocumented_unsafe_blocks') === false, 'the SAFETY comment is seen');
      const unknown = first.diagnostics.find((diagnostic) => diagnostic.code === 'module_unknown_key');
      assert.match(
        String(unknown?.message),
        /^unknown key "authors"\. Valid keys are: \["type", "name", "author", "description", "license", "alias"\]\. \(module! of Linux 6\.1/,
      );
    });
  }
});
