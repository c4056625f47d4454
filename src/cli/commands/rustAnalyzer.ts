// `rfl rust-analyzer [options] [MODULE_DIR]`: writes MODULE_DIR/rust-project.json for rust-analyzer
// with `rfl check` as its flycheck (src/core/tasks/rustAnalyzer.ts, core/rustAnalyzer).
import { realpathSync } from 'node:fs';
import { generateRustProject } from '../../core/rustAnalyzer/generate';
import { EXIT_FAILED, EXIT_OK, EXIT_SETUP } from '../../core/tasks/exitCodes';
import { kbuildContext } from '../../core/tasks/kbuild';
import { readOptions } from '../../core/tasks/options';
import { RUST_ANALYZER_SPEC } from '../../core/tasks/rustAnalyzer';
import type { CliCommand } from '../command';

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

export const rustAnalyzerCommand: CliCommand = {
  spec: RUST_ANALYZER_SPEC,
  async run(raw, args, io) {
    const values = readOptions(RUST_ANALYZER_SPEC.options, raw);
    const context = kbuildContext(values, args[0], io.cwd);
    try {
      const result = await generateRustProject({
        ...context,
        rfl: selfCommand(),
        ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
      });
      if (!result.file) {
        io.stderr(
          `${result.outputTail.join('\n')}\nrfl rust-analyzer: ${result.build.command} failed (${result.build.outcome})${result.build.hint ? `\n${result.build.hint}` : ''}\n`,
        );
        return EXIT_FAILED;
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
      return EXIT_SETUP;
    }
  },
};
