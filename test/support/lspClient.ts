// A real LSP client over stdio for tests and benchmarks: starts dist/server.js as an editor would
// and speaks JSON-RPC to it with vscode-languageserver-protocol.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER = path.resolve(__dirname, '..', '..', 'dist', 'server.js');

/** What VS Code's client offers, as far as this server looks (diagnostics pushed, not pulled). */
export const RICH_CLIENT: ClientCapabilities = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

interface Waiter {
  uri: string;
  predicate: (params: PublishDiagnosticsParams) => boolean;
  resolve: (params: PublishDiagnosticsParams) => void;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly waiters: Waiter[] = [];
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  /** Every publish, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly stderr: string[] = [];

  initializeResult: InitializeResult | undefined;

  /** The server started and connected, not yet initialized. */
  static spawn(): LspTestClient {
    return new LspTestClient(spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  private constructor(readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, params);
      this.published.push(params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.predicate(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params);
        }
      }
    });
    this.connection.listen();
  }

  /** Starts the server and initializes it (by default as a client that takes snippets and markdown, and gets diagnostics pushed). */
  static async start(initializationOptions: unknown = {}, capabilities: ClientCapabilities = RICH_CLIENT): Promise<LspTestClient> {
    const client = LspTestClient.spawn();
    await client.initialize(initializationOptions, capabilities);
    return client;
  }

  /** initialize and initialized (for a client from spawn(), once its handlers for server requests are set). */
  async initialize(initializationOptions: unknown, capabilities: ClientCapabilities): Promise<InitializeResult> {
    this.initializeResult = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return this.initializeResult;
  }

  /** Resolves with the next diagnostics for `uri` that satisfy `predicate` (or the latest, if they do). */
  diagnostics(
    uri: string,
    predicate: (params: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    const current = this.latest.get(uri);
    if (current && predicate(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`)),
        timeoutMs,
      );
      this.waiters.push({
        uri,
        predicate,
        resolve: (params) => {
          clearTimeout(timer);
          resolve(params);
        },
      });
    });
  }

  /** Drops the remembered diagnostics so that the next wait sees only new ones. */
  forget(uri: string): void {
    this.latest.delete(uri);
  }

  async stop(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; it is killed below either way.
    }
    this.connection.dispose();
    this.child.kill();
  }
}

export function rules(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${String(d.code)}`);
}
