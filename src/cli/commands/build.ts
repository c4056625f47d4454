// `rfl build [options] [MODULE_DIR]`: kbuild for an out-of-tree module (src/core/tasks/build.ts),
// with rustc's diagnostics printed on their real files; `--rust-analyzer` writes rust-project.json.
import { BUILD_SPEC } from '../../core/tasks/build';
import { kbuildContext, runKbuild } from '../../core/tasks/kbuild';
import { readOptions } from '../../core/tasks/options';
import { terminalSink, type CliCommand } from '../command';

export const buildCommand: CliCommand = {
  spec: BUILD_SPEC,
  async run(raw, args, io) {
    const values = readOptions(BUILD_SPEC.options, raw);
    const context = kbuildContext(values, args[0], io.cwd);
    const outcome = await runKbuild(values.rustAnalyzer ? 'rust-analyzer' : 'build', context, terminalSink(io));
    return outcome.exitCode;
  },
};
