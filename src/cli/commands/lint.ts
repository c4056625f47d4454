// `rfl lint [--format text|json|sarif|github] [--rule RULE=SEVERITY]... PATHS...` (options in
// src/core/tasks/lint.ts). Exit 0 without findings, 1 with findings, 2 on a usage or I/O error.
import { version } from '../../../package.json';
import { collectRustFiles } from '../../core/files/collectRustFiles';
import { DEFAULT_MAX_FILE_BYTES } from '../../core/files/readSource';
import type { CfgSet } from '../../core/lint/kernelCfg';
import { lintFile, type FileResult } from '../../core/lint/lintFiles';
import { formatResults } from '../../core/report/formats';
import { printable } from '../../core/report/printable';
import { SafetyLinter } from '../../core/safety/safetyLinter';
import { EXIT_FAILED, EXIT_OK, EXIT_SETUP } from '../../core/tasks/exitCodes';
import { LINT_SPEC, parseRuleOptions } from '../../core/tasks/lint';
import { readOptions, UsageError } from '../../core/tasks/options';
import type { CliCommand, CliIo } from '../command';

async function run(raw: Readonly<Record<string, unknown>>, paths: string[], io: CliIo): Promise<number> {
  const values = readOptions(LINT_SPEC.options, raw);
  const options = {
    hints: values.hints,
    format: values.format,
    severities: parseRuleOptions(values.rule),
    maxFileBytes: values.maxFileSize === undefined ? DEFAULT_MAX_FILE_BYTES : Number(values.maxFileSize) * 1024 * 1024,
    paths,
    kernelCfgs: new Map<string, CfgSet | null>(),
  };
  if (options.paths.length === 0) throw new UsageError('no paths given: name the files or folders to lint');
  let collected;
  try {
    collected = await collectRustFiles(options.paths);
  } catch (error) {
    io.stderr(`rfl lint: ${printable((error as Error).message)}\n`);
    return EXIT_SETUP;
  }
  const { files, problems } = collected;
  const linter = await SafetyLinter.create();
  const results: FileResult[] = [];
  for (const file of files) {
    const result = await lintFile(linter, file, options);
    // Hints are for editors, where they stay unobtrusive; a terminal shows them only on request.
    if (!options.hints) result.findings = result.findings.filter((finding) => finding.severity !== 'hint');
    results.push(result);
  }

  // A folder that cannot be searched is reported like a file that cannot be read: the rest is linted.
  let failed = problems.length > 0;
  for (const problem of problems) io.stderr(`rfl lint: ${printable(problem)}\n`);
  for (const result of results) {
    if (result.error) {
      failed = true;
      io.stderr(`rfl lint: ${printable(result.file)}: ${result.error}\n`);
    } else if (result.warning) {
      io.stderr(`rfl lint: ${printable(result.file)}: warning: ${result.warning}\n`);
    }
  }
  io.stdout(formatResults(results, options.format, version));
  if (failed) return EXIT_SETUP;
  return results.some((result) => result.findings.length > 0) ? EXIT_FAILED : EXIT_OK;
}

export const lintCommand: CliCommand = { spec: LINT_SPEC, run };
