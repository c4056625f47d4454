// `rfl`: the command-line face of the toolkit, for terminals and CI. Each subcommand lives in
// src/cli/commands/ and is listed here.
import { version } from '../../package.json';
import { EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from './command';
import { buildCommand } from './commands/build';
import { clippyCommand } from './commands/clippy';
import { kernelCommand } from './commands/kernel';
import { lintCommand } from './commands/lint';
import { loadCommand } from './commands/load';
import { newCommand } from './commands/new';
import { testCommand } from './commands/test';

const COMMANDS: readonly CliCommand[] = [lintCommand, newCommand, buildCommand, clippyCommand, loadCommand, testCommand, kernelCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `rfl ${version}: Rust-for-Linux kernel module toolkit\n\nusage: rfl COMMAND [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "rfl COMMAND --help" for a command's options.\n`;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overview());
    return name === undefined ? EXIT_USAGE_OR_IO : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`rfl ${version}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`rfl: unknown command "${name}"\n\n${overview()}`);
    return EXIT_USAGE_OR_IO;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`rfl ${name}: ${(error as Error).message}\n\n${command.usage}\n`);
      return EXIT_USAGE_OR_IO;
    }
    throw error;
  }
}

/** Runs `rfl` with this process's arguments and streams, setting its exit status. */
export function runFromProcess(): void {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`rfl: internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT_USAGE_OR_IO;
    },
  );
}

if (require.main === module) runFromProcess();
