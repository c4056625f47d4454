// `lint`: SAFETY comments checked as clippy does under the kernel's lint set, plus the kernel's own
// comment rules. Options and their checks; the run is the CLI's (src/cli/commands/lint.ts), over
// src/core/lint.
import { DEFAULT_MAX_FILE_BYTES } from '../files/readSource';
import { FORMATS } from '../report/formats';
import { isRuleName, isSeverity, RULE_NAMES, SEVERITIES, type SeverityOverrides } from '../safety/rules';
import { listChoices } from '../schema/listChoices';
import { UsageError, type CommandSpec, type OptionSpec } from './options';

export const LINT_SPEC = {
  name: 'lint',
  summary: 'check SAFETY comments as clippy does, plus the kernel comment rules',
  description:
    "Checks SAFETY comments in Rust files the way clippy does under the kernel's lint set (undocumented_unsafe_blocks, " +
    "unnecessary_safety_comment, missing_safety_doc, unnecessary_safety_doc), plus the kernel's own comment rules. Folders are " +
    `searched for *.rs files, skipping target/ and hidden folders. Rules: ${RULE_NAMES.join(', ')}.`,
  arguments: [{ name: 'PATHS', help: 'files and folders to lint', variadic: true }],
  options: [
    { flag: 'format', value: 'FORMAT', help: `output format: ${listChoices(FORMATS)} (default: text)`, default: 'text', choices: FORMATS },
    { flag: 'rule', value: 'RULE=SEVERITY', repeatable: true, help: `set a rule's severity: ${SEVERITIES.join(', ')} (repeatable)` },
    { flag: 'hints', help: 'also print hint-level findings (the kernel comment-style rule)' },
    {
      flag: 'max-file-size',
      value: 'MB',
      help: `skip files larger than this (default ${DEFAULT_MAX_FILE_BYTES / 1024 / 1024})`,
      check: (value) => (Number(value) * 1024 * 1024 >= 1 ? undefined : 'wants a number of MB of at least one byte (0.000001)'),
    },
  ] as const satisfies readonly OptionSpec[],
  exitStatus: '0 no findings, 1 findings, 2 usage or I/O error',
} as const satisfies CommandSpec;

/** `--rule RULE=SEVERITY` words as severity overrides. */
export function parseRuleOptions(values: readonly string[]): SeverityOverrides {
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
