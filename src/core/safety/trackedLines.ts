// A LineIndex that remembers which lines a lint of one region read. The findings of a region can be
// reused after an edit only if every line they were computed from is unchanged, and clippy's comment
// search walks up (and the SAFETY-tag scans walk down) an open-ended number of lines: recording the
// lines actually read is simpler and safer than predicting them.
import { LineIndex } from '../parse/lineIndex';

export class TrackedLines extends LineIndex {
  /** Lowest and highest line read so far (Infinity / -Infinity before any read). */
  minLine = Infinity;
  maxLine = -Infinity;

  constructor(base: LineIndex) {
    super(base.text, (base as TrackedLines).data);
  }

  private read(line: number): void {
    if (line < this.minLine) this.minLine = line;
    if (line > this.maxLine) this.maxLine = line;
  }

  /** Records a read of the text at `offset` made without going through the line methods. */
  touch(offset: number): void {
    this.read(super.lineOf(offset));
  }

  override lineStart(line: number): number {
    this.read(line);
    return super.lineStart(line);
  }

  override lineEnd(line: number): number {
    this.read(line);
    return super.lineEnd(line);
  }

  override lineText(line: number): string {
    this.read(line);
    return super.lineText(line);
  }

  override indentWidth(line: number): number {
    this.read(line);
    return super.indentWidth(line);
  }

  override contentEnd(line: number): number {
    this.read(line);
    return super.contentEnd(line);
  }

  override lineOf(offset: number): number {
    const line = super.lineOf(offset);
    this.read(line);
    return line;
  }
}
