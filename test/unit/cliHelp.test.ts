// `rfl COMMAND --help` lists exactly what `rfl COMMAND` accepts: the parser and the help are both
// built from the declarations in src/core/tasks, and this checks the result from the outside (the
// help text as printed) and from the inside (commander's own list of options, and a parse that gives
// every option at once). Also: package.json's task definitions and settings name the same inputs
// and values as those declarations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import packageJson from '../../package.json';
import { addCliCommand, type CliIo } from '../../src/cli/command';
import { CLI_COMMANDS, cliProgram, main } from '../../src/cli/main';
import { ACCEL_CHOICES } from '../../src/core/qemu/accel';
import { COMMAND_SPECS, TASK_COMMAND_NAMES, TASK_COMMANDS } from '../../src/core/tasks';
import { MODULE_PARAM_PATTERN } from '../../src/core/tasks/load';
import { optionKey } from '../../src/core/tasks/options';

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd: process.cwd(),
    stdout: (text: string) => (io.out += text),
    stderr: (text: string) => (io.err += text),
  };
  return io;
}

/** The long flags in the "Options:" section of a help text. */
function helpFlags(help: string): string[] {
  const section = help.split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}(?:-\w, )?--([\w-]+)/gm)].map((match) => match[1] ?? '').sort();
}

function findCommand(program: Command, words: string[]): Command {
  let command = program;
  for (const word of words) {
    const next = command.commands.find((candidate) => candidate.name() === word);
    assert.ok(next, `no "${words.join(' ')}" command`);
    command = next;
  }
  return command;
}

describe('rfl COMMAND --help', () => {
  it('covers every declared command, and the CLI runs every declared command', () => {
    assert.deepEqual(
      CLI_COMMANDS.map((command) => command.spec.name),
      COMMAND_SPECS.map((spec) => spec.name),
    );
  });

  for (const { spec } of CLI_COMMANDS) {
    it(`rfl ${spec.name}: the help lists exactly the accepted options, and each is accepted`, async () => {
      const io = capture();
      assert.equal(await main([...spec.name.split(' '), '--help'], io), 0);
      const listed = helpFlags(io.out);
      const declared = [...spec.options.map((option) => option.flag), 'help'].sort();
      // commander keeps --help apart from the other options.
      const accepted = [
        ...findCommand(
          cliProgram(capture(), () => {}),
          spec.name.split(' '),
        ).options.map((option) => option.long?.replace(/^--/, '') ?? ''),
        'help',
      ].sort();
      assert.deepEqual(listed, declared, `help of rfl ${spec.name}`);
      assert.deepEqual(accepted, declared, `parser of rfl ${spec.name}`);
      assert.match(io.out, new RegExp(`^Usage: rfl ${spec.name} `, 'm'));
      assert.match(io.out, /^exit status: 0 /m);

      // Every option at once, each with a value where it takes one: the run sees each of them.
      const argv = spec.options.flatMap((option) =>
        option.value ? [`--${option.flag}`, option.choices?.[0] ?? '7'] : [`--${option.flag}`],
      );
      let seen: Readonly<Record<string, unknown>> | undefined;
      const program = new Command('rfl').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
      const group = spec.name.includes(' ') ? program.command(spec.name.split(' ')[0] ?? '') : program;
      addCliCommand(group, { spec, run: async (raw) => ((seen = raw), 0) }, capture(), () => {});
      await program.parseAsync([...spec.name.split(' '), ...argv], { from: 'user' });
      for (const option of spec.options) {
        const expected = option.value
          ? option.repeatable
            ? [option.choices?.[0] ?? '7']
            : (option.choices?.[0] ?? '7')
          : !option.flag.startsWith('no-');
        assert.deepEqual(seen?.[optionKey(option.flag)], expected, `--${option.flag}`);
      }
    });
  }

  it('rfl load --build-timeout is accepted, checked and documented', async () => {
    const io = capture();
    assert.equal(await main(['load', '--build-timeout', '0', '--kdir', '/nonexistent-kdir'], io), 2);
    assert.match(io.err, /--build-timeout: wants a positive number of seconds, not "0"/);
    const help = capture();
    await main(['load', '--help'], help);
    assert.match(help.out, /--build-timeout <S> +time limit for the build in seconds/);
  });

  it('an unknown option is a usage error (exit 2) that names it', async () => {
    const io = capture();
    assert.equal(await main(['build', '--no-such-option'], io), 2);
    assert.match(io.err, /unknown option '--no-such-option'/);
    assert.equal(await main(['no-such-command'], capture()), 2);
    assert.equal(await main([], capture()), 2);
  });
});

describe('package.json and the task layer', () => {
  const definition = packageJson.contributes.taskDefinitions[0];
  const settings = packageJson.contributes.configuration.properties;

  it('a task definition has one field per task input of its commands, and its commands are the task commands', () => {
    const fields = new Set<string>(['command']);
    for (const spec of Object.values(TASK_COMMANDS)) {
      for (const input of [...spec.arguments, ...spec.options]) if ('taskField' in input && input.taskField) fields.add(input.taskField);
    }
    assert.deepEqual(Object.keys(definition?.properties ?? {}).sort(), [...fields].sort());
    assert.deepEqual(definition?.properties.command.enum, TASK_COMMAND_NAMES);
  });

  it('the accel choices and the module-parameter pattern are the core ones', () => {
    assert.deepEqual(definition?.properties.accel.enum, ACCEL_CHOICES);
    assert.deepEqual(settings['rustForLinux.load.accel'].enum, ACCEL_CHOICES);
    assert.equal(settings['rustForLinux.load.params'].items.pattern, MODULE_PARAM_PATTERN.source);
    assert.equal(definition?.properties.params.items.pattern, MODULE_PARAM_PATTERN.source);
    assert.ok(MODULE_PARAM_PATTERN.test('count=3') && !MODULE_PARAM_PATTERN.test('two words=x') && !MODULE_PARAM_PATTERN.test('novalue'));
  });
});
