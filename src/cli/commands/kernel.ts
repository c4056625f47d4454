// `rfl kernel check [--kdir DIR]` and `rfl kernel prepare --source DIR_OR_TARBALL`: is this kernel
// folder usable for Rust modules (and why not, with a fix), and build one that is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cacheRoot } from '../../core/cache/cachePaths';
import { resolveToolchain, type ToolchainOverrides } from '../../core/toolchain/toolchain';
import { DebianPackageError } from '../../core/debian/aptPackages';
import { DEBIAN_KERNEL_SERIES, parseSeries } from '../../core/debian/kernelRecipes';
import { prepareTestKernel } from '../../core/debian/prepareTestKernel';
import { progressLine } from '../progressLine';
import { checkKernelTree, failedChecks, formatCheck } from '../../core/kernel/checks';
import { locateKernel } from '../../core/kernel/locate';
import { PrepareError } from '../../core/kernel/prepare';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';
import { parseSeconds } from './build';

const USAGE = `usage: rfl kernel check [--kdir DIR] [--image] [--json]
       rfl kernel prepare (--debian SERIES | --source DIR_OR_TARBALL) [options]

check     checks a kernel build folder: version, CONFIG_RUST=y, the Rust metadata modules
          need (rust/*.rmeta, Module.symvers), arch/x86/boot/bzImage, the rustc that built it.
          --image makes a missing bzImage an error. Exit 0 usable, 1 not, 2 usage error.

prepare   configures (tinyconfig + a Rust test fragment) and builds a minimal kernel that
          boots in QEMU, into \${RFL_CACHE:-\${XDG_CACHE_HOME:-~/.cache}/rust-for-linux}/kernels/
          <version>-<hash>/, reusing it when already there. The last line of output is the
          build folder, for --kdir. Without --rustc/--bindgen (or RFL_RUSTC/RFL_BINDGEN), the
          toolchain that fits the kernel's version comes from Debian's packages: installed
          when the machine has them (as root or with sudo -n), else unpacked privately into
          the cache (6.1: rustc 1.63; 6.11+: rustc-web 1.96 and Debian 13's bindgen; 7.x: GCC).
  --debian SERIES        Debian's linux-source-SERIES as the source (6.1, 6.12 from Debian 12;
                         7.2 from Debian unstable, downloaded once into the cache)
  --source PATH          kernel source folder or tarball (e.g. /usr/src/linux-source-6.12.tar.xz)
  --rustc PATH           rustc for this kernel version (recorded for later module builds)
  --bindgen PATH         bindgen for this kernel version
  --clippy-driver PATH   clippy-driver matching rustc
  --rustdoc PATH         rustdoc matching rustc
  --make-arg ARG         extra make argument (repeatable)
  --no-llvm              build with GCC instead of LLVM=1
  --config FILE          extra configuration lines merged after the fragment
  --jobs N               parallel make jobs (default: the number of CPUs)
  --cache DIR            cache folder (default as above)
  --timeout S            time limit for the kernel build
  --quiet                print only progress and the folder (no make output)
  --verbose              print make's output on a terminal too (always printed in a log)`;

