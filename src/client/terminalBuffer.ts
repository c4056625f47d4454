// The text side of a task's pseudoterminal, without `vscode`: lines written before VS Code calls
// open() are kept and flushed then (a Pseudoterminal's onDidWrite events fired before open() are
// lost), and each line becomes terminal text: CRLF, control characters of the guest console made
// harmless, rfl's own lines coloured. The closing exit code is likewise held until open().
import type { LineStyle, OutputSink } from '../core/tasks/output';

const STYLES: Record<LineStyle, [string, string]> = {
  plain: ['', ''],
  info: ['\x1b[2m', '\x1b[0m'],
  note: ['\x1b[2m', '\x1b[0m'],
  error: ['\x1b[1;31m', '\x1b[0m'],
  pass: ['\x1b[1;32m', '\x1b[0m'],
};

/** At most this many characters are kept before open(); a run rarely writes anything before it. */
const MAX_PENDING_CHARS = 1_000_000;

export class TerminalBuffer implements OutputSink {
  private pending: string[] = [];
  private pendingChars = 0;
  private dropped = 0;
  private opened = false;
  private closed = false;
  private exitCode: number | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly close: (exitCode: number) => void,
  ) {}

  line(text: string, style: LineStyle = 'plain'): void {
    const [start, end] = STYLES[style];
    this.send(`${start}${terminalSafe(text)}${end}\r\n`);
  }

  /** VS Code opened the terminal: everything held so far is written, then the exit if it came. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    if (this.dropped > 0) this.write(`\x1b[2m[${this.dropped} earlier lines not shown]\x1b[0m\r\n`);
    for (const text of this.pending) this.write(text);
    this.pending = [];
    if (this.exitCode !== undefined) this.end(this.exitCode);
  }

  /** The run is over: close the terminal with this code now, or right after open(). */
  finish(exitCode: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = exitCode;
    if (this.opened) this.end(exitCode);
  }

  /** The user closed the terminal: nothing more is written. */
  discard(): void {
    this.closed = true;
    this.pending = [];
  }

  private end(exitCode: number): void {
    if (this.closed) return;
    this.closed = true;
    this.close(exitCode);
  }

  private send(text: string): void {
    if (this.closed) return;
    if (this.opened) {
      this.write(text);
      return;
    }
    this.pending.push(text);
    this.pendingChars += text.length;
    while (this.pendingChars > MAX_PENDING_CHARS && this.pending.length > 1) {
      this.pendingChars -= this.pending.shift()?.length ?? 0;
      this.dropped++;
    }
  }
}

/**
 * A console line as plain text: the guest's escape sequences (SeaBIOS clears the screen, sets
 * modes) and other control characters would otherwise act on the task terminal. Tabs stay.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[^[]?/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
