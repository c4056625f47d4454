// `rfl check [options] [MODULE_DIR]`: the kernel's rustc and clippy verdicts on a module, as text or
// as rustc's JSON lines (for rust-analyzer's check.overrideCommand and other tools).
import { parseArgs } from 'node:util';
import { checkModule } from '../../core/check/checkModule';
import { isMessageFormat, MESSAGE_FORMATS, renderHuman, renderJson, summaryLine } from '../../core/check/formatCheck';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';
import { KBUILD_OPTIONS_HELP, KBUILD_PARSE_OPTIONS, kbuildContext } from './build';

const USAGE = `usage: rfl check [options] [MODULE_DIR]

Builds the module with the kernel's own rustc and clippy (make CLIPPY=1, the kernel's flags and
lint set) and reports every error, warning and clippy lint with rustc's notes and suggestions,
on the real source files. Reuses what kbuild built; an unchanged module is answered at once.

options:
  --message-format FMT   human (default) or json: one rustc diagnostic JSON object per line on
                         stdout, file names absolute (rust-analyzer's check.overrideCommand)
  --fresh                run the build even when nothing changed since the last check
${KBUILD_OPTIONS_HELP}

exit status: 0 no errors or warnings, 1 errors or warnings, 2 usage error or the check could not
run (no kernel build folder, wrong toolchain, make failed without a compiler message)`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...KBUILD_PARSE_OPTIONS, 'message-format': { type: 'string', default: 'human' }, fresh: { type: 'boolean', default: false } },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  const format = values['message-format'];
  if (!isMessageFormat(format)) throw new UsageError(`--message-format is one of ${MESSAGE_FORMATS.join(', ')}, not "${format}"`);
  const context = kbuildContext(values, positionals, io);
  let result;
  try {
    result = await checkModule({
      kdir: context.kdir,
      moduleDir: context.moduleDir,
      toolchain: context.toolchain,
      outDir: context.outDir,
      fresh: values.fresh,
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    });
  } catch (error) {
    io.stderr(`rfl check: ${(error as Error).message}\n`);
    return EXIT_USAGE_OR_IO;
  }
  // Diagnostics first, even when the run failed afterwards: they are what the user needs.
  const render = format === 'json' ? renderJson : renderHuman;
  for (const diagnostic of result.diagnostics) io.stdout(render(diagnostic));
  if (result.failure) {
    io.stderr(`rfl check: could not check ${context.moduleDir}: ${result.failure}\n`);
    return EXIT_USAGE_OR_IO;
  }
  // In json mode stdout carries only diagnostics.
  (format === 'json' ? io.stderr : io.stdout)(summaryLine(result));
  return result.errors + result.warnings === 0 ? EXIT_OK : EXIT_FINDINGS;
}

export const checkCommand: CliCommand = {
  name: 'check',
  summary: "the kernel's rustc and clippy verdicts on a module (text or rustc JSON)",
  usage: USAGE,
  run,
};
