// `rfl load [options] [MODULE_DIR]`: build the module, boot the kernel in QEMU with it, load it,
// run the optional guest script, unload it, and print the verdict. Exit 0 only when every step was
// clean; 1 for any bad outcome (build, boot, insmod errno, panic/oops/BUG/WARN, rmmod, timeout);
// 2 for usage errors or a kernel folder that cannot be used.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LOAD_TIMEOUT_MS, LoadSetupError, loadModule } from '../../core/qemu/loadRun';
import { formatVerdict } from '../../core/qemu/formatVerdict';
import type { AccelChoice } from '../../core/qemu/accel';
import { EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';
import { KBUILD_OPTIONS_HELP, KBUILD_PARSE_OPTIONS, kbuildContext, parseSeconds } from './build';

const USAGE = `usage: rfl load [options] [MODULE_DIR]

Builds the module in MODULE_DIR (default: the current folder), boots the kernel of --kdir in
QEMU with it in a fresh initramfs, loads it (dependencies first), runs --guest-script, unloads
it, and reports: build, boot, insmod (with the errno), the module's log lines, any
panic/oops/BUG/WARN/KASAN report with its call trace, rmmod, and the time of each phase.

options:
${KBUILD_OPTIONS_HELP.replace('time limit in seconds', `time limit for the VM in seconds (default ${DEFAULT_LOAD_TIMEOUT_MS / 1000})`)}
  --accel MODE           auto (default: KVM only if it boots, else TCG), kvm or tcg
  --param NAME=VALUE     module parameter for the modules under test (repeatable)
  --module NAME          load only this module of the folder (repeatable)
  --guest-script FILE    busybox sh script to run in the guest while the module is loaded
  --append WORD          extra kernel command-line word, e.g. panic_on_warn=1 (repeatable)
  --no-build             load the .ko files already built
  --json                 print the verdict as JSON instead of text
  --quiet                do not stream the build output and console
  --keep                 keep the run folder (initramfs, /init) and print its path

exit status: 0 clean load and unload, 1 any bad outcome, 2 usage error or unusable kernel folder`;

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
      accel: { type: 'string', default: 'auto' },
      param: { type: 'string', multiple: true, default: [] },
      module: { type: 'string', multiple: true, default: [] },
      'guest-script': { type: 'string' },
      append: { type: 'string', multiple: true, default: [] },
      'no-build': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'build-timeout': { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  const accel = parseAccel(values.accel);
  for (const param of values.param) {
    if (!/^[\w.-]+=\S*$/.test(param)) throw new UsageError(`--param wants NAME=VALUE without spaces, not "${param}"`);
  }
  const context = kbuildContext(values, positionals, io);
  const live = !values.quiet && !values.json;
  try {
    const verdict = await loadModule({
      kdir: context.kdir,
      moduleDir: context.moduleDir,
      toolchain: context.toolchain,
      outDir: context.outDir,
      build: !values['no-build'],
      modules: values.module,
      params: values.param.join(' '),
      guestScript: values['guest-script'] ? path.resolve(io.cwd, values['guest-script']) : undefined,
      accel,
      ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
      ...(values['build-timeout'] ? { buildTimeoutMs: parseSeconds(values['build-timeout'], '--build-timeout') ?? 0 } : {}),
      append: values.append,
      keepRunDir: values.keep,
      onEvent: (event) => {
        if (event.type === 'note') io.stderr(`rfl: ${event.message}\n`);
        else if (live && event.type === 'output') io.stdout(`${event.line}\n`);
        else if (live && event.type === 'phase' && event.status === 'start' && event.phase !== 'verdict') io.stdout(`rfl: ${event.phase}...\n`);
      },
    });
    io.stdout(values.json ? `${JSON.stringify(verdict, null, 2)}\n` : formatVerdict(verdict));
    return verdict.exitCode;
  } catch (error) {
    if (error instanceof LoadSetupError) {
      io.stderr(`rfl load: ${error.message}\n`);
      return EXIT_USAGE_OR_IO;
    }
    io.stderr(`rfl load: ${(error as Error).message}\n`);
    return EXIT_USAGE_OR_IO;
  }
}

export const loadCommand: CliCommand = {
  name: 'load',
  summary: 'build a module, load and unload it in QEMU, and report a verdict',
  usage: USAGE,
  run,
};
