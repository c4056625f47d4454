// Reads LSP messages from a stream (stdin) and lets through only what the lifecycle admits. Every
// message that cannot be used is answered or logged, never ignored in silence: a broken frame or
// bad JSON gets a ParseError (-32700, id null, as JSON-RPC asks when the id cannot be known), a
// malformed message InvalidRequest, and the lifecycle's own errors (lifecycle.ts). `exit` and the
// end of the input end the process through `onExit`.
import { AbstractMessageReader, type DataCallback, type Disposable, type Message } from 'vscode-languageserver/node';
import { FrameParser } from './frameParser';
import { ErrorCodes, Lifecycle, type RequestId } from './lifecycle';

export interface ReaderHooks {
  /** Sends a JSON-RPC error response (through the connection's writer). */
  reply(id: RequestId, code: number, message: string): void;
  /** Writes a line to the server's log (stderr). */
  log(line: string): void;
  /** Ends the process: `exit` arrived, or the input closed. */
  exit(code: 0 | 1): void;
}

export class StdioMessageReader extends AbstractMessageReader {
  private readonly frames = new FrameParser();
  readonly lifecycle = new Lifecycle();

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly hooks: ReaderHooks,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const onData = (chunk: Buffer | string) => this.onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, callback);
    const onEnd = () => {
      const pending = this.frames.pending();
      this.hooks.log(`input closed${pending ? ` with ${pending}` : ''}; exiting`);
      this.hooks.exit(this.lifecycle.shutdownReceived ? 0 : 1);
    };
    this.input.on('data', onData);
    this.input.on('end', onEnd);
    this.input.on('close', onEnd);
    return {
      dispose: () => {
        this.input.off('data', onData);
        this.input.off('end', onEnd);
        this.input.off('close', onEnd);
      },
    };
  }

  private onData(chunk: Buffer, callback: DataCallback): void {
    for (const event of this.frames.push(chunk)) {
      if (event.kind === 'error') {
        this.hooks.log(`unreadable message: ${event.message}; skipping to the next Content-Length header`);
        this.hooks.reply(null, ErrorCodes.ParseError, `Parse error: ${event.message}`);
        continue;
      }
      let message: unknown;
      try {
        message = JSON.parse(event.body.toString('utf8'));
      } catch (error) {
        const problem = `the ${event.body.length}-byte message body is not valid JSON (${(error as Error).message})`;
        this.hooks.log(`unreadable message: ${problem}`);
        this.hooks.reply(null, ErrorCodes.ParseError, `Parse error: ${problem}`);
        continue;
      }
      this.deliver(message, callback);
    }
  }

  private deliver(message: unknown, callback: DataCallback): void {
    const verdict = this.lifecycle.admit(message);
    switch (verdict.action) {
      case 'pass':
        callback(message as Message);
        return;
      case 'reject':
        this.hooks.log(`answered with error ${verdict.code}: ${verdict.message}`);
        this.hooks.reply(verdict.id, verdict.code, verdict.message);
        return;
      case 'drop':
        this.hooks.log(`ignored a notification: ${verdict.why}`);
        return;
      case 'exit':
        this.hooks.exit(verdict.code);
        return;
    }
  }
}
