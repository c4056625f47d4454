// Line starts of a text, for clippy's line-based comment search and for position conversion.
// Offsets and columns are UTF-16 code units, like JavaScript strings, tree-sitter's web binding
// and LSP's default position encoding.

/** What every view of one text shares: its line starts, and per-line facts computed on first use. */
export interface LineData {
  starts: number[];
  /** Per line: UTF-16 length of its leading whitespace, or -1 before it is known. */
  indents?: Int32Array;
  /** Per line: offset in the line where its trailing whitespace starts, or -1 before it is known. */
  contentEnds?: Int32Array;
  /** Results of searches over the lines that rules repeat for code on one line (see commentScan.ts). */
  memo: Map<string, unknown>;
  untracked?: LineIndex;
}

export class LineIndex {
  protected readonly data: LineData;

  /** `data`: the line data of `text`, when another index of the same text already holds them. */
  constructor(
    readonly text: string,
    data?: LineData,
  ) {
    if (data === undefined) {
      const starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      data = { starts, memo: new Map() };
    }
    this.data = data;
  }

  protected get starts(): number[] {
    return this.data.starts;
  }

  /**
   * Length of the line's leading whitespace (`lineText(line).trimStart()` starts there). Remembered:
   * a text without line feeds is one line, which every finding in it would otherwise trim again.
   */
  indentWidth(line: number): number {
    const indents = (this.data.indents ??= new Int32Array(this.lineCount).fill(-1));
    if (indents[line]! < 0) {
      const text = this.lineText(line);
      indents[line] = text.length - text.trimStart().length;
    }
    return indents[line]!;
  }

  /** Length of the line without its trailing whitespace (`lineText(line).trimEnd().length`), remembered. */
  contentEnd(line: number): number {
    const ends = (this.data.contentEnds ??= new Int32Array(this.lineCount).fill(-1));
    if (ends[line]! < 0) ends[line] = this.lineText(line).trimEnd().length;
    return ends[line]!;
  }

  /** `lineText(line).trimStart()`, without trimming again. */
  trimmedStart(line: number): string {
    return this.text.slice(this.lineStart(line) + this.indentWidth(line), this.lineEnd(line));
  }

  /** A view of the same text whose reads are not recorded (see TrackedLines). */
  get untracked(): LineIndex {
    return (this.data.untracked ??= new LineIndex(this.text, this.data));
  }

  /** A per-text memo for results that depend only on the text. */
  get memo(): Map<string, unknown> {
    return this.data.memo;
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
