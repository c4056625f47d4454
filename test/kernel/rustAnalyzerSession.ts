// A real rust-analyzer LSP session over stdio for the rust-analyzer tests: started in a module
// folder (where it finds rust-project.json) in its own process group, killed as a group on close.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/** LSP's "content modified": rust-analyzer answers it while the workspace loads. */
const CONTENT_MODIFIED = -32801;

export class RustAnalyzerSession {
  private readonly connection: ProtocolConnection;
  /** Every publishDiagnostics, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly listeners: (() => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    settings: object | null,
  ) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    // rust-analyzer asks for its configuration (`settings`; null: its defaults), progress tokens and capability registrations.
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
    for (const method of [
      'window/workDoneProgress/create',
      'client/registerCapability',
      'client/unregisterCapability',
      'workspace/semanticTokens/refresh',
      'workspace/inlayHint/refresh',
      'workspace/codeLens/refresh',
      'workspace/diagnostic/refresh',
    ]) {
      this.connection.onRequest(method, () => null);
    }
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const listener of [...this.listeners]) listener();
    });
    this.connection.listen();
  }

  /** rust-analyzer `ra` started and initialized in `folder`, with `settings` as VS Code's `rust-analyzer.*` would give them. */
  static async start(ra: string, folder: string, settings: object | null = null): Promise<RustAnalyzerSession> {
    const child = spawn(ra, [], { cwd: folder, stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    const session = new RustAnalyzerSession(child, settings);
    const uri = pathToFileURL(folder).toString();
    await session.connection.sendRequest('initialize', {
      processId: process.pid,
      initializationOptions: settings,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'module' }],
      capabilities: {
        textDocument: {
          definition: { linkSupport: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true },
        },
        window: { workDoneProgress: true },
      },
    });
    await session.connection.sendNotification('initialized', {});
    return session;
  }

  async open(file: string): Promise<string> {
    const uri = pathToFileURL(file).toString();
    const text = readFileSync(file, 'utf8');
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
    return uri;
  }

  async save(file: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didSave', { textDocument: { uri: pathToFileURL(file).toString() } });
  }

  /**
   * Sends `method` until `accept` takes its answer (asking again every 2 s while the workspace
   * loads and the answer is "content modified" or not yet accepted); undefined at the deadline.
   */
  async ask<T>(method: string, params: unknown, accept: (result: T | null) => boolean, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const result = await this.connection.sendRequest<T | null>(method, params).catch((error: { code?: number }) => {
        if (error.code === CONTENT_MODIFIED) return null;
        throw error;
      });
      if (accept(result)) return result ?? undefined;
      await delay(2000);
    }
    return undefined;
  }

  /** The first publish (already received or to come) that `predicate` takes; undefined at the deadline. */
  waitForDiagnostics(
    predicate: (params: PublishDiagnosticsParams) => boolean,
    timeoutMs: number,
  ): Promise<PublishDiagnosticsParams | undefined> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.published.find(predicate);
        if (!found) return;
        clearTimeout(timer);
        this.listeners.splice(this.listeners.indexOf(check), 1);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.listeners.splice(this.listeners.indexOf(check), 1);
        resolve(undefined);
      }, timeoutMs);
      this.listeners.push(check);
      check();
    });
  }

  close(): void {
    this.connection.dispose();
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
