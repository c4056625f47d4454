// kbuild's record of how it built an object: the first line of `.NAME.o.cmd`,
// `savedcmd_TARGET := COMMAND` (6.3+) or `cmd_TARGET := COMMAND` (6.1), written by
// scripts/Kbuild.include after the recipe succeeded. COMMAND is a shell command line that make has
// already expanded; for a Rust object it is `VAR=value ... rustc-or-clippy-driver ARGS ; objtool ...`.
// Read with shell-quote (a real shell word splitter) rather than by hand; anything beyond plain words,
// quotes and `;` (a `$`, a pipe, a redirection) is refused, so a replay never guesses at shell
// semantics.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'shell-quote';

export interface RecordedCommand {
  /** The make target the command built, as kbuild names it (absolute, or relative to kbuild's cwd). */
  target: string;
  /** `VAR=value` assignments in front of the program (RUST_MODFILE, OBJTREE, ...). */
  env: Record<string, string>;
  /** The program and its arguments, up to the first `;`. */
  argv: string[];
}

const RECORD_LINE = /^(?:saved)?cmd_(\S+) := (.*)$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Parses the first line of a `.cmd` file; undefined when it is not a plain command. */
export function parseRecordedCommand(text: string): RecordedCommand | undefined {
  const match = RECORD_LINE.exec(text.split('\n', 1)[0] ?? '');
  if (!match) return undefined;
  const [, target = '', command = ''] = match;
  // A `$VAR` left after make is shell expansion we do not replay: shell-quote inserts what this
  // function returns as a token of its own, which ends the parse below as refused. (6.1 follows
  // the compiler with `; sed -i '/^$(pound)/d' ...`; that part is never read.)
  const words: string[] = [];
  for (const token of parse(command, (name) => ({ comment: `$${name}` }))) {
    if (typeof token === 'string') {
      if (token.includes('`')) return undefined;
      words.push(token);
      continue;
    }
    if ('op' in token && token.op === ';') break;
    return undefined;
  }
  const env: Record<string, string> = {};
  let first = 0;
  for (; first < words.length; first++) {
    const assignment = ASSIGNMENT.exec(words[first] ?? '');
    if (!assignment) break;
    env[assignment[1] ?? ''] = assignment[2] ?? '';
  }
  const argv = words.slice(first);
  return argv.length > 0 ? { target, env, argv } : undefined;
}

/**
 * The recorded commands of the Rust objects in a module's build folder and its subfolders (an
 * object `NAME.o` with a `NAME.rs` beside it), keyed by the object's absolute path.
 */
export function rustObjectCommands(
  buildDir: string,
  depth = 0,
  commands = new Map<string, RecordedCommand>(),
): Map<string, RecordedCommand> {
  let names: string[];
  try {
    names = readdirSync(buildDir).sort();
  } catch {
    return commands;
  }
  for (const name of names) {
    const object = /^\.(.+\.o)\.cmd$/.exec(name)?.[1];
    if (object && names.includes(`${object.slice(0, -2)}.rs`)) {
      try {
        const recorded = parseRecordedCommand(readFileSync(path.join(buildDir, name), 'utf8'));
        if (recorded) commands.set(path.join(buildDir, object), recorded);
      } catch {
        /* removed meanwhile: no record */
      }
    } else if (depth < 4 && !name.startsWith('.') && !name.includes('.')) {
      // Subfolders of objects (obj-m := sub/foo.o): names without a dot, as files nearly always have one.
      rustObjectCommands(path.join(buildDir, name), depth + 1, commands);
    }
  }
  return commands;
}
