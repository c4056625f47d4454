// The task layer: each command the toolkit offers, described once without any editor or terminal
// in mind: its inputs (one OptionSpec per option: flag, value, help, default, check), the meaning of
// its exit codes (exitCodes.ts, the same everywhere), and, for the commands that run a tool, the run
// itself with its closing lines and outcome (runKbuild, runLoad). Two thin adapters sit on top:
//   - the CLI (src/cli): commander parses with and prints help from COMMAND_SPECS, so `rfl X --help`
//     lists exactly what `rfl X` accepts (test/unit/cliHelp.test.ts checks it);
//   - the VS Code tasks (src/client/task*.ts): a task definition field maps to the option whose
//     `taskField` names it and is checked by the same `check`/`choices` (TASK_COMMANDS below).
//
// Adding a command `rfl foo`:
//   1. src/core/tasks/foo.ts: `export const FOO_SPEC = { name: 'foo', summary, description, arguments,
//      options: [...] as const satisfies readonly OptionSpec[], exitStatus } as const satisfies
//      CommandSpec;` Reuse KBUILD_OPTIONS / MODULE_DIR_ARGUMENT (kbuild.ts) when it builds a module.
//      Put the run there too when the editor will run it as well (write to an OutputSink, return a
//      TaskOutcome with an exit code from exitCodes.ts); otherwise the CLI's run may call the core.
//   2. Add FOO_SPEC to COMMAND_SPECS below (the order is the order of `rfl --help`).
//   3. src/cli/commands/foo.ts: `export const fooCommand: CliCommand = { spec: FOO_SPEC, run }` where
//      run reads its values with `readOptions(FOO_SPEC.options, raw)` (typed from the declarations,
//      defaults filled, checks run); list it in src/cli/main.ts. Throw UsageError for a bad command line.
//   4. For a VS Code task too: add the command to TASK_COMMANDS, its fields to package.json
//      `taskDefinitions` (each with the `taskField` of its option), and a case to src/client/taskRun.ts.
//   The help test picks the new command up by itself.
import { BUILD_SPEC } from './build';
import { CHECK_SPEC } from './check';
import { CLIPPY_SPEC } from './clippy';
import { COMPARE_SPEC } from './compare';
import { KERNEL_CHECK_SPEC, KERNEL_PREPARE_SPEC } from './kernel';
import { LINT_SPEC } from './lint';
import { LOAD_SPEC } from './load';
import { NEW_SPEC } from './new';
import { TEST_SPEC } from './test';
import type { CommandSpec } from './options';
import { RUST_ANALYZER_SPEC } from './rustAnalyzer';

export const COMMAND_SPECS: readonly CommandSpec[] = [
  LINT_SPEC,
  NEW_SPEC,
  BUILD_SPEC,
  CLIPPY_SPEC,
  CHECK_SPEC,
  RUST_ANALYZER_SPEC,
  LOAD_SPEC,
  TEST_SPEC,
  COMPARE_SPEC,
  KERNEL_CHECK_SPEC,
  KERNEL_PREPARE_SPEC,
];

/** The `command` values of a `rust-for-linux` VS Code task, and the CLI command each one is. */
export const TASK_COMMANDS = {
  build: BUILD_SPEC,
  clippy: CLIPPY_SPEC,
  load: LOAD_SPEC,
  'rust-analyzer': BUILD_SPEC,
} as const satisfies Record<string, CommandSpec>;

export type TaskCommand = keyof typeof TASK_COMMANDS;
export const TASK_COMMAND_NAMES = Object.keys(TASK_COMMANDS) as TaskCommand[];
