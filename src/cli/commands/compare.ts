// `rfl compare [options] --workload FILE A_DIR B_DIR`: the same workload against two modules (a C
// original and its Rust rewrite, say) in one VM, alternating A and B round by round; prints whether
// they behave the same and how their speeds compare. Exit 0 same behaviour and both clean, 1
// otherwise, 2 usage errors or an unusable kernel folder.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compareModules, DEFAULT_ROUNDS, defaultCompareTimeoutMs } from '../../core/compare/compareRun';
import { DEFAULT_WORKLOADS } from '../../core/compare/defaultWorkload';
import { renderHtml } from '../../core/compare/htmlReport';
import { formatText, toJson, type CompareReport } from '../../core/compare/report';
import type { AccelChoice } from '../../core/qemu/accel';
import { EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';
import { KBUILD_OPTIONS_HELP, KBUILD_PARSE_OPTIONS, kbuildContext, parseSeconds } from './build';

const FORMATS = ['text', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: rfl compare [options] --workload FILE A_DIR B_DIR
       rfl compare --print-workload misc-device

Builds the modules in A_DIR and B_DIR, boots the kernel of --kdir once in QEMU, and in each round
loads A, runs the workload, unloads A, then does the same with B. Compares their behaviour (the
workload's output and exit status and the module's kernel log, round by round, with the module
name normalised) and their speed (every "rfl-bench name=... ns_per_op=..." line the workload
prints: the ratio B/A of the medians with a 95 % bootstrap interval). An oops, WARN, BUG, panic
or leak report, or a failed insmod/rmmod, fails that module.

The workload is a busybox sh script run with $RFL_MODULE and $RFL_DEV (/dev/$RFL_MODULE) set;
/bin/rfl-bench times operations (rfl-bench [-n OPS] [-r REPEATS] open|write|read|lseek FILE [SIZE]).

options:
  --workload FILE        the guest script (rfl compare --print-workload misc-device prints one)
  --rounds N             rounds of A then B (default ${DEFAULT_ROUNDS})
  --format F             text (default), json or html, on stdout
  --report FILE          also write the report to FILE (.html: HTML, .json: JSON, else text)
  --accel MODE           auto (default), kvm or tcg
  --quiet                do not stream the build output and console (they go to stderr)
  --print-workload NAME  print a ready workload (${Object.keys(DEFAULT_WORKLOADS).join(', ')}) and exit
${KBUILD_OPTIONS_HELP.replace('time limit in seconds', 'time limit for the VM in seconds (default 60 + 40 per round)')}

exit status: 0 same behaviour and both modules clean, 1 otherwise, 2 usage error or unusable kernel folder`;

function render(report: CompareReport, format: Format): string {
  if (format === 'json') return `${JSON.stringify(toJson(report), null, 2)}\n`;
  if (format === 'html') return renderHtml(report);
  return formatText(report);
}

function formatOf(file: string): Format {
  const extension = path.extname(file).toLowerCase();
  return extension === '.html' || extension === '.htm' ? 'html' : extension === '.json' ? 'json' : 'text';
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...KBUILD_PARSE_OPTIONS,
      workload: { type: 'string' },
      rounds: { type: 'string' },
      format: { type: 'string', default: 'text' },
      report: { type: 'string' },
      accel: { type: 'string', default: 'auto' },
      quiet: { type: 'boolean', default: false },
      'print-workload': { type: 'string' },
      'build-timeout': { type: 'string' },
    },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (values['print-workload'] !== undefined) {
    const workload = DEFAULT_WORKLOADS[values['print-workload']];
    if (!workload) throw new UsageError(`no ready workload "${values['print-workload']}": there is ${Object.keys(DEFAULT_WORKLOADS).join(', ')}`);
    io.stdout(workload);
    return EXIT_OK;
  }
  if (!FORMATS.includes(values.format as Format)) throw new UsageError(`--format wants text, json or html, not "${values.format}"`);
  const format = values.format as Format;
  if (values.accel !== 'auto' && values.accel !== 'kvm' && values.accel !== 'tcg') throw new UsageError(`--accel wants auto, kvm or tcg, not "${values.accel}"`);
  const accel: AccelChoice = values.accel;
  if (!values.workload) throw new UsageError('--workload FILE is required (rfl compare --print-workload misc-device > workload.sh gives one)');
  const rounds = values.rounds === undefined ? DEFAULT_ROUNDS : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) throw new UsageError(`--rounds wants a whole number from 1 to 1000, not "${values.rounds}"`);
  if (positionals.length !== 2) throw new UsageError(`two module folders, A_DIR and B_DIR (got ${positionals.length})`);
  const [aDir = '', bDir = ''] = positionals.map((dir) => path.resolve(io.cwd, dir));
  const context = kbuildContext(values, [aDir], io);
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    const report = await compareModules({
      kdir: context.kdir,
      aDir,
      bDir,
      toolchain: context.toolchain,
      outDir: context.outDir,
      workload: path.resolve(io.cwd, values.workload),
      rounds,
      accel,
      timeoutMs: context.timeoutMs ?? defaultCompareTimeoutMs(rounds),
      ...(values['build-timeout'] ? { buildTimeoutMs: parseSeconds(values['build-timeout'], '--build-timeout') ?? 0 } : {}),
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'note') io.stderr(`rfl: ${event.message}\n`);
        else if (!values.quiet && event.type === 'output') io.stderr(`${event.line}\n`);
        else if (!values.quiet && event.type === 'phase' && event.status === 'start') io.stderr(`rfl: ${event.phase}...\n`);
      },
    });
    io.stdout(render(report, format));
    if (values.report) {
      const file = path.resolve(io.cwd, values.report);
      writeFileSync(file, render(report, formatOf(file)));
      io.stderr(`rfl: report written to ${file}\n`);
    }
    return report.exitCode;
  } catch (error) {
    io.stderr(`rfl compare: ${(error as Error).message}\n`);
    return EXIT_USAGE_OR_IO;
  } finally {
    process.removeListener('SIGINT', cancel);
    process.removeListener('SIGTERM', cancel);
  }
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'run one workload against two modules (C and its Rust rewrite) in one VM; compare behaviour and speed',
  usage: USAGE,
  run,
};
