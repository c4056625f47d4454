// The Makefile `rfl new` writes, for building by hand. Paths in it pass through two languages: make
// reads the assignment (where `$` expands and `#` starts a comment), then pastes the value into a
// recipe that a shell reads. So every value is written escaped for make, and the recipes quote
// each path for the shell with the `quote` function below, which also covers `make KDIR=...` given
// on the command line. A newline, another control character or a backslash cannot be written in a
// make assignment without changing its meaning, so such paths are refused.
import { shellQuote } from '../process/describe';

/** Why `text` cannot go into a make assignment, or undefined when it can. */
export function makeValueProblem(text: string): string | undefined {
  const bad = /[\u0000-\u001f\u007f\\]/.exec(text)?.[0];
  if (bad === undefined) return undefined;
  const what = bad === '\n' ? 'a newline' : bad === '\\' ? 'a backslash' : `the control character ${JSON.stringify(bad)}`;
  return `${JSON.stringify(text)} contains ${what}, which a Makefile cannot hold without changing its meaning`;
}

/** `text` as the value of a make assignment that expands back to exactly `text`. */
export function escapeMakeValue(text: string): string {
  const problem = makeValueProblem(text);
  if (problem) throw new Error(problem);
  return escapeDollarAndHash(text);
}

function escapeDollarAndHash(text: string): string {
  return text.replace(/\$/g, '$$$$').replace(/#/g, '\\#');
}

/**
 * A word quoted for the shell, then escaped for make. The quoting adds backslashes of its own
 * ('\'' for each '), which make keeps: each is followed by a quote, never by `#` or the line's end.
 */
function makeShellWord(word: string): string {
  const problem = makeValueProblem(word);
  if (problem) throw new Error(problem);
  return escapeDollarAndHash(shellQuote(word));
}

/** The Makefile text; `kdir` undefined leaves the running kernel's build folder. */
export function moduleMakefile(kdir: string | undefined, toolchainWords: readonly string[]): string {
  const kdirValue = kdir === undefined ? '/lib/modules/$(shell uname -r)/build' : escapeMakeValue(kdir);
  const args = toolchainWords.map(makeShellWord).join(' ');
  return `# Builds by hand; rfl build, rfl clippy and rfl load run the same kbuild command.
#   make                  build the module       make clippy        build with clippy's checks
#   make rust-analyzer    write rust-project.json  make clean
KDIR ?= ${kdirValue}
# The toolchain the kernel was built with (a module must use the very same rustc), quoted for the shell.
KBUILD_ARGS ?= ${args}

# One word quoted for the shell that runs each recipe line: '...' with each ' written '\\''.
quote = '$(subst ','\\'',$(1))'
KBUILD = $(MAKE) -C $(call quote,$(KDIR)) M=$(call quote,$(CURDIR)) $(KBUILD_ARGS)

default:
\t$(KBUILD)

clippy:
\t$(KBUILD) CLIPPY=1

rust-analyzer:
\t$(KBUILD) rust-analyzer

clean:
\t$(KBUILD) clean

.PHONY: default clippy rust-analyzer clean
`;
}
