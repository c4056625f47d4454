// The language server driven byte by byte over stdio, for protocol tests that need what a real
// client library never sends: broken headers, truncated bodies, requests out of order.
import { spawn, type ChildProcess } from 'node:child_process';
import { FrameParser } from '../../src/server/transport/frameParser';
import { SERVER } from './lspClient';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class RawServer {
  readonly received: Json[] = [];
  readonly stderr: string[] = [];
  private readonly waiters: { predicate: (message: Json) => boolean; resolve: (message: Json) => void }[] = [];
  readonly exited: Promise<Exit>;

  private constructor(readonly child: ChildProcess) {
    const frames = new FrameParser();
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const event of frames.push(chunk)) {
        if (event.kind !== 'body') throw new Error(`the server wrote a broken frame: ${event.message}`);
        const message = JSON.parse(event.body.toString('utf8')) as Json;
        this.received.push(message);
        for (const waiter of [...this.waiters]) {
          if (waiter.predicate(message)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(message);
          }
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    child.stdin!.on('error', () => {}); // writes after the server exited
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(args: string[] = ['--stdio']): RawServer {
    return new RawServer(spawn(process.execPath, [SERVER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  /** Writes bytes as they are (no framing). */
  sendRaw(bytes: string | Buffer): void {
    this.child.stdin!.write(bytes);
  }

  send(message: Json): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.sendRaw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'latin1'), body]));
  }

  next(predicate: (message: Json) => boolean, timeoutMs = 10_000): Promise<Json> {
    const seen = this.received.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.received)}; stderr: ${this.stderr.join('')}`),
          ),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  response(id: number | string | null): Promise<Json> {
    return this.next((message) => message.id === id && !('method' in message));
  }

  async request(id: number, method: string, params?: unknown): Promise<Json> {
    this.send(params === undefined ? { id, method } : { id, method, params });
    return this.response(id);
  }

  async initialize(capabilities: Json = {}): Promise<Json> {
    const result = await this.request(0, 'initialize', { processId: process.pid, rootUri: null, capabilities });
    this.send({ method: 'initialized', params: {} });
    return result;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
