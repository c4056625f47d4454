// `rfl`: the command-line face of the toolkit, for terminals and CI. Each subcommand is described in
// src/core/tasks and run from src/cli/commands/; commander turns the descriptions into the parser
// and the help.
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { installSignalTeardown } from '../core/process/signalTeardown';
import { EXIT_OK, EXIT_SETUP } from '../core/tasks/exitCodes';
import { addCliCommand, type CliCommand, type CliIo } from './command';
import { buildCommand } from './commands/build';
import { checkCommand } from './commands/check';
import { clippyCommand } from './commands/clippy';
import { compareCommand } from './commands/compare';
import { kernelCheckCommand, kernelPrepareCommand } from './commands/kernel';
import { lintCommand } from './commands/lint';
import { loadCommand } from './commands/load';
import { newCommand } from './commands/new';
import { rustAnalyzerCommand } from './commands/rustAnalyzer';
import { testCommand } from './commands/test';

export const CLI_COMMANDS: readonly CliCommand[] = [
  lintCommand,
  newCommand,
  buildCommand,
  clippyCommand,
  checkCommand,
  rustAnalyzerCommand,
  loadCommand,
  testCommand,
  compareCommand,
  kernelCheckCommand,
  kernelPrepareCommand,
];

/** Commands that only group subcommands (`rfl kernel check`). */
const GROUPS: Record<string, string> = {
  kernel: 'check a kernel build folder, or prepare a test kernel (kernel check | kernel prepare)',
};

/** The whole `rfl` parser, writing to `io`; `done` receives the exit status of the command that ran. */
export function cliProgram(io: CliIo, done: (status: number) => void): Command {
  const program = new Command('rfl')
    .description(`rfl ${version}: Rust-for-Linux kernel module toolkit`)
    .version(`rfl ${version}`, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, getOutHelpWidth: () => 100, getErrHelpWidth: () => 100 })
    .showHelpAfterError('(add --help for the options)');
  const groups = new Map<string, Command>();
  for (const command of CLI_COMMANDS) {
    const words = command.spec.name.split(' ');
    let parent = program;
    if (words.length > 1) {
      const group = words[0] ?? '';
      parent =
        groups.get(group) ??
        program
          .command(group)
          .summary(GROUPS[group] ?? '')
          .description(GROUPS[group] ?? '');
      groups.set(group, parent);
    }
    addCliCommand(parent, command, io, done);
  }
  return program;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let status = EXIT_OK;
  const program = cliProgram(io, (code) => (status = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end here too; everything else is a command line that cannot run (usage
    // errors, which commander has already printed with the command's help).
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_OK : EXIT_SETUP;
  }
}

/** Runs `rfl` with this process's arguments and streams, setting its exit status. */
export function runFromProcess(): void {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    stderrIsTerminal: process.stderr.isTTY === true,
  };
  // Ctrl-C, kill or a closed terminal: stop make, QEMU and their children, remove temp folders.
  // After SIGHUP the terminal is gone, and a write to it would fail.
  installSignalTeardown({
    onSignal: (signal) => signal !== 'SIGHUP' && process.stderr.write(`rfl: ${signal}: stopping what this command started\n`),
  });
  main(process.argv.slice(2), io).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`rfl: internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT_SETUP;
    },
  );
}

if (require.main === module) runFromProcess();
