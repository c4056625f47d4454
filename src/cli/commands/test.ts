// `rfl test [options] [MODULE_DIR]`: run a module's KUnit tests (`#[kunit_tests]`, Linux 6.15+) in
// QEMU and report each suite and case. Exit 0 when every selected case passed (skips allowed), 1
// otherwise (a failure, a panic, a hang, a case that never ran, a build that failed), 2 for usage
// errors and kernels that cannot run the tests (older than 6.15, no CONFIG_KUNIT).
import os from 'node:os';
import { parseArgs } from 'node:util';
import { TEST_FORMATS, toJson, toText, type TestFormat } from '../../core/kunit/formats';
import { toJunitXml } from '../../core/kunit/junit';
import { runTests } from '../../core/kunit/runTests';
import type { AccelChoice } from '../../core/qemu/accel';
import { formatVerdict } from '../../core/qemu/formatVerdict';
import { DEFAULT_LOAD_TIMEOUT_MS, LoadSetupError } from '../../core/qemu/loadRun';
import { EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';
import { KBUILD_OPTIONS_HELP, KBUILD_PARSE_OPTIONS, kbuildContext } from './build';

const USAGE = `usage: rfl test [options] [MODULE_DIR]

Runs the KUnit tests of the module in MODULE_DIR (default: the current folder): the
#[kunit_tests(suite)] modules and their #[test] functions (Linux 6.15+, kernel built with
CONFIG_KUNIT=y). Builds the module, boots the kernel of --kdir in QEMU, loads the module (KUnit
runs its suites while it loads), unloads it, and reports each suite and case: passed, failed
(with the assertion and its line), skipped, timeout, error (a panic or oops in the case) or
not-run (after a case that stopped the kernel).

options:
${KBUILD_OPTIONS_HELP.replace('time limit in seconds', `time limit for the VM in seconds (default ${DEFAULT_LOAD_TIMEOUT_MS / 1000}); a hanging case ends here`)}
  --filter SUITE[.CASE]  run only this suite or case (globs * ? [] allowed; KUnit's filter_glob)
  --format FORMAT        text (default), ktap (the kernel's KTAP as printed), junit (JUnit XML
                         for CI) or json ({"suites": [{"name", "status", "cases": [...]}]})
  --accel MODE           auto (default: KVM only if it boots, else TCG), kvm or tcg
  --append WORD          extra kernel command-line word (repeatable)
  --quiet                do not stream the build output and console to stderr

exit status: 0 every selected test passed (skips allowed), 1 otherwise, 2 usage error or a
kernel that cannot run the tests`;

function parseFormat(value: string): TestFormat {
  const format = TEST_FORMATS.find((candidate) => candidate === value);
  if (!format) throw new UsageError(`--format wants ${TEST_FORMATS.join(', ')}, not "${value}"`);
  return format;
}

function parseAccel(value: string): AccelChoice {
  if (value === 'auto' || value === 'kvm' || value === 'tcg') return value;
  throw new UsageError(`--accel wants auto, kvm or tcg, not "${value}"`);
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...KBUILD_PARSE_OPTIONS,
      filter: { type: 'string' },
      format: { type: 'string', default: 'text' },
      accel: { type: 'string', default: 'auto' },
      append: { type: 'string', multiple: true, default: [] },
      quiet: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  const format = parseFormat(values.format);
  const accel = parseAccel(values.accel);
  const context = kbuildContext(values, positionals, io);
  const controller = new AbortController();
  // Ctrl-C or a CI cancel ends the VM at once instead of leaving it behind.
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const started = new Date();
  try {
    const result = await runTests({
      kdir: context.kdir,
      moduleDir: context.moduleDir,
      toolchain: context.toolchain,
      outDir: context.outDir,
      accel,
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
      ...(values.filter !== undefined ? { filter: values.filter } : {}),
      append: values.append,
      signal: controller.signal,
      onEvent: (event) => {
        // Live output goes to stderr: stdout carries only the report, so it can be redirected to a file.
        if (event.type === 'note') io.stderr(`rfl: ${event.message}\n`);
        else if (!values.quiet && event.type === 'output') io.stderr(`${event.line}\n`);
      },
    });
    for (const note of result.notes) io.stderr(`rfl test: ${note}\n`);
    if (result.verdict.build && !result.verdict.build.ok && format === 'text') io.stderr(formatVerdict(result.verdict));
    if (format === 'text') io.stdout(toText(result.suites));
    else if (format === 'json') io.stdout(toJson(result.suites));
    else if (format === 'ktap') io.stdout(result.ktap.length ? `${result.ktap.join('\n')}\n` : '');
    else io.stdout(toJunitXml(result.suites, { name: context.moduleDir, timestamp: started.toISOString(), hostname: os.hostname(), totalMs: result.verdict.timings.totalMs }));
    return result.exitCode;
  } catch (error) {
    // LoadSetupError: a kernel that cannot run the tests, a filter that matches nothing; anything
    // else (a process that would not start) is no verdict on the tests either.
    io.stderr(`rfl test: ${error instanceof LoadSetupError ? '' : 'error: '}${(error as Error).message}\n`);
    return EXIT_USAGE_OR_IO;
  } finally {
    process.removeListener('SIGINT', cancel);
    process.removeListener('SIGTERM', cancel);
  }
}

export const testCommand: CliCommand = {
  name: 'test',
  summary: "run a module's KUnit tests (#[kunit_tests], Linux 6.15+) in QEMU and report each case",
  usage: USAGE,
  run,
};
