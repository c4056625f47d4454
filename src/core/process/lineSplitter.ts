// Program output arrives in chunks that cut lines anywhere; consumers want whole lines.

/** Splits a text stream into lines, tolerating \r\n and a missing final newline. */
export class LineSplitter {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r+$/, ''));
  }
  flush(): void {
    if (this.rest !== '') this.onLine(this.rest.replace(/\r+$/, ''));
    this.rest = '';
  }
}
