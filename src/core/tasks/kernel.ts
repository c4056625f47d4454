// `kernel check` and `kernel prepare`: is this kernel folder usable for Rust modules (and why not,
// with a fix), and build one that is. Options and checks; the runs are the CLI's
// (src/cli/commands/kernel.ts), over src/core/kernel.
import type { CommandSpec, OptionSpec } from './options';
import { DEBIAN_KERNEL_SERIES, parseSeries } from '../debian/kernelRecipes';
import { positiveSeconds } from './options';

export const KERNEL_CHECK_SPEC = {
  name: 'kernel check',
  summary: 'check a kernel build folder for Rust modules',
  description:
    'Checks a kernel build folder: version, CONFIG_RUST=y, the Rust metadata modules need (rust/*.rmeta, Module.symvers), ' +
    'arch/x86/boot/bzImage, the rustc that built it.',
  arguments: [],
  options: [
    {
      flag: 'kdir',
      value: 'DIR',
      help: 'kernel build folder (default: $RFL_KDIR, an enclosing kernel tree, or /lib/modules/$(uname -r)/build)',
    },
    { flag: 'image', help: 'make a missing bzImage an error' },
    { flag: 'json', help: 'print the checks as JSON' },
  ] as const satisfies readonly OptionSpec[],
  exitStatus: '0 usable, 1 not, 2 usage error',
} as const satisfies CommandSpec;

export const KERNEL_PREPARE_SPEC = {
  name: 'kernel prepare',
  summary: 'configure and build a minimal test kernel that boots in QEMU',
  description:
    'Configures (tinyconfig + a Rust test fragment) and builds a minimal kernel that boots in QEMU, into ' +
    '${RFL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/rust-for-linux}/kernels/<version>-<hash>/, reusing it when already there. ' +
    'The last line of output is the build folder, for --kdir. Without --rustc/--bindgen (or RFL_RUSTC/RFL_BINDGEN), the ' +
    "toolchain that fits the kernel's version comes from Debian's packages (src/core/debian/kernelRecipes.ts): installed " +
    'when missing (as root or with sudo -n), or unpacked privately into the cache for packages of other Debian releases.',
  arguments: [],
  options: [
    {
      flag: 'debian',
      value: 'SERIES',
      help: "Debian's linux-source-SERIES as the source: 6.1 or 6.12 (Debian 12), 7.2 (Debian unstable, downloaded once)",
      check: (value) =>
        parseSeries(value) ? undefined : `wants a kernel series such as ${DEBIAN_KERNEL_SERIES.join(', ')}, not "${value}"`,
    },
    { flag: 'source', value: 'PATH', help: 'kernel source folder or tarball (e.g. /usr/src/linux-source-6.12.tar.xz); this or --debian' },
    { flag: 'rustc', value: 'PATH', help: 'rustc for this kernel version (recorded for later module builds)' },
    { flag: 'bindgen', value: 'PATH', help: 'bindgen for this kernel version' },
    { flag: 'clippy-driver', value: 'PATH', help: 'clippy-driver matching rustc' },
    { flag: 'rustdoc', value: 'PATH', help: 'rustdoc matching rustc' },
    { flag: 'make-arg', value: 'ARG', repeatable: true, help: 'extra make argument (repeatable)' },
    { flag: 'no-llvm', help: 'build with GCC instead of LLVM=1' },
    { flag: 'config', value: 'FILE', help: 'extra configuration lines merged after the fragment' },
    {
      flag: 'jobs',
      value: 'N',
      help: 'parallel make jobs (default: the number of CPUs)',
      check: (value) => (Number.isInteger(Number(value)) && Number(value) > 0 ? undefined : 'wants a positive whole number'),
    },
    { flag: 'cache', value: 'DIR', help: 'cache folder (default as above)' },
    { flag: 'timeout', value: 'S', help: 'time limit for the kernel build', check: positiveSeconds },
    { flag: 'quiet', help: 'print only progress and the folder (no make output)' },
    { flag: 'verbose', help: "print make's output on a terminal too (a log always gets it)" },
  ] as const satisfies readonly OptionSpec[],
  exitStatus: '0 prepared (the folder is the last line), 1 the kernel did not configure or build, 2 usage or I/O error',
} as const satisfies CommandSpec;
