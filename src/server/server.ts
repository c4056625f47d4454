// The language server over stdio (`node dist/server.js --stdio`), for any LSP editor. This file
// only wires things up: the transport (stdioReader.ts: framing and the LSP lifecycle), the shared
// context, and the features, one per file in features/, each adding its handlers and capabilities.
import { createConnection, StreamMessageWriter, type InitializeResult, type ServerCapabilities } from 'vscode-languageserver/node';
import { negotiate } from './clientFeatures';
import { log, ServerContext, type Feature } from './context';
import { installSignalTeardown } from '../core/process/signalTeardown';
import { checkOnSave } from './features/checkOnSave';
import { codeActionFeature } from './features/codeActions';
import { completion } from './features/completion';
import { applyInitialize, configuration } from './features/configuration';
import { diagnostics } from './features/diagnostics';
import { documentSync } from './features/documentSync';
import { hovers } from './features/hover';
import { StdioMessageReader } from './transport/stdioReader';

const FEATURES: readonly Feature[] = [configuration, documentSync, diagnostics, hovers, completion, codeActionFeature, checkOnSave];

const USAGE = 'usage: node server.js --stdio   (the Rust for Linux language server speaks LSP over stdin/stdout)';

/** Adds a feature's capabilities, object by object (two features may both add to textDocumentSync). */
function mergeCapabilities(into: Record<string, unknown>, from: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    const isObject = (candidate: unknown): candidate is Record<string, unknown> =>
      typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);
    if (isObject(existing) && isObject(value)) mergeCapabilities(existing, value);
    else into[key] = value;
  }
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!args.includes('--stdio')) {
    process.stderr.write(`${USAGE}\n${args.length > 0 ? `unsupported arguments: ${args.join(' ')}\n` : ''}`);
    process.exitCode = 2;
    return;
  }

  // A background check (make, rustc) runs in its own process group: when the server ends, however it
  // ends (exit, the input closing, a signal from the editor), those groups end with it.
  installSignalTeardown();

  // A client's error answer to one of our requests must never end the server: each call site
  // handles its errors, and anything missed is logged here instead of crashing the process.
  process.on('unhandledRejection', (reason) =>
    log(`internal error (please report): unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`),
  );

  const writer = new StreamMessageWriter(process.stdout);
  // Worker threads end with the process.
  const exit = (code: 0 | 1) => process.exit(code);
  process.stdout.on('error', (error) => {
    log(`cannot write to the client (${error.message}); exiting`);
    exit(1);
  });
  const reader = new StdioMessageReader(process.stdin, {
    reply: (id, code, message) => void writer.write({ jsonrpc: '2.0', id, error: { code, message } } as never).catch(() => {}),
    log,
    exit,
  });
  const connection = createConnection(reader, writer);
  const ctx = new ServerContext(connection);

  connection.onInitialize((params): InitializeResult => {
    ctx.client = negotiate(params);
    applyInitialize(ctx, params);
    const capabilities: ServerCapabilities & Record<string, unknown> = { positionEncoding: ctx.client.positionEncoding };
    for (const feature of FEATURES) {
      mergeCapabilities(capabilities, { ...feature.capabilities?.(ctx.client, params) });
      feature.register(ctx);
    }
    return { capabilities, serverInfo: { name: 'rust-for-linux' } };
  });
  connection.onShutdown(() => ctx.lint.dispose());
  connection.listen();
}

main();
