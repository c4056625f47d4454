// The server lifecycle of LSP 3.17, checked for every message before any handler sees it:
// - before `initialize`: a request gets error -32002 (ServerNotInitialized), a notification is
//   dropped, except `exit`;
// - `initialize` only once;
// - after `shutdown`: a request gets -32600 (InvalidRequest), a notification is dropped, except `exit`;
// - `exit` ends the process with 0 after `shutdown`, else 1.
// Params are checked against what each method needs (paramChecks.ts): a request with missing or
// malformed params gets -32602 (InvalidParams) naming the field, never a handler's TypeError.
// https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#lifeCycleMessages
import { checkParams } from './paramChecks';

export const ErrorCodes = {
  ParseError: -32700,
  InvalidRequest: -32600,
  InvalidParams: -32602,
  ServerNotInitialized: -32002,
} as const;

export type RequestId = number | string | null;

/** What to do with one incoming message. */
export type Verdict =
  | { action: 'pass' }
  | { action: 'reject'; id: RequestId; code: number; message: string }
  | { action: 'drop'; why: string }
  | { action: 'exit'; code: 0 | 1 };

/** A JSON-RPC message as received: anything that parsed as JSON. */
export type RawMessage = Record<string, unknown>;

function isId(value: unknown): value is number | string {
  return typeof value === 'number' || typeof value === 'string';
}

/** JSON-RPC 2.0's shape rules; returns what is wrong, or undefined. */
function shapeError(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return Array.isArray(message) ? 'batch messages (JSON arrays) are not part of LSP' : 'a message must be a JSON object';
  }
  const record = message as RawMessage;
  if (record.jsonrpc !== '2.0') return 'a message must have "jsonrpc": "2.0"';
  if ('method' in record) {
    if (typeof record.method !== 'string') return '"method" must be a string';
    if ('id' in record && !isId(record.id)) return '"id" must be a number or a string';
    // null is taken as no params: eglot sends `"params": null` with shutdown and exit.
    if (record.params !== undefined && record.params !== null && typeof record.params !== 'object')
      return '"params" must be an object or an array';
    return undefined;
  }
  if (!('id' in record)) return 'a message must have a "method" (request or notification) or an "id" (response)';
  return undefined;
}

export class Lifecycle {
  private state: 'new' | 'running' | 'shutDown' = 'new';

  get shutdownReceived(): boolean {
    return this.state === 'shutDown';
  }

  admit(message: unknown): Verdict {
    const problem = shapeError(message);
    if (problem) {
      const id = (message as RawMessage | null)?.id;
      return { action: 'reject', id: isId(id) ? id : null, code: ErrorCodes.InvalidRequest, message: `Invalid request: ${problem}` };
    }
    const record = message as RawMessage;
    if (typeof record.method !== 'string') return { action: 'pass' }; // a response to one of our requests
    const method = record.method;
    const isRequest = 'id' in record;
    const id = isRequest ? (record.id as number | string) : null;
    if (method === 'exit') return { action: 'exit', code: this.state === 'shutDown' ? 0 : 1 };
    if (method === 'initialize' && !isRequest) return { action: 'drop', why: 'initialize sent as a notification' };
    if (this.state === 'new' && method !== 'initialize') {
      return isRequest
        ? {
            action: 'reject',
            id,
            code: ErrorCodes.ServerNotInitialized,
            message: `${method}: the server is not initialized yet; send "initialize" first`,
          }
        : { action: 'drop', why: `${method} before initialize` };
    }
    if (this.state === 'shutDown') {
      return isRequest
        ? {
            action: 'reject',
            id,
            code: ErrorCodes.InvalidRequest,
            message: `${method}: the server is shutting down ("shutdown" was received); only "exit" is accepted`,
          }
        : { action: 'drop', why: `${method} after shutdown` };
    }
    if (method === 'initialize' && this.state === 'running') {
      return {
        action: 'reject',
        id,
        code: ErrorCodes.InvalidRequest,
        message: 'initialize: the server is already initialized ("initialize" may be sent only once)',
      };
    }
    const paramProblem = checkParams(method, record.params);
    if (paramProblem) {
      return isRequest
        ? { action: 'reject', id, code: ErrorCodes.InvalidParams, message: `${method}: ${paramProblem}` }
        : { action: 'drop', why: `${method} with invalid params: ${paramProblem}` };
    }
    if (isRequest && method === 'initialize') this.state = 'running';
    if (isRequest && method === 'shutdown') this.state = 'shutDown';
    return { action: 'pass' };
  }
}
