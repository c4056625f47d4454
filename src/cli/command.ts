// The shape of an `rfl` subcommand, and the error type for bad command lines (exit status 2).

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** stderr is a terminal: progress may redraw one line instead of printing many. */
  stderrIsTerminal?: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Runs the command; resolves to the process exit status. */
  run(args: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE_OR_IO = 2;
