// `rfl kernel check [--kdir DIR]` and `rfl kernel prepare --source DIR_OR_TARBALL`: is this kernel
// folder usable for Rust modules (and why not, with a fix), and build one that is.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cacheRoot } from '../../core/cache/cachePaths';
import { resolveToolchain } from '../../core/toolchain/toolchain';
import { checkKernelTree, failedChecks, formatCheck } from '../../core/kernel/checks';
import { locateKernel } from '../../core/kernel/locate';
import { PrepareError, prepareKernel } from '../../core/kernel/prepare';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';
import { parseSeconds } from './build';

const USAGE = `usage: rfl kernel check [--kdir DIR] [--image] [--json]
       rfl kernel prepare --source DIR_OR_TARBALL [options]

check     checks a kernel build folder: version, CONFIG_RUST=y, the Rust metadata modules
          need (rust/*.rmeta, Module.symvers), arch/x86/boot/bzImage, the rustc that built it.
          --image makes a missing bzImage an error. Exit 0 usable, 1 not, 2 usage error.

prepare   configures (tinyconfig + a Rust test fragment) and builds a minimal kernel that
          boots in QEMU, into \${RFL_CACHE:-\${XDG_CACHE_HOME:-~/.cache}/rust-for-linux}/kernels/
          <version>-<hash>/, reusing it when already there. The last line of output is the
          build folder, for --kdir.
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
  --quiet                print only progress lines and the folder`;

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
    },
  });
  if (!values.source) throw new UsageError('--source DIR_OR_TARBALL is required');
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) throw new UsageError('--jobs wants a positive whole number');
  const root = values.cache ? path.resolve(io.cwd, values.cache) : cacheRoot();
  // No kernel folder exists yet: only explicit options and RFL_* variables pick the toolchain.
  const toolchain = resolveToolchain('/nonexistent', {
    rustc: values.rustc,
    bindgen: values.bindgen,
    clippyDriver: values['clippy-driver'],
    rustdoc: values.rustdoc,
    llvm: !values['no-llvm'],
    makeArgs: values['make-arg'],
  });
  const timeoutMs = parseSeconds(values.timeout, '--timeout');
  try {
    const result = await prepareKernel({
      source: path.resolve(io.cwd, values.source),
      cacheRoot: root,
      toolchain,
      ...(values.config ? { extraConfig: readFileSync(path.resolve(io.cwd, values.config), 'utf8') } : {}),
      ...(jobs ? { jobs } : {}),
      ...(timeoutMs ? { buildTimeoutMs: timeoutMs } : {}),
      onLine: (line) => {
        if (!values.quiet || line.startsWith('$ ') || /^(preparing|prepared|reusing) /.test(line)) io.stderr(`${line}\n`);
      },
    });
    // The last line of stdout is the folder, so scripts can take it with `tail -n1`.
    io.stdout(`${result.kdir}\n`);
    return EXIT_OK;
  } catch (error) {
    io.stderr(`rfl kernel prepare: ${(error as Error).message}\n`);
    return error instanceof PrepareError ? EXIT_FINDINGS : EXIT_USAGE_OR_IO;
  }
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
