// `rfl load [options] [MODULE_DIR]`: build the module, boot the kernel in QEMU with it, load it, run
// the optional guest script, unload it, and print the verdict (src/core/tasks/load.ts), as text or
// JSON.
import path from 'node:path';
import { formatVerdict } from '../../core/qemu/formatVerdict';
import { kbuildContext } from '../../core/tasks/kbuild';
import { LOAD_SPEC, runLoad } from '../../core/tasks/load';
import { readOptions, secondsToMs } from '../../core/tasks/options';
import { terminalSink, type CliCommand } from '../command';

export const loadCommand: CliCommand = {
  spec: LOAD_SPEC,
  async run(raw, args, io) {
    const values = readOptions(LOAD_SPEC.options, raw);
    const context = kbuildContext(values, args[0], io.cwd);
    // Signals are handled for every command by installSignalTeardown (main.ts).
    const { outcome, verdict } = await runLoad(
      {
        kdir: context.kdir,
        moduleDir: context.moduleDir,
        toolchain: context.toolchain,
        outDir: context.outDir,
        build: values.build,
        modules: values.module,
        params: values.param.join(' '),
        guestScript: values.guestScript ? path.resolve(io.cwd, values.guestScript) : undefined,
        accel: values.accel,
        timeoutMs: context.timeoutMs,
        buildTimeoutMs: secondsToMs(values.buildTimeout),
        append: values.append,
        keepRunDir: values.keep,
      },
      terminalSink(io, !values.quiet && !values.json),
    );
    if (verdict) io.stdout(values.json ? `${JSON.stringify(verdict, null, 2)}\n` : formatVerdict(verdict));
    return outcome.exitCode;
  },
};
