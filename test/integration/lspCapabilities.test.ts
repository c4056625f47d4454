// The server honours what each client says it can do, over real stdio with a real LSP client, one
// server per row of a table that varies every capability that changes our answers: dynamic
// registration, snippets, hover markup, position encoding (UTF-8, UTF-16, UTF-32 on a line with
// non-ASCII text), pulled or pushed diagnostics, and a client that answers our requests with errors.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  ResponseError,
  type ClientCapabilities,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { LspTestClient } from '../support/lspClient';

type Encoding = 'utf-8' | 'utf-16' | 'utf-32';

interface Row {
  name: string;
  capabilities: ClientCapabilities;
  /** What the server must have chosen. */
  encoding: Encoding;
  registers: boolean;
  snippets: boolean;
  hover: 'markdown' | 'plaintext';
  pull: boolean;
  /** The client answers client/registerCapability and workspace/configuration with an error. */
  failingClient?: boolean;
}

function caps(options: {
  dynamic?: boolean;
  snippets?: boolean;
  hover?: string[];
  encodings?: string[];
  pull?: boolean;
  configuration?: boolean;
}): ClientCapabilities {
  return {
    general: options.encodings ? { positionEncodings: options.encodings } : {},
    workspace: {
      configuration: options.configuration ?? false,
      didChangeConfiguration: options.dynamic === undefined ? {} : { dynamicRegistration: options.dynamic },
      diagnostics: { refreshSupport: true },
    },
    textDocument: {
      completion: { completionItem: { snippetSupport: options.snippets ?? false, documentationFormat: ['markdown'] } },
      ...(options.hover ? { hover: { contentFormat: options.hover } } : {}),
      ...(options.pull ? { diagnostic: { dynamicRegistration: false } } : {}),
    } as ClientCapabilities['textDocument'],
  };
}

const ROWS: Row[] = [
  {
    name: 'VS Code-like: dynamic, snippets, markdown, UTF-16 by default, push',
    capabilities: caps({ dynamic: true, snippets: true, hover: ['markdown', 'plaintext'] }),
    encoding: 'utf-16',
    registers: true,
    snippets: true,
    hover: 'markdown',
    pull: false,
  },
  {
    name: 'static, plain text, UTF-8, pull',
    capabilities: caps({ dynamic: false, hover: ['plaintext'], encodings: ['utf-8'], pull: true }),
    encoding: 'utf-8',
    registers: false,
    snippets: false,
    hover: 'plaintext',
    pull: true,
  },
  {
    name: 'dynamic, no snippets, markdown, UTF-8 preferred over UTF-16, push',
    capabilities: caps({ dynamic: true, hover: ['markdown'], encodings: ['utf-8', 'utf-16'] }),
    encoding: 'utf-8',
    registers: true,
    snippets: false,
    hover: 'markdown',
    pull: false,
  },
  {
    name: 'static, snippets, plain text preferred, UTF-32, pull',
    capabilities: caps({ dynamic: false, snippets: true, hover: ['plaintext', 'markdown'], encodings: ['utf-32'], pull: true }),
    encoding: 'utf-32',
    registers: false,
    snippets: true,
    hover: 'plaintext',
    pull: true,
  },
  {
    name: 'UTF-16 preferred over UTF-8; no dynamicRegistration field',
    capabilities: caps({ snippets: true, hover: ['markdown'], encodings: ['utf-16', 'utf-8'] }),
    encoding: 'utf-16',
    registers: false,
    snippets: true,
    hover: 'markdown',
    pull: false,
  },
  {
    name: 'an unknown encoding only: UTF-16',
    capabilities: caps({ encodings: ['ucs-2'] }),
    encoding: 'utf-16',
    registers: false,
    snippets: false,
    hover: 'plaintext',
    pull: false,
  },
  {
    name: 'no capabilities at all',
    capabilities: {},
    encoding: 'utf-16',
    registers: false,
    snippets: false,
    hover: 'plaintext',
    pull: false,
  },
  {
    name: 'a client that answers registerCapability and workspace/configuration with errors',
    capabilities: caps({ dynamic: true, configuration: true, hover: ['markdown'], encodings: ['utf-8'], pull: true }),
    encoding: 'utf-8',
    registers: true,
    snippets: false,
    hover: 'markdown',
    pull: true,
    failingClient: true,
  },
];

// Non-ASCII text before `unsafe` on the same line: its column differs in every encoding.
const PREFIX = '    let _s = "ä→🦀"; let v = ';
const SOURCE = `fn first(p: *const u8) -> u8 {\n${PREFIX}unsafe { *p };\n    v\n}\n`;

function units(text: string, encoding: Encoding): number {
  return encoding === 'utf-8' ? Buffer.byteLength(text, 'utf8') : encoding === 'utf-16' ? text.length : [...text].length;
}

