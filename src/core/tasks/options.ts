// How a command's inputs are declared: one entry per option, with its name, the kind of value, the
// help line, the default and the check. The CLI builds its parser and its help from these entries
// (src/cli/command.ts), and the VS Code task definitions name the same entries through `taskField`,
// so an option cannot be accepted without being documented, or checked differently in the editor.
import { listChoices } from '../schema/listChoices';

export interface OptionSpec {
  /** The long flag without dashes: `kdir`, `make-arg`. A `no-` prefix makes a switch that is on by default. */
  readonly flag: string;
  readonly short?: string;
  /** The placeholder of the option's value (`DIR`); a switch has none. */
  readonly value?: string;
  /** Given once per value (`--make-arg A --make-arg B`). */
  readonly repeatable?: boolean;
  readonly help: string;
  /** The value when the option is not given (help texts say it where it helps). */
  readonly default?: string;
  /** The only values allowed. */
  readonly choices?: readonly string[];
  /** Says what is wrong with one value ("wants …, not …"), or undefined when it is fine. */
  readonly check?: (value: string) => string | undefined;
  /** The property of a `rust-for-linux` task definition (package.json) that means the same. */
  readonly taskField?: string;
}

export interface ArgumentSpec {
  /** `MODULE_DIR`, `PATHS`. */
  readonly name: string;
  readonly help: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
  readonly taskField?: string;
}

/** One command (or subcommand: `kernel prepare`) as both the CLI and its help see it. */
export interface CommandSpec {
  /** The words after `rfl`: `build`, `kernel prepare`. */
  readonly name: string;
  /** One line, for the command list. */
  readonly summary: string;
  /** What the command does, for its help. */
  readonly description: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  /** `0 built, 1 build failed, 2 usage error`: what each exit code means for this command. */
  readonly exitStatus: string;
}

/** A command line that cannot run as given (exit status 2, with the command's help). */
export class UsageError extends Error {}

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
/** The key of an option's value: `make-arg` → `makeArg`, `no-llvm` → `llvm` (as commander names them). */
export type OptionKey<F extends string> = F extends `no-${infer Rest}` ? Camel<Rest> : Camel<F>;
type Single<O extends OptionSpec> = O extends { choices: readonly (infer Choice extends string)[] } ? Choice : string;
type ValueOf<O extends OptionSpec> = O extends { repeatable: true }
  ? string[]
  : O extends { value: string }
    ? O extends { default: string }
      ? Single<O>
      : Single<O> | undefined
    : boolean;
/** The checked values of a list of options, typed from the declarations themselves. */
export type OptionValues<Options extends readonly OptionSpec[]> = { [O in Options[number] as OptionKey<O['flag']>]: ValueOf<O> };

export function optionKey(flag: string): string {
  return flag.replace(/^no-/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** What is wrong with one value of an option, or undefined. */
export function checkOptionValue(option: OptionSpec, value: string): string | undefined {
  if (option.choices && !option.choices.includes(value))
    return `unknown ${option.flag} "${value}"; use one of ${listChoices(option.choices)}`;
  return option.check?.(value);
}

/**
 * The values of `options` from what a parser read (keyed by OptionKey, absent when not given), with
 * defaults filled in and every value checked. Throws UsageError naming the option.
 */
export function readOptions<const Options extends readonly OptionSpec[]>(
  options: Options,
  raw: Readonly<Record<string, unknown>>,
): OptionValues<Options> {
  const values: Record<string, unknown> = {};
  for (const option of options) {
    const key = optionKey(option.flag);
    let value = raw[key];
    if (value === undefined) value = option.repeatable ? [] : option.value ? option.default : option.flag.startsWith('no-');
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item !== 'string') continue;
      const problem = checkOptionValue(option, item);
      if (problem) throw new UsageError(`--${option.flag}: ${problem}`);
    }
    values[key] = value;
  }
  return values as OptionValues<Options>;
}

/** A check: a positive number of seconds. */
export function positiveSeconds(value: string): string | undefined {
  return Number(value) > 0 ? undefined : `wants a positive number of seconds, not "${value}"`;
}

/** Seconds (already checked) as milliseconds; undefined stays undefined. */
export function secondsToMs(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : Number(value) * 1000;
}
