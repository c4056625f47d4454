// `rfl clippy [options] [MODULE_DIR]`: the kbuild build with CLIPPY=1 (src/core/tasks/clippy.ts).
import { CLIPPY_SPEC } from '../../core/tasks/clippy';
import { kbuildContext, runKbuild } from '../../core/tasks/kbuild';
import { readOptions } from '../../core/tasks/options';
import { terminalSink, type CliCommand } from '../command';

export const clippyCommand: CliCommand = {
  spec: CLIPPY_SPEC,
  async run(raw, args, io) {
    const values = readOptions(CLIPPY_SPEC.options, raw);
    const outcome = await runKbuild('clippy', kbuildContext(values, args[0], io.cwd), terminalSink(io));
    return outcome.exitCode;
  },
};