describe('client capabilities, one server per row', () => {
  const clients: LspTestClient[] = [];
  after(async () => {
    await Promise.all(clients.map((client) => client.stop()));
  });

  for (const row of ROWS) {
    it(row.name, async () => {
      const client = LspTestClient.spawn();
      clients.push(client);
      const registrations: string[] = [];
      client.connection.onRequest('client/registerCapability', (params: { registrations: { method: string }[] }) => {
        registrations.push(...params.registrations.map((registration) => registration.method));
        if (row.failingClient) throw new ResponseError(-32601, 'registration refused by the test client');
        return null;
      });
      client.connection.onRequest('workspace/configuration', () => {
        throw new ResponseError(-32603, 'configuration refused by the test client');
      });
      client.connection.onRequest('workspace/diagnostic/refresh', () => null);

      const init = await client.initialize({}, row.capabilities);
      assert.equal(init.capabilities.positionEncoding, row.encoding);
      assert.equal(init.capabilities.diagnosticProvider !== undefined, row.pull, 'diagnosticProvider');

      const uri = `file:///tmp/rfl-caps/${row.encoding}-${ROWS.indexOf(row)}.rs`;
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'rust', version: 1, text: SOURCE },
      });
      const diagnosticsOf = async (version: number): Promise<Diagnostic[]> => {
        if (!row.pull) return (await client.diagnostics(uri, (published) => published.version === version)).diagnostics;
        const report = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
        assert.equal(report.kind, 'full');
        return report.kind === 'full' ? report.items : [];
      };
      const [diagnostic, ...others] = await diagnosticsOf(1);
      assert.equal(others.length, 0, JSON.stringify(others));
      assert.equal(diagnostic?.code, 'undocumented_unsafe_blocks');
      assert.deepEqual(diagnostic.range.start, { line: 1, character: units(PREFIX, row.encoding) });
      assert.deepEqual(diagnostic.range.end, { line: 1, character: units(`${PREFIX}unsafe { *p }`, row.encoding) });
      if (row.pull) {
        assert.equal(client.latest.has(uri), false, 'a pull client also got diagnostics pushed');
        const first = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
        const again = await client.connection.sendRequest<DocumentDiagnosticReport>('textDocument/diagnostic', {
          textDocument: { uri },
          previousResultId: first.resultId,
        });
        assert.deepEqual(again, { kind: 'unchanged', resultId: first.resultId });
      }

      // Registration was sent (or not) on `initialized`, before the answers above.
      assert.deepEqual(registrations, row.registers ? ['workspace/didChangeConfiguration'] : []);

      const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: diagnostic.range.start,
      });
      const contents = hover?.contents as MarkupContent | undefined;
      assert.equal(contents?.kind, row.hover);
      if (row.hover === 'plaintext') assert.doesNotMatch(contents!.value, /\*\*|\]\(/, 'markdown in a plain-text hover');
      assert.match(contents!.value, /docs\.kernel\.org/);

      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: diagnostic.range,
        context: { diagnostics: [diagnostic] },
      });
      assert.ok(
        actions.some((action) => /SAFETY/.test(action.title)),
        `no SAFETY quick fix: ${JSON.stringify(actions)}`,
      );

      const items = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 4, character: 0 },
      });
      assert.ok(items.length > 0, 'no completions at the top level');
      // Completion documentation: markdown where the client lists it (every row but the bare client).
      const documentation = row.capabilities.textDocument?.completion?.completionItem?.documentationFormat ? 'markdown' : 'plaintext';
      for (const item of items) {
        assert.equal(item.insertTextFormat, row.snippets ? 2 : 1, item.label);
        assert.equal((item.documentation as MarkupContent | undefined)?.kind, documentation, item.label);
        if (documentation === 'plaintext') assert.doesNotMatch((item.documentation as MarkupContent).value, /```/);
        if (!row.snippets) assert.doesNotMatch(item.insertText ?? '', /\$\{?\d/, `${item.label} has snippet syntax`);
      }
      assert.ok(!row.snippets || items.some((item) => /\$\{\d/.test(item.insertText ?? '')), 'no placeholder in any snippet');

      // An edit in the client's encoding: a SAFETY comment inserted before `let v`, on its own line.
      // Read in another encoding, the column would land inside the string literal.
      const column = units('    let _s = "ä→🦀"; ', row.encoding);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [
          {
            range: { start: { line: 1, character: column }, end: { line: 1, character: column } },
            text: '\n    // SAFETY: `p` is valid for reads.\n    ',
          },
        ],
      });
      assert.deepEqual(await diagnosticsOf(2), []);

      assert.doesNotMatch(client.stderr.join(''), /internal error/);
      if (row.failingClient) {
        assert.match(client.stderr.join(''), /registerCapability for workspace\/didChangeConfiguration failed: registration refused/);
        assert.match(client.stderr.join(''), /workspace\/configuration failed \(configuration refused/);
      }
      assert.equal(client.child.exitCode, null, 'the server exited');
    });
  }
});
