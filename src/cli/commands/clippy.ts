// `rfl clippy [options] [MODULE_DIR]`: the kbuild build with CLIPPY=1, so clippy runs with the
// kernel's own lint set; its warnings come out on their real files like rustc's.
import { parseArgs } from 'node:util';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE_OR_IO, type CliCommand, type CliIo } from '../command';
import { KBUILD_OPTIONS_HELP, KBUILD_PARSE_OPTIONS, kbuildContext, runKbuildCommand } from './build';

const USAGE = `usage: rfl clippy [options] [MODULE_DIR]

Builds the module with CLIPPY=1 (clippy-driver must match the kernel's rustc).

options:
${KBUILD_OPTIONS_HELP}

exit status: 0 no clippy warnings, 1 warnings or build failure, 2 usage error`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: KBUILD_PARSE_OPTIONS });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  const context = kbuildContext(values, positionals, io);
  try {
    const result = await runKbuildCommand(context, io, 'modules', true);
    return result.ok && result.diagnostics.length === 0 ? EXIT_OK : EXIT_FINDINGS;
  } catch (error) {
    io.stderr(`rfl clippy: ${(error as Error).message}\n`);
    return EXIT_USAGE_OR_IO;
  }
}

export const clippyCommand: CliCommand = {
  name: 'clippy',
  summary: 'run clippy on a kernel module through kbuild (CLIPPY=1)',
  usage: USAGE,
  run,
};
