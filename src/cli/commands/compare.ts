// `rfl compare [options] --workload FILE A_DIR B_DIR` (options in src/core/tasks/compare.ts): the
// same workload against two modules in one VM; the report as text, JSON or HTML on stdout, and
// optionally into --report FILE. Progress and the console go to stderr, so stdout is the report.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareModules, defaultCompareTimeoutMs } from '../../core/compare/compareRun';
import { DEFAULT_WORKLOADS } from '../../core/compare/defaultWorkload';
import { renderHtml } from '../../core/compare/htmlReport';
import { formatText, toJson, type CompareReport } from '../../core/compare/report';
import { COMPARE_SPEC, type CompareFormat } from '../../core/tasks/compare';
import { EXIT_OK, EXIT_SETUP } from '../../core/tasks/exitCodes';
import { kbuildContext } from '../../core/tasks/kbuild';
import { readOptions, secondsToMs, UsageError } from '../../core/tasks/options';
import type { CliCommand } from '../command';

function render(report: CompareReport, format: CompareFormat): string {
  if (format === 'json') return `${JSON.stringify(toJson(report), null, 2)}\n`;
  if (format === 'html') return renderHtml(report);
  return formatText(report);
}

function formatOf(file: string): CompareFormat {
  const extension = path.extname(file).toLowerCase();
  return extension === '.html' || extension === '.htm' ? 'html' : extension === '.json' ? 'json' : 'text';
}

export const compareCommand: CliCommand = {
  spec: COMPARE_SPEC,
  async run(raw, args, io) {
    const values = readOptions(COMPARE_SPEC.options, raw);
    if (values.printWorkload !== undefined) {
      io.stdout(DEFAULT_WORKLOADS[values.printWorkload] ?? '');
      return EXIT_OK;
    }
    if (!values.workload)
      throw new UsageError('--workload FILE is required (rfl compare --print-workload misc-device > workload.sh gives one)');
    if (args.length !== 2) throw new UsageError(`two module folders, A_DIR and B_DIR (got ${args.length})`);
    const rounds = Number(values.rounds);
    const [aDir = '', bDir = ''] = args.map((dir) => path.resolve(io.cwd, dir));
    try {
      const context = kbuildContext(values, aDir, io.cwd);
      // Signals are handled for every command by installSignalTeardown (main.ts).
      const report = await compareModules({
        kdir: context.kdir,
        aDir,
        bDir,
        toolchain: context.toolchain,
        outDir: context.outDir,
        workload: path.resolve(io.cwd, values.workload),
        rounds,
        accel: values.accel,
        timeoutMs: context.timeoutMs ?? defaultCompareTimeoutMs(rounds),
        buildTimeoutMs: secondsToMs(values.buildTimeout),
        onEvent: (event) => {
          if (event.type === 'note') io.stderr(`rfl: ${event.message}\n`);
          else if (!values.quiet && event.type === 'output') io.stderr(`${event.line}\n`);
          else if (!values.quiet && event.type === 'phase' && event.status === 'start') io.stderr(`rfl: ${event.phase}...\n`);
        },
      });
      io.stdout(render(report, values.format));
      if (values.report) {
        const file = path.resolve(io.cwd, values.report);
        writeFileSync(file, render(report, formatOf(file)));
        io.stderr(`rfl: report written to ${file}\n`);
      }
      return report.exitCode;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.stderr(`rfl compare: ${(error as Error).message}\n`);
      return EXIT_SETUP;
    }
  },
};