async function check(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: { kdir: { type: 'string' }, image: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  const located = locateKernel(values.kdir ? path.resolve(io.cwd, values.kdir) : undefined, io.cwd);
  if (!located) throw new UsageError('no kernel folder found: pass --kdir DIR or set RFL_KDIR');
  const checks = checkKernelTree(located.kdir, { needImage: values.image });
  const failed = failedChecks(checks);
  if (values.json) {
    io.stdout(`${JSON.stringify({ kdir: located.kdir, source: located.source, ok: failed.length === 0, checks }, null, 2)}\n`);
  } else {
    io.stdout(`kernel folder ${located.kdir} (${located.source})\n${checks.map(formatCheck).join('\n')}\n`);
  }
  return failed.length === 0 ? EXIT_OK : EXIT_FINDINGS;
}

async function prepare(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      source: { type: 'string' },
      debian: { type: 'string' },
      rustc: { type: 'string' },
      bindgen: { type: 'string' },
      'clippy-driver': { type: 'string' },
      rustdoc: { type: 'string' },
      'make-arg': { type: 'string', multiple: true, default: [] },
      'no-llvm': { type: 'boolean', default: false },
      config: { type: 'string' },
      jobs: { type: 'string' },
      cache: { type: 'string' },
      timeout: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (!values.source === !values.debian) throw new UsageError('give one of --debian SERIES (e.g. 6.12) or --source DIR_OR_TARBALL');
  if (values.debian !== undefined && !parseSeries(values.debian)) throw new UsageError(`--debian wants a kernel series such as ${DEBIAN_KERNEL_SERIES.join(', ')}, not "${values.debian}"`);
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) throw new UsageError('--jobs wants a positive whole number');
  const root = values.cache ? path.resolve(io.cwd, values.cache) : cacheRoot();
  const explicit = {
    rustc: values.rustc,
    bindgen: values.bindgen,
    clippyDriver: values['clippy-driver'],
    rustdoc: values.rustdoc,
    llvm: values['no-llvm'] ? false : undefined,
    makeArgs: values['make-arg'],
  };
  const progress = progressLine(io.stderr, io.stderrIsTerminal === true && !values.verbose);
  const say = (line: string) => progress.message(line);
  const timeoutMs = parseSeconds(values.timeout, '--timeout');
  // Make's output goes to a log as it always did; on a terminal the progress line replaces it.
  const showMake = !values.quiet && (io.stderrIsTerminal !== true || values.verbose);
  try {
    const result = await prepareTestKernel({
      from: values.debian !== undefined ? { series: values.debian } : { source: path.resolve(io.cwd, values.source ?? '') },
      // Explicit tools (options or RFL_* variables) are used as given; otherwise Debian's recipe for
      // the version found in the source. No kernel folder exists yet, so nothing recorded is read.
      ...(usesExplicitToolchain(explicit) ? { toolchain: resolveToolchain('/nonexistent', explicit) } : {}),
      noLlvm: values['no-llvm'],
      cacheRoot: root,
      ...(values.config ? { extraConfig: readFileSync(path.resolve(io.cwd, values.config), 'utf8') } : {}),
      ...(jobs ? { jobs } : {}),
      ...(timeoutMs ? { buildTimeoutMs: timeoutMs } : {}),
      onLine: (line) => {
        if (showMake || /^(preparing|prepared|reusing|installing|downloading) /.test(line)) say(line);
      },
      onProgress: (update) => progress.update(update),
    });
    progress.done();
    // The last line of stdout is the folder, so scripts can take it with `tail -n1`.
    io.stdout(`${result.kdir}\n`);
    return EXIT_OK;
  } catch (error) {
    progress.done();
    io.stderr(`rfl kernel prepare: ${(error as Error).message}\n`);
    return error instanceof PrepareError || error instanceof DebianPackageError ? EXIT_FINDINGS : EXIT_USAGE_OR_IO;
  }
}

/** True when the command line or RFL_* variables name a tool, so no recipe is applied. */
function usesExplicitToolchain(explicit: ToolchainOverrides, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(explicit.rustc ?? explicit.bindgen ?? explicit.clippyDriver ?? explicit.rustdoc ?? env.RFL_RUSTC ?? env.RFL_BINDGEN ?? env.RFL_CLIPPY_DRIVER ?? env.RFL_RUSTDOC);
}

async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout(`${USAGE}\n`);
    return sub === undefined ? EXIT_USAGE_OR_IO : EXIT_OK;
  }
  if (sub === 'check') return check(rest, io);
  if (sub === 'prepare') return prepare(rest, io);
  throw new UsageError(`unknown subcommand "${sub}"; use check or prepare`);
}

export const kernelCommand: CliCommand = {
  name: 'kernel',
  summary: 'check a kernel build folder, or prepare a test kernel (kernel check | kernel prepare)',
  usage: USAGE,
  run,
};
