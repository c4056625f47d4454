// Line starts of a text, for clippy's line-based comment search and for position conversion.
// Offsets and columns are UTF-16 code units, like JavaScript strings, tree-sitter's web binding
// and LSP's default position encoding.

export class LineIndex {
  protected readonly starts: number[];

  /** `starts`: the line starts of `text`, when another index of the same text already holds them. */
  constructor(readonly text: string, starts?: number[]) {
    if (starts === undefined) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** End of the line's content, before its line break. */
  lineEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text[next - 2] === '\r' ? next - 2 : next - 1;
  }

  /** The line's text without its line break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Column counted in Unicode scalar values (what rustc and clippy report), 0-based. */
  charColumn(line: number, utf16Column: number): number {
    const start = this.lineStart(line);
    let column = 0;
    for (let i = start; i < start + utf16Column; i++) {
      const code = this.text.charCodeAt(i);
      if (code < 0xdc00 || code > 0xdfff) column++;
    }
    return column;
  }
}
