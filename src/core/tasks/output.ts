// What a running command writes and how it ends, for both adapters: the CLI writes the lines to
// stdout/stderr, the VS Code task to its pseudoterminal (src/client/taskRun.ts), a test to an array.

/** How a line is shown: `info` for rfl's own progress, `note` for asides, `error`/`pass` for closing lines. */
export type LineStyle = 'plain' | 'info' | 'note' | 'error' | 'pass';

export interface OutputSink {
  /**
   * One line of output, without its newline. `stream` says where the tool wrote it, for a terminal
   * that keeps the two apart.
   */
  line(text: string, style?: LineStyle, stream?: 'stdout' | 'stderr'): void;
}

export interface TaskOutcome {
  /** exitCodes.ts */
  exitCode: number;
  ok: boolean;
  /** One line that says how the run ended (the status bar and the terminal's last line show it). */
  summary: string;
}
