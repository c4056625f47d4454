// `rfl rust-analyzer [options] [MODULE_DIR]`: writes MODULE_DIR/rust-project.json with which the real
// rust-analyzer resolves the kernel crates, expands module! with the right proc-macro server and runs
// `rfl check` as its flycheck. See core/rustAnalyzer/rustProject.ts for what is changed and why.
import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateRustProject } from '../../core/rustAnalyzer/generate';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE_OR_IO, type CliCommand, type CliIo } from '../command';
import { KBUILD_OPTIONS_HELP, KBUILD_PARSE_OPTIONS, kbuildContext } from './build';

const USAGE = `usage: rfl rust-analyzer [options] [MODULE_DIR]

Writes MODULE_DIR/rust-project.json for rust-analyzer: the kernel's own generator
(make M=MODULE_DIR rust-analyzer: the kernel crates, and the proc-macro server of the rustc
that built the kernel's macros) with "rfl check --message-format json" as rust-analyzer's
flycheck. Prints the file, and the
check command for editors that set rust-analyzer.check.overrideCommand.

options:
${KBUILD_OPTIONS_HELP}

exit status: 0 written, 1 make rust-analyzer failed, 2 usage error or no kernel folder`;

/** How to start this same rfl again: node and the script it runs. */
function selfCommand(): string[] {
  const script = process.argv[1];
  if (!script) return ['rfl'];
  try {
    return [process.execPath, realpathSync(script)];
  } catch {
    return [process.execPath, script];
  }
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: KBUILD_PARSE_OPTIONS });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  const context = kbuildContext(values, positionals, io);
  try {
    const result = await generateRustProject({ ...context, rfl: selfCommand(), ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}) });
    if (!result.file) {
      io.stderr(`${result.outputTail.join('\n')}\nrfl rust-analyzer: ${result.build.command} failed (${result.build.outcome})${result.build.hint ? `\n${result.build.hint}` : ''}\n`);
      return EXIT_FINDINGS;
    }
    io.stdout(`${result.file}\n`);
    io.stderr(
      `rfl rust-analyzer: wrote ${result.file}\n` +
        `rust-analyzer finds it in the module folder (or add it to rust-analyzer.linkedProjects); its flycheck is\n` +
        `  "rust-analyzer.check.overrideCommand": ${JSON.stringify(result.checkCommand)}\n`,
    );
    return EXIT_OK;
  } catch (error) {
    io.stderr(`rfl rust-analyzer: ${(error as Error).message}\n`);
    return EXIT_USAGE_OR_IO;
  }
}

export const rustAnalyzerCommand: CliCommand = {
  name: 'rust-analyzer',
  summary: 'write rust-project.json for rust-analyzer (kernel crates, module! expansion, rfl check as flycheck)',
  usage: USAGE,
  run,
};
