// Check on save over stdio, where no built kernel is needed: a save that comes before the client's
// settings are known (a file saved as eglot connects: its didSave came before eglot's
// workspace/configuration answer) is checked with those settings, and a check that cannot run says why
// in window/showMessage, a notification, not a request that waits for a choice (eglot prompts "Choose an
// option" for one).
// The compiler's verdicts themselves are tested on the built test kernels (test/kernel/check.test.ts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { LspTestClient, RICH_CLIENT } from '../support/lspClient';

const WAIT_MS = 15_000;
/** A kernel source tree, not built: the server checks nothing against it, and says so in its log. */
const KERNEL_6_1 = path.join(__dirname, '..', 'fixtures', 'kernels', 'linux-6.1-makefile-only');

/** A module folder (Kbuild and one file) in a temporary folder. */
function moduleFolder(root: string): { uri: string; text: string } {
  const dir = path.join(root, 'check_early');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'Kbuild'), 'obj-m := check_early.o\n');
  const text = 'fn f() {}\n';
  const file = path.join(dir, 'check_early.rs');
  writeFileSync(file, text);
  return { uri: pathToFileURL(file).toString(), text };
}

/** Resolves once the server's log (stderr) has a line matching `pattern`. */
async function logLine(client: LspTestClient, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const line = client.stderr
      .join('')
      .split('\n')
      .find((candidate) => pattern.test(candidate));
    if (line) return line;
    if (Date.now() > deadline)
      throw new Error(`no server log line like ${String(pattern)} within ${WAIT_MS} ms; log:\n${client.stderr.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('check on save without a built kernel', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rfl-check-early-'));
  const clients: LspTestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((client) => client.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  it('a save before the workspace/configuration answer is checked with the answered settings', async () => {
    const { uri, text } = moduleFolder(mkdtempSync(path.join(root, 'early-')));
    const client = LspTestClient.spawn();
    clients.push(client);
    const said: string[] = [];
    client.connection.onNotification('window/showMessage', (params: { message: string }) => {
      said.push(params.message);
    });
    client.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      said.push(params.message);
      return null;
    });
    client.connection.onRequest('client/registerCapability', () => null);
    client.connection.onRequest('workspace/configuration', async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      return [{ kernelDir: KERNEL_6_1 }];
    });
    await client.initialize({}, { ...RICH_CLIENT, workspace: { configuration: true } });
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    // Checked against the configured kernel (which is not built, so no compiler runs), not without one.
    await logLine(client, new RegExp(`check check_early: ${KERNEL_6_1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a built Rust kernel`));
    assert.doesNotMatch(client.stderr.join(''), /could not run/);
    assert.deepEqual(said, []);
  });

  it('a check that cannot run says why in window/showMessage, a notification', async () => {
    const { uri, text } = moduleFolder(mkdtempSync(path.join(root, 'failing-')));
    // Looks built (rust/libkernel.rmeta) but has no Makefile: the check fails at once, with the reason.
    const kernelDir = mkdtempSync(path.join(root, 'kernel-'));
    mkdirSync(path.join(kernelDir, 'rust'));
    writeFileSync(path.join(kernelDir, 'rust', 'libkernel.rmeta'), '');
    const client = LspTestClient.spawn();
    clients.push(client);
    const requests: string[] = [];
    client.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      requests.push(params.message);
      return null;
    });
    const shown = new Promise<{ type: number; message: string }>((resolve) =>
      client.connection.onNotification('window/showMessage', (params: { type: number; message: string }) => resolve(params)),
    );
    await client.initialize({ settings: { kernelDir } }, RICH_CLIENT);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
    const timeout = new Promise<never>((_resolve, reject) =>
      setTimeout(() => reject(new Error(`no window/showMessage within ${WAIT_MS} ms; log:\n${client.stderr.join('')}`)), WAIT_MS).unref(),
    );
    const message = await Promise.race([shown, timeout]);
    assert.equal(message.type, 2, 'a warning');
    assert.match(message.message, /^Rust for Linux: checking check_early with the kernel's rustc and clippy failed: \S/);
    assert.deepEqual(requests, []);
  });
});
