// The CLI adapter over the task layer: each `rfl` subcommand is a CommandSpec (src/core/tasks) and a
// run function. commander builds the parser and the help from the spec, so both come from one
// declaration; errors end in exit status 2 with the command's help, as every usage error does.
import { Command, Option } from 'commander';
import { EXIT_SETUP } from '../core/tasks/exitCodes';
import { UsageError, type CommandSpec } from '../core/tasks/options';
import type { OutputSink } from '../core/tasks/output';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** stderr is a terminal: progress may redraw one line instead of printing many. */
  stderrIsTerminal?: boolean;
}

export interface CliCommand {
  spec: CommandSpec;
  /**
   * Runs the command; resolves to the process exit status. `raw` holds what commander parsed (read it
   * with readOptions(spec.options, raw)), `args` the positional arguments.
   */
  run(raw: Readonly<Record<string, unknown>>, args: string[], io: CliIo): Promise<number>;
}

/** Adds `command` under `parent` (the program, or a group such as `kernel`); `done` gets its exit status. */
export function addCliCommand(parent: Command, command: CliCommand, io: CliIo, done: (status: number) => void): Command {
  const { spec } = command;
  const sub = parent
    .command(spec.name.split(' ').at(-1) ?? spec.name)
    .summary(spec.summary)
    .description(spec.description);
  for (const argument of spec.arguments) {
    const name = `${argument.name}${argument.variadic ? '...' : ''}`;
    sub.argument(argument.required ? `<${name}>` : `[${name}]`, argument.help);
  }
  for (const option of spec.options) {
    const flags = `${option.short ? `-${option.short}, ` : ''}--${option.flag}${option.value ? ` <${option.value}>` : ''}`;
    const parsed = new Option(flags, option.help);
    if (option.repeatable) parsed.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    sub.addOption(parsed);
  }
  sub.addHelpText('after', `\nexit status: ${spec.exitStatus}`);
  sub.action(async (...params: unknown[]) => {
    const self = params.at(-1) as Command;
    try {
      done(await command.run(self.opts(), self.args, io));
    } catch (error) {
      if (error instanceof UsageError) self.error(`error: ${error.message}`, { exitCode: EXIT_SETUP, code: 'rfl.usage' });
      throw error;
    }
  });
  return sub;
}

/**
 * Lines of a run on the terminal: closing errors, notes and what the tool wrote to stderr go to
 * stderr, the rest to stdout. Without `live`, only those stderr lines and the closing lines are written.
 */
export function terminalSink(io: CliIo, live = true): OutputSink {
  return {
    line(text, style = 'plain', stream) {
      if (style === 'error' || style === 'note') io.stderr(`${text}\n`);
      else if (style === 'pass') io.stdout(`${text}\n`);
      else if (live) (stream === 'stderr' ? io.stderr : io.stdout)(`${text}\n`);
    },
  };
}
