// The base protocol's framing: `Content-Length: N\r\n` (other header fields allowed), an empty line,
// then N bytes of JSON. A frame this cannot read is reported, never silently waited on: a header
// without a valid Content-Length yields an error and the parser skips to the next `Content-Length:`
// so that one broken message does not end the session.
// https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#baseProtocol

export type FrameEvent = { kind: 'body'; body: Buffer } | { kind: 'error'; message: string };

/** A header block longer than this is not a header (it is junk, or a body sent without one). */
export const MAX_HEADER_BYTES = 8 * 1024;
/** Larger bodies are refused instead of being buffered (a 4 MB file is the default lint limit). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const LENGTH_FIELD = /content-length:/i;

export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);
  /** Length of the body being read, or -1 while reading a header. */
  private expected = -1;
  /** After a broken header: skipping to the next `Content-Length:`. */
  private resyncing = false;

  push(chunk: Buffer): FrameEvent[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: FrameEvent[] = [];
    for (;;) {
      if (this.resyncing && !this.resync()) return events;
      if (this.expected < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end === -1) {
          if (this.buffer.length <= MAX_HEADER_BYTES) return events;
          events.push({ kind: 'error', message: `no end of message header (an empty line) within ${MAX_HEADER_BYTES} bytes` });
          this.buffer = this.buffer.subarray(1);
          this.resyncing = true;
          continue;
        }
        const header = this.buffer.subarray(0, end).toString('latin1');
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        const length = readContentLength(header);
        if (typeof length === 'string') {
          events.push({ kind: 'error', message: length });
          this.resyncing = true;
          continue;
        }
        this.expected = length;
      }
      if (this.buffer.length < this.expected) return events;
      events.push({ kind: 'body', body: this.buffer.subarray(0, this.expected) });
      this.buffer = this.buffer.subarray(this.expected);
      this.expected = -1;
    }
  }

  /** What is left half-read (for the log when the input closes), or undefined. */
  pending(): string | undefined {
    if (this.expected >= 0) return `a message body of ${this.expected} bytes ended after ${this.buffer.length} bytes`;
    if (this.buffer.length > 0 && !this.resyncing) return `${this.buffer.length} bytes of an unfinished message header`;
    return undefined;
  }

  /** Drops bytes up to the next `Content-Length:`; false when there is none yet. */
  private resync(): boolean {
    const text = this.buffer.toString('latin1');
    const match = LENGTH_FIELD.exec(text);
    if (!match) {
      // Keep a tail that may be the start of the field name, split across chunks.
      this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - 'content-length:'.length));
      return false;
    }
    this.buffer = this.buffer.subarray(match.index);
    this.resyncing = false;
    return true;
  }
}

/** The body length a header block gives, or what is wrong with it. */
export function readContentLength(header: string): number | string {
  let length: number | string = 'message header has no Content-Length field';
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `message header line ${JSON.stringify(line.slice(0, 80))} is not "Name: value"`;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(value)) return `Content-Length ${JSON.stringify(value.slice(0, 40))} is not a number of bytes`;
    length = Number(value);
    if (length > MAX_BODY_BYTES) return `Content-Length ${value} is above the ${MAX_BODY_BYTES}-byte limit`;
  }
  return length;
}
