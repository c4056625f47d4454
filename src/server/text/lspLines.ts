// Positions as LSP 3.17 defines them: a line ends at `\n`, `\r\n` or a lone `\r`, and a character
// offset counts code units of the encoding negotiated at initialize (UTF-16 unless the client offers
// UTF-8 or UTF-32). The core numbers lines by `\n` only, as rustc and tree-sitter do
// (src/core/parse/lineIndex.ts); the server meets it on plain UTF-16 string offsets, so every
// position that crosses the protocol goes through this class and nothing else.
// https://microsoft.github.io/language-server-protocol/specifications/lsp/3.17/specification/#textDocuments

export type PositionEncoding = 'utf-8' | 'utf-16' | 'utf-32';

export const SUPPORTED_ENCODINGS: readonly PositionEncoding[] = ['utf-16', 'utf-8', 'utf-32'];

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

/** Offsets into the text (UTF-16 code units, as JavaScript strings count), start inclusive, end exclusive. */
export interface OffsetRange {
  start: number;
  end: number;
}

/** Code units one code point takes in the encoding. */
function unitsOf(codePoint: number, encoding: PositionEncoding): number {
  if (encoding === 'utf-32') return 1;
  if (encoding === 'utf-16') return codePoint > 0xffff ? 2 : 1;
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

export class LspLines {
  /** UTF-16 offset where each line starts. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0a) starts.push(i + 1);
      else if (code === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset after the line's last character, before its line break. */
  private contentEnd(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return next >= 2 && this.text.charCodeAt(next - 1) === 0x0a && this.text.charCodeAt(next - 2) === 0x0d ? next - 2 : next - 1;
  }

  /**
   * The offset of a position. As the specification asks, a character beyond the line's end means the
   * line's end, and a line beyond the last means the end of the text; a position inside a code point
   * (possible in UTF-8 and UTF-16) means the start of that code point.
   */
  offsetAt(position: LspPosition, encoding: PositionEncoding): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)]!;
    const end = this.contentEnd(Math.max(0, position.line));
    if (encoding === 'utf-16') {
      const offset = Math.min(start + Math.max(0, position.character), end);
      // Never split a surrogate pair.
      const code = this.text.charCodeAt(offset);
      return offset > start && offset < end && code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
    }
    let units = 0;
    let offset = start;
    while (offset < end) {
      const codePoint = this.text.codePointAt(offset)!;
      units += unitsOf(codePoint, encoding);
      if (units > position.character) break;
      offset += codePoint > 0xffff ? 2 : 1;
    }
    return offset;
  }

  /** The position of an offset (clamped to the text; an offset inside a line break maps to the line's end). */
  positionAt(offset: number, encoding: PositionEncoding): LspPosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    const start = this.starts[low]!;
    const until = Math.min(clamped, this.contentEnd(low));
    if (encoding === 'utf-16') return { line: low, character: until - start };
    let character = 0;
    for (let i = start; i < until;) {
      const codePoint = this.text.codePointAt(i)!;
      character += unitsOf(codePoint, encoding);
      i += codePoint > 0xffff ? 2 : 1;
    }
    return { line: low, character };
  }

  rangeAt(range: OffsetRange, encoding: PositionEncoding): LspRange {
    return { start: this.positionAt(range.start, encoding), end: this.positionAt(range.end, encoding) };
  }

  offsetsOf(range: LspRange, encoding: PositionEncoding): OffsetRange {
    const start = this.offsetAt(range.start, encoding);
    return { start, end: Math.max(start, this.offsetAt(range.end, encoding)) };
  }
}
