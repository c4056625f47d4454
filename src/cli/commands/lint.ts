// `rfl lint [--format text|json|sarif|github] [--rule RULE=SEVERITY]... PATHS...`
// Exit 0 without findings, 1 with findings, 2 on a usage or I/O error.
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { collectRustFiles } from '../../core/files/collectRustFiles';
import { DEFAULT_MAX_FILE_BYTES } from '../../core/files/readSource';
import { lintFile, type FileResult } from '../../core/lint/lintFiles';
import { formatResults, FORMATS, type Format } from '../../core/report/formats';
import { printable } from '../../core/report/printable';
import { isRuleName, isSeverity, RULE_NAMES, SEVERITIES, type SeverityOverrides } from '../../core/safety/rules';
import { SafetyLinter } from '../../core/safety/safetyLinter';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';

const USAGE = `usage: rfl lint [options] PATHS...

Checks SAFETY comments in Rust files the way clippy does under the kernel's lint set
(undocumented_unsafe_blocks, unnecessary_safety_comment, missing_safety_doc,
unnecessary_safety_doc), plus the kernel's own comment rules. Folders are searched for *.rs
files, skipping target/ and hidden folders.

options:
  --format FORMAT        text (default), json, sarif or github
  --rule RULE=SEVERITY   set a rule's severity: ${SEVERITIES.join(', ')} (repeatable)
  --hints                also print hint-level findings (the kernel comment-style rule)
  --max-file-size MB     skip files larger than this (default ${DEFAULT_MAX_FILE_BYTES / 1024 / 1024})

rules: ${RULE_NAMES.join(', ')}

exit status: 0 no findings, 1 findings, 2 usage or I/O error`;

function parseRuleOptions(values: string[]): SeverityOverrides {
  const overrides: SeverityOverrides = {};
  for (const value of values) {
    const [rule, severity, ...rest] = value.split('=');
    if (!rule || !isRuleName(rule)) throw new UsageError(`unknown rule in --rule ${value}; rules: ${RULE_NAMES.join(', ')}`);
    if (!severity || !isSeverity(severity) || rest.length > 0) {
      throw new UsageError(`unknown severity in --rule ${value}; severities: ${SEVERITIES.join(', ')}`);
    }
    overrides[rule] = severity;
  }
  return overrides;
}

function parseOptions(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      rule: { type: 'string', multiple: true, default: [] },
      'max-file-size': { type: 'string' },
      hints: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const format = values.format;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format "${format}"; use one of ${FORMATS.join(', ')}`);
  }
  const maxMegabytes = values['max-file-size'] === undefined ? undefined : Number(values['max-file-size']);
  if (maxMegabytes !== undefined && !(maxMegabytes * 1024 * 1024 >= 1)) {
    throw new UsageError('--max-file-size wants a number of MB of at least one byte (0.000001)');
  }
  return {
    help: values.help,
    hints: values.hints,
    format: format as Format,
    severities: parseRuleOptions(values.rule),
    maxFileBytes: maxMegabytes === undefined ? DEFAULT_MAX_FILE_BYTES : maxMegabytes * 1024 * 1024,
    paths: positionals,
  };
}

async function run(args: string[], io: CliIo): Promise<number> {
  const options = parseOptions(args);
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (options.paths.length === 0) throw new UsageError('no paths given: name the files or folders to lint');
  let collected;
  try {
    collected = await collectRustFiles(options.paths);
  } catch (error) {
    io.stderr(`rfl lint: ${printable((error as Error).message)}\n`);
    return EXIT_USAGE_OR_IO;
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
  if (failed) return EXIT_USAGE_OR_IO;
  return results.some((result) => result.findings.length > 0) ? EXIT_FINDINGS : EXIT_OK;
}

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'check SAFETY comments as clippy does, plus the kernel comment rules',
  usage: USAGE,
  run,
};
