// `test`: run a module's KUnit tests (`#[kunit_tests]`, Linux 6.15+) through the build-and-load loop
// (src/core/kunit/runTests.ts) and report each suite and case in one of four formats.
import { TEST_FORMATS } from '../kunit/formats';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../qemu/loadRun';
import { validateFilter } from '../kunit/filter';
import { ACCEL_OPTION, KBUILD_OPTIONS, MODULE_DIR_ARGUMENT } from './kbuild';
import { positiveSeconds, type CommandSpec, type OptionSpec } from './options';

export const TEST_OPTIONS = [
  ...KBUILD_OPTIONS,
  {
    flag: 'timeout',
    value: 'S',
    help: `time limit for the VM in seconds (default ${DEFAULT_LOAD_TIMEOUT_MS / 1000}); a hanging case ends here`,
    check: positiveSeconds,
  },
  {
    flag: 'filter',
    value: 'SUITE[.CASE]',
    help: "run only this suite or case (globs * ? [] allowed; KUnit's kunit.filter_glob)",
    check: (value: string) => validateFilter(value)?.replace(/^--filter /, ''),
  },
  {
    flag: 'format',
    value: 'FORMAT',
    help: 'text (default), ktap (the kernel\'s KTAP as printed), junit (JUnit XML for CI) or json ({"suites": [{"name", "status", "cases": [...]}]})',
    default: 'text',
    choices: TEST_FORMATS,
  },
  ACCEL_OPTION,
  { flag: 'append', value: 'WORD', repeatable: true, help: 'extra kernel command-line word (repeatable)' },
  { flag: 'quiet', help: 'do not stream the build output and console to stderr' },
] as const satisfies readonly OptionSpec[];

export const TEST_SPEC = {
  name: 'test',
  summary: "run a module's KUnit tests (#[kunit_tests], Linux 6.15+) in QEMU and report each case",
  description:
    'Runs the KUnit tests of the module in MODULE_DIR: its #[kunit_tests(suite)] modules and their #[test] functions (Linux 6.15+, ' +
    'kernel built with CONFIG_KUNIT=y). Builds the module, boots the kernel of --kdir in QEMU, loads the module (KUnit runs its ' +
    'suites while it loads), unloads it, and reports each suite and case: passed, failed (with the assertion and its line), ' +
    'skipped, timeout, error (a panic or oops in the case) or not-run (after a case that stopped the kernel). The report goes to ' +
    'stdout, the build output and console to stderr.',
  arguments: [MODULE_DIR_ARGUMENT],
  options: TEST_OPTIONS,
  exitStatus:
    '0 every selected test passed (skips allowed), 1 otherwise, 2 usage error or a kernel that cannot run the tests (before 6.15, no CONFIG_KUNIT)',
} as const satisfies CommandSpec;
