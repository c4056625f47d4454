// `rfl build [options] [MODULE_DIR]`: kbuild for an out-of-tree module, with rustc's diagnostics
// printed on their real files. Also holds the options build, clippy and load share.
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { buildModule, type BuildResult } from '../../core/kbuild/build';
import { formatDiagnostic } from '../../core/kbuild/diagnostics';
import type { KbuildTarget } from '../../core/kbuild/makeArgs';
import { resolveToolchain, type Toolchain } from '../../core/toolchain/toolchain';
import { locateKernel } from '../../core/kernel/locate';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';

export const KBUILD_OPTIONS_HELP = `  --kdir DIR             kernel build folder (default: $RFL_KDIR, an enclosing kernel tree,
                         or /lib/modules/$(uname -r)/build)
  --out-dir DIR          the kernel's O= build folder, when it was built out of tree
  --rustc PATH           rustc that built the kernel (also $RFL_RUSTC; default: the one
                         "rfl kernel prepare" recorded in the kernel folder)
  --bindgen PATH         bindgen (also $RFL_BINDGEN)
  --clippy-driver PATH   clippy-driver matching rustc (also $RFL_CLIPPY_DRIVER)
  --rustdoc PATH         rustdoc matching rustc (also $RFL_RUSTDOC)
  --make-arg ARG         extra make argument, e.g. KCFLAGS=-g (repeatable)
  --no-llvm              build without LLVM=1
  --timeout S            time limit in seconds`;

export const KBUILD_PARSE_OPTIONS = {
  kdir: { type: 'string' },
  'out-dir': { type: 'string' },
  rustc: { type: 'string' },
  bindgen: { type: 'string' },
  'clippy-driver': { type: 'string' },
  rustdoc: { type: 'string' },
  'make-arg': { type: 'string', multiple: true, default: [] as string[] },
  'no-llvm': { type: 'boolean', default: false },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

export interface KbuildContext {
  kdir: string;
  moduleDir: string;
  outDir: string | undefined;
  toolchain: Toolchain;
  timeoutMs: number | undefined;
}

interface KbuildValues {
  kdir?: string | undefined;
  'out-dir'?: string | undefined;
  rustc?: string | undefined;
  bindgen?: string | undefined;
  'clippy-driver'?: string | undefined;
  rustdoc?: string | undefined;
  'make-arg'?: string[] | undefined;
  'no-llvm'?: boolean | undefined;
  timeout?: string | undefined;
}

export function parseSeconds(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!(seconds > 0)) throw new UsageError(`${option} wants a positive number of seconds, not "${value}"`);
  return seconds * 1000;
}

export function kbuildContext(values: KbuildValues, positionals: string[], io: CliIo): KbuildContext {
  if (positionals.length > 1) throw new UsageError(`one module folder at a time (got ${positionals.length})`);
  const moduleDir = path.resolve(io.cwd, positionals[0] ?? '.');
  const located = locateKernel(values.kdir ? path.resolve(io.cwd, values.kdir) : undefined, moduleDir);
  if (!located) {
    throw new UsageError('no kernel build folder found: pass --kdir DIR (or set RFL_KDIR); "rfl kernel prepare --source TARBALL" builds one');
  }
  const toolchain = resolveToolchain(located.kdir, {
    rustc: values.rustc,
    bindgen: values.bindgen,
    clippyDriver: values['clippy-driver'],
    rustdoc: values.rustdoc,
    ...(values['no-llvm'] ? { llvm: false } : {}),
    makeArgs: values['make-arg'] ?? [],
  });
  return {
    kdir: located.kdir,
    moduleDir,
    outDir: values['out-dir'] ? path.resolve(io.cwd, values['out-dir']) : undefined,
    toolchain,
    timeoutMs: parseSeconds(values.timeout, '--timeout'),
  };
}

/** Runs kbuild, streaming its output, and prints a closing summary. Shared with `rfl clippy`. */
export async function runKbuildCommand(context: KbuildContext, io: CliIo, target: KbuildTarget, clippy: boolean): Promise<BuildResult> {
  const result = await buildModule({
    kdir: context.kdir,
    moduleDir: context.moduleDir,
    toolchain: context.toolchain,
    outDir: context.outDir,
    clippy,
    target,
    ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
    onLine: (line, stream) => (stream === 'stdout' ? io.stdout : io.stderr)(`${line}\n`),
  });
  const seconds = (result.durationMs / 1000).toFixed(1);
  if (result.ok) {
    const built = result.modules.map((file) => path.basename(file)).join(', ');
    io.stdout(`rfl: ${clippy ? 'clippy' : target} ok in ${seconds} s${target === 'modules' && built ? `: ${built}` : ''}${result.diagnostics.length ? ` (${result.diagnostics.length} warnings)` : ''}\n`);
  } else {
    io.stderr(`rfl: ${result.command} failed (${result.outcome}) after ${seconds} s\n`);
    for (const diagnostic of result.diagnostics) io.stderr(`  ${formatDiagnostic(diagnostic)}\n`);
    if (result.hint) io.stderr(`${result.hint}\n`);
  }
  return result;
}

const USAGE = `usage: rfl build [options] [MODULE_DIR]

Builds the out-of-tree module in MODULE_DIR (default: the current folder) with
make -C KDIR M=MODULE_DIR LLVM=1 ..., printing rustc's messages with each path resolved
to the real file (absolute, kernel-tree-relative and module-relative paths alike).

options:
${KBUILD_OPTIONS_HELP}
  --rust-analyzer        run "make rust-analyzer" to write MODULE_DIR/rust-project.json

exit status: 0 built, 1 build failed, 2 usage error or no kernel folder`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...KBUILD_PARSE_OPTIONS, 'rust-analyzer': { type: 'boolean', default: false } },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  const context = kbuildContext(values, positionals, io);
  try {
    const result = await runKbuildCommand(context, io, values['rust-analyzer'] ? 'rust-analyzer' : 'modules', false);
    if (result.ok && values['rust-analyzer']) io.stdout(`rfl: rust-analyzer project: ${path.join(context.moduleDir, 'rust-project.json')}\n`);
    return result.ok ? EXIT_OK : EXIT_FINDINGS;
  } catch (error) {
    io.stderr(`rfl build: ${(error as Error).message}\n`);
    return EXIT_USAGE_OR_IO;
  }
}

export const buildCommand: CliCommand = {
  name: 'build',
  summary: 'build an out-of-tree Rust kernel module with kbuild',
  usage: USAGE,
  run,
};
