// `rfl test [options] [MODULE_DIR]`: run a module's KUnit tests in QEMU (src/core/tasks/test.ts) and
// print the report as text, KTAP, JUnit XML or JSON on stdout; the build output and console stream
// to stderr, so the report can be redirected to a file for CI.
import os from 'node:os';
import { toJson, toText, type TestFormat } from '../../core/kunit/formats';
import { toJunitXml } from '../../core/kunit/junit';
import { runTests } from '../../core/kunit/runTests';
import { LoadSetupError } from '../../core/qemu/loadRun';
import { EXIT_SETUP } from '../../core/tasks/exitCodes';
import { kbuildContext } from '../../core/tasks/kbuild';
import { readOptions } from '../../core/tasks/options';
import { TEST_SPEC } from '../../core/tasks/test';
import type { CliCommand } from '../command';

export const testCommand: CliCommand = {
  spec: TEST_SPEC,
  async run(raw, args, io) {
    const values = readOptions(TEST_SPEC.options, raw);
    const context = kbuildContext(values, args[0], io.cwd);
    const format = values.format as TestFormat;
    const started = new Date();
    try {
      // Signals are handled for every command by installSignalTeardown (main.ts): the VM is killed.
      const result = await runTests({
        kdir: context.kdir,
        moduleDir: context.moduleDir,
        toolchain: context.toolchain,
        outDir: context.outDir,
        accel: values.accel as 'auto' | 'kvm' | 'tcg',
        ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
        ...(values.filter !== undefined ? { filter: values.filter } : {}),
        append: values.append,
        onEvent: (event) => {
          if (event.type === 'note') io.stderr(`rfl: ${event.message}\n`);
          else if (!values.quiet && event.type === 'output') io.stderr(`${event.line}\n`);
        },
      });
      for (const note of result.notes) io.stderr(`rfl test: ${note}\n`);
      if (format === 'text') io.stdout(toText(result.suites));
      else if (format === 'json') io.stdout(toJson(result.suites));
      else if (format === 'ktap') io.stdout(result.ktap.length > 0 ? `${result.ktap.join('\n')}\n` : '');
      else
        io.stdout(
          toJunitXml(result.suites, {
            name: context.moduleDir,
            timestamp: started.toISOString(),
            hostname: os.hostname(),
            totalMs: result.verdict.timings.totalMs,
          }),
        );
      return result.exitCode;
    } catch (error) {
      // A kernel that cannot run the tests, a filter that matches nothing, or a tool that would not
      // start: no verdict on the tests.
      io.stderr(`rfl test: ${error instanceof LoadSetupError ? '' : 'error: '}${(error as Error).message}\n`);
      return EXIT_SETUP;
    }
  },
};
