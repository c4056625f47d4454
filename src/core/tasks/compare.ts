// `compare`: the same workload against two modules (a C original and its Rust rewrite, say) in one
// VM, alternating A and B round by round; whether they behave the same and how their speeds compare
// (src/core/compare). Its options and exit codes; the CLI prints the report as text, JSON or HTML.
import { DEFAULT_BUILD_TIMEOUT_MS } from '../kbuild/build';
import { DEFAULT_ROUNDS } from '../compare/compareRun';
import { DEFAULT_WORKLOADS } from '../compare/defaultWorkload';
import { ACCEL_OPTION, KBUILD_OPTIONS } from './kbuild';
import { positiveSeconds, type CommandSpec, type OptionSpec } from './options';

export const COMPARE_FORMATS = ['text', 'json', 'html'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

function roundsProblem(value: string): string | undefined {
  const rounds = Number(value);
  return Number.isInteger(rounds) && rounds >= 1 && rounds <= 1000 ? undefined : `wants a whole number from 1 to 1000, not "${value}"`;
}

export const COMPARE_OPTIONS = [
  {
    flag: 'workload',
    value: 'FILE',
    help: 'the guest script run with each module loaded ($RFL_MODULE, $RFL_DEV=/dev/$RFL_MODULE; /bin/rfl-bench times operations)',
  },
  {
    flag: 'rounds',
    value: 'N',
    help: `rounds of A then B (default ${DEFAULT_ROUNDS})`,
    default: String(DEFAULT_ROUNDS),
    check: roundsProblem,
  },
  { flag: 'format', value: 'F', help: 'text (default), json or html, on stdout', default: 'text', choices: COMPARE_FORMATS },
  { flag: 'report', value: 'FILE', help: 'also write the report to FILE (.html: HTML, .json: JSON, else text)' },
  {
    flag: 'print-workload',
    value: 'NAME',
    help: `print a ready workload (${Object.keys(DEFAULT_WORKLOADS).join(', ')}) and exit`,
    choices: Object.keys(DEFAULT_WORKLOADS),
  },
  ...KBUILD_OPTIONS,
  { flag: 'timeout', value: 'S', help: 'time limit for the VM in seconds (default 60 + 40 per round)', check: positiveSeconds },
  {
    flag: 'build-timeout',
    value: 'S',
    help: `time limit for each build in seconds (default ${DEFAULT_BUILD_TIMEOUT_MS / 1000})`,
    check: positiveSeconds,
  },
  ACCEL_OPTION,
  { flag: 'quiet', help: 'do not stream the build output and console (they go to stderr)' },
] as const satisfies readonly OptionSpec[];

export const COMPARE_SPEC = {
  name: 'compare',
  summary: 'run one workload against two modules (C and its Rust rewrite) in one VM; compare behaviour and speed',
  description:
    'Builds the modules in A_DIR and B_DIR, boots the kernel of --kdir once in QEMU, and in each round loads A, runs the workload, unloads A, ' +
    "then does the same with B. Compares their behaviour (the workload's output and exit status and the module's kernel log, round by round, " +
    'with the module name normalised; the first difference as a diff) and their speed (every "rfl-bench name=... ns_per_op=..." line the ' +
    'workload prints: the ratio B/A of the medians with a 95 % bootstrap interval). An oops, WARN, BUG, panic or leak report, or a failed ' +
    'insmod/rmmod, fails that module. "rfl compare --print-workload misc-device" prints a ready workload.',
  arguments: [
    { name: 'A_DIR', help: 'the first module folder (the C original, say)' },
    { name: 'B_DIR', help: 'the second module folder (its rewrite)' },
  ],
  options: COMPARE_OPTIONS,
  exitStatus:
    '0 same behaviour and both modules clean, 1 otherwise (a difference, a failing module, a build failure, a VM that did not finish), 2 usage error or unusable kernel folder',
} as const satisfies CommandSpec;
