// The base protocol and lifecycle of LSP 3.17, driven over real stdio with hand-made frames: broken
// headers and bodies get a parse error and the session goes on, requests out of order get the
// error codes the specification gives, bad params a clear InvalidParams, and `exit`, a closed input
// and a missing `--stdio` end the process promptly with the right exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { SERVER } from '../support/lspClient';
import { RawServer, type Exit } from '../support/rawLsp';

/** How long an exit may take: generous for a loaded machine, far below "goes silent". */
const EXIT_WITHIN_MS = 3_000;

async function exitsWithin(server: RawServer, ms = EXIT_WITHIN_MS): Promise<Exit & { ms: number }> {
  const started = performance.now();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`server still running after ${ms} ms; stderr: ${server.stderr.join('')}`)), ms).unref(),
  );
  const exit = await Promise.race([server.exited, timeout]);
  return { ...exit, ms: performance.now() - started };
}

async function withServer(body: (server: RawServer) => Promise<void>): Promise<void> {
  const server = RawServer.start();
  try {
    await body(server);
  } finally {
    server.kill();
  }
}

describe('LSP base protocol over stdio', () => {
  it('prints a usage line and exits 2 without --stdio (no stack trace)', () => {
    for (const args of [[], ['--socket=5000']]) {
      const result = spawnSync(process.execPath, [SERVER, ...args], { encoding: 'utf8', timeout: 10_000 });
      assert.equal(result.status, 2, `exit code for ${JSON.stringify(args)}`);
      assert.match(result.stderr, /^usage: node server\.js --stdio/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'stack trace');
    }
  });

  it('answers a request before initialize with -32002 and drops notifications', () =>
    withServer(async (server) => {
      server.send({
        method: 'textDocument/didOpen',
        params: { textDocument: { uri: 'file:///a.rs', languageId: 'rust', version: 1, text: 'fn f() {}' } },
      });
      const early = await server.request(1, 'textDocument/hover', {
        textDocument: { uri: 'file:///a.rs' },
        position: { line: 0, character: 0 },
      });
      assert.equal(early.error?.code, -32002);
      assert.match(early.error.message, /not initialized/);
      const init = await server.initialize();
      assert.ok(init.result?.capabilities, JSON.stringify(init));
      const again = await server.request(2, 'initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.equal(again.error?.code, -32600);
    }));

  it('answers a broken Content-Length with a parse error, logs it, and reads the next message', () =>
    withServer(async (server) => {
      for (const header of [
        'Content-Length: abc\r\n\r\n',
        'Content-Type: application/json\r\n\r\n',
        'Content-Length: -5\r\n\r\n',
        'garbage\r\n\r\n',
      ]) {
        server.received.length = 0;
        server.sendRaw(`${header}{"jsonrpc":"2.0","id":99,"method":"shutdown"}`);
        const error = await server.response(null);
        assert.equal(error.error?.code, -32700, header);
        assert.match(error.error.message, /Content-Length|header/);
        const init = await server.request(1, 'textDocument/hover', {
          textDocument: { uri: 'file:///x.rs' },
          position: { line: 0, character: 0 },
        });
        assert.equal(init.error?.code, -32002, `the message after ${JSON.stringify(header)} is read`);
      }
      assert.match(server.stderr.join(''), /unreadable message: .*Content-Length/);
    }));

  it('answers a truncated or invalid body with a parse error (-32700) and goes on', () =>
    withServer(async (server) => {
      const truncated = '{"jsonrpc":"2.0","id":5,"method":"initia';
      server.sendRaw(`Content-Length: ${truncated.length}\r\n\r\n${truncated}`);
      const error = await server.response(null);
      assert.equal(error.error?.code, -32700);
      assert.match(error.error.message, /not valid JSON/);
      // A body shorter than its Content-Length swallows the start of the next message: that one is
      // lost (a parse error), the one after it is read again.
      server.received.length = 0;
      server.sendRaw('Content-Length: 60\r\n\r\n{"jsonrpc":"2.0","id":6,"method":"shutdown"}');
      server.send({ id: 7, method: 'shutdown' });
      assert.equal((await server.response(null)).error?.code, -32700);
      const init = await server.initialize();
      assert.ok(init.result?.capabilities);
      const batch = '[]';
      server.received.length = 0;
      server.sendRaw(`Content-Length: ${batch.length}\r\n\r\n${batch}`);
      assert.equal((await server.response(null)).error?.code, -32600);
    }));

  it('answers missing or malformed params with -32602 naming the field', () =>
    withServer(async (server) => {
      await server.initialize();
      const cases: [string, unknown, RegExp][] = [
        ['textDocument/hover', undefined, /params must be an object \(missing\)/],
        ['textDocument/hover', { textDocument: { uri: 'file:///a.rs' } }, /params\.position must be an object/],
        [
          'textDocument/completion',
          { textDocument: { uri: 'file:///a.rs' }, position: { line: 'x', character: 0 } },
          /params\.position\.line must be a non-negative integer \(got "x"\)/,
        ],
        ['textDocument/codeAction', { textDocument: { uri: 1 }, range: {}, context: {} }, /params\.textDocument\.uri must be a string/],
        ['textDocument/diagnostic', {}, /params\.textDocument must be an object/],
      ];
      let id = 10;
      for (const [method, params, message] of cases) {
        const answer = await server.request(id++, method, params);
        assert.equal(answer.error?.code, -32602, `${method} ${JSON.stringify(params)}: ${JSON.stringify(answer)}`);
        assert.match(answer.error.message, message);
        assert.doesNotMatch(answer.error.message, /TypeError|undefined \(reading/);
      }
      // A notification with bad params is dropped (and logged); the server goes on.
      server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///a.rs' } } });
      const alive = await server.request(id, 'textDocument/hover', {
        textDocument: { uri: 'file:///a.rs' },
        position: { line: 0, character: 0 },
      });
      assert.equal(alive.result, null);
      assert.match(server.stderr.join(''), /didOpen with invalid params/);
    }));

  it('refuses requests after shutdown with -32600 and exits 0 on exit, promptly', () =>
    withServer(async (server) => {
      await server.initialize();
      // As eglot sends them: `"params": null` on shutdown and exit.
      assert.equal((await server.request(1, 'shutdown', null)).result, null);
      const late = await server.request(2, 'textDocument/hover', {
        textDocument: { uri: 'file:///a.rs' },
        position: { line: 0, character: 0 },
      });
      assert.equal(late.error?.code, -32600);
      assert.match(late.error.message, /shutting down/);
      server.send({ method: 'exit', params: null });
      const exit = await exitsWithin(server);
      assert.equal(exit.code, 0);
    }));

  it('exits 1 on exit without shutdown, and before initialize', async () => {
    for (const initialize of [true, false]) {
      const server = RawServer.start();
      if (initialize) await server.initialize();
      // The server is up and reading (the time to exit counts from here).
      else assert.equal((await server.request(1, 'shutdown')).error?.code, -32002);
      server.send({ method: 'exit' });
      assert.equal((await exitsWithin(server)).code, 1, `initialized: ${initialize}`);
    }
  });

  it('exits when its input closes (0 after shutdown, else 1)', async () => {
    for (const shutdown of [true, false]) {
      const server = RawServer.start();
      await server.initialize();
      if (shutdown) await server.request(1, 'shutdown');
      server.child.stdin!.end();
      assert.equal((await exitsWithin(server)).code, shutdown ? 0 : 1, `shutdown: ${shutdown}`);
    }
  });
});
