// `rfl check [options] [MODULE_DIR]`: the kernel's rustc and clippy verdicts on a module
// (src/core/tasks/check.ts), as text or as rustc's JSON lines.
import { checkModule } from '../../core/check/checkModule';
import { renderHuman, renderJson, summaryLine } from '../../core/check/formatCheck';
import { CHECK_SPEC } from '../../core/tasks/check';
import { EXIT_FAILED, EXIT_OK, EXIT_SETUP } from '../../core/tasks/exitCodes';
import { kbuildContext } from '../../core/tasks/kbuild';
import { readOptions } from '../../core/tasks/options';
import type { CliCommand } from '../command';

export const checkCommand: CliCommand = {
  spec: CHECK_SPEC,
  async run(raw, args, io) {
    const values = readOptions(CHECK_SPEC.options, raw);
    const json = values.messageFormat === 'json';
    const context = kbuildContext(values, args[0], io.cwd);
    let result;
    try {
      result = await checkModule({
        kdir: context.kdir,
        moduleDir: context.moduleDir,
        toolchain: context.toolchain,
        outDir: context.outDir,
        fresh: values.fresh,
        full: values.full,
        ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
      });
    } catch (error) {
      io.stderr(`rfl check: ${(error as Error).message}\n`);
      return EXIT_SETUP;
    }
    // Diagnostics first, even when the run failed afterwards: they are what the user needs.
    for (const diagnostic of result.diagnostics) io.stdout((json ? renderJson : renderHuman)(diagnostic));
    if (result.failure) {
      io.stderr(`rfl check: could not check ${context.moduleDir}: ${result.failure}\n`);
      return EXIT_SETUP;
    }
    // In json mode stdout carries only diagnostics.
    (json ? io.stderr : io.stdout)(summaryLine(result));
    return result.errors + result.warnings === 0 ? EXIT_OK : EXIT_FAILED;
  },
};
