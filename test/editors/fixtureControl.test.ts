// The control for the editor tier's "rule turned off" assertions: with default settings the server does
// report safety_comment_style on the SAFETY fixture, so its absence in the editors comes from the
// README's configuration, not from a fixture that never triggers it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspTestClient, rules } from '../support/lspClient';
import { SAFETY_SOURCE } from './workspace';

describe('the editor tier fixture with default settings', () => {
  let client: LspTestClient;
  const uri = 'file:///tmp/rfl-editors-control/safety.rs';

  before(async () => {
    client = await LspTestClient.start({});
  });
  after(async () => {
    await client.stop();
  });

  it('gets the style hint that the README configurations turn off', async () => {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'rust', version: 1, text: SAFETY_SOURCE },
    });
    const published = await client.diagnostics(uri);
    assert.deepEqual(rules(published.diagnostics), [
      '1:undocumented_unsafe_blocks',
      '5:undocumented_unsafe_blocks',
      '8:safety_comment_style',
    ]);
  });
});
