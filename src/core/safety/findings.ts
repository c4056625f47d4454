// What a rule reports: plain data with 0-based UTF-16 positions, free of any editor's types.
import type { RuleName } from './rules';

export interface Position {
  line: number;
  character: number;
}

export interface TextRange {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: TextRange;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Where the inserted text leaves a placeholder for the user to fill in, after the edits apply. */
  placeholder?: TextRange;
}

export interface Finding {
  rule: RuleName;
  message: string;
  /** The span clippy reports (for multi-line code, its first line). */
  range: TextRange;
  /** The whole unsafe block or impl, for highlighting; absent where it equals `range`. */
  extent?: TextRange;
  fixes: Fix[];
}
