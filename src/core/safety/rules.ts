// The rules the linter knows: clippy's four SAFETY lints under clippy's own names, so users
// recognise them, and the kernel-specific checks that clippy does not make.

export type Severity = 'error' | 'warning' | 'information' | 'hint' | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint', 'off'];

export const RULE_NAMES = [
  'undocumented_unsafe_blocks',
  'unnecessary_safety_comment',
  'missing_safety_doc',
  'unnecessary_safety_doc',
  'safety_comment_without_justification',
  'safety_comment_style',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface RuleInfo {
  name: RuleName;
  /** True for rules that mirror a clippy lint of the same name. */
  clippy: boolean;
  defaultSeverity: Severity;
  /** Lint groups that `allow`/`warn` attributes may name instead of the lint itself. */
  groups: readonly string[];
  summary: string;
  explanation: string;
  docsUrl: string;
}

const GUIDELINES = 'https://docs.kernel.org/rust/coding-guidelines.html';
const clippyDocs = (lint: string): string => `https://rust-lang.github.io/rust-clippy/master/index.html#${lint}`;

export const RULES: Readonly<Record<RuleName, RuleInfo>> = {
  undocumented_unsafe_blocks: {
    name: 'undocumented_unsafe_blocks',
    clippy: true,
    defaultSeverity: 'warning',
    groups: ['clippy::restriction'],
    summary: 'unsafe block or impl without a `// SAFETY:` comment',
    explanation:
      'The kernel requires every `unsafe` block and `unsafe impl` to be preceded by a `// SAFETY:` comment ' +
      'that explains why the code is sound: which preconditions hold and why. Clippy checks this under ' +
      '`make CLIPPY=1`; the comment must be on the lines directly above the `unsafe` (or above the ' +
      'statement that holds it).',
    docsUrl: GUIDELINES,
  },
  unnecessary_safety_comment: {
    name: 'unnecessary_safety_comment',
    clippy: true,
    defaultSeverity: 'warning',
    groups: ['clippy::restriction'],
    summary: '`// SAFETY:` comment on code that holds no unsafe block',
    explanation:
      'A `// SAFETY:` comment justifies an unsafe operation. Above safe code it misleads the reader; ' +
      'move it to the unsafe block it belongs to, or remove it.',
    docsUrl: clippyDocs('unnecessary_safety_comment'),
  },
  missing_safety_doc: {
    name: 'missing_safety_doc',
    clippy: true,
    defaultSeverity: 'warning',
    groups: ['clippy::style', 'clippy::all'],
    summary: 'unsafe function or trait without a `# Safety` section in its docs',
    explanation:
      'Every `unsafe fn` and `unsafe trait` documents its contract, the conditions callers must uphold, ' +
      'in a `# Safety` section of its doc comment. The kernel runs clippy with `check-private-items`, so ' +
      'private items count too.',
    docsUrl: GUIDELINES,
  },
  unnecessary_safety_doc: {
    name: 'unnecessary_safety_doc',
    clippy: true,
    defaultSeverity: 'warning',
    groups: ['clippy::restriction'],
    summary: 'safe function or trait with a `# Safety` section in its docs',
    explanation:
      'A `# Safety` section states what callers of an unsafe function must guarantee; a safe function has ' +
      'no such contract. Remove the section or make the function `unsafe`.',
    docsUrl: clippyDocs('unnecessary_safety_doc'),
  },
  safety_comment_without_justification: {
    name: 'safety_comment_without_justification',
    clippy: false,
    defaultSeverity: 'warning',
    groups: [],
    summary: '`// SAFETY:` comment that justifies nothing',
    explanation:
      'A `// SAFETY:` tag alone, or followed only by TODO or FIXME, satisfies clippy but explains nothing. ' +
      'Say which preconditions of the unsafe operation hold, and why.',
    docsUrl: GUIDELINES,
  },
  safety_comment_style: {
    name: 'safety_comment_style',
    clippy: false,
    defaultSeverity: 'hint',
    groups: [],
    summary: 'SAFETY comment not in the kernel comment style',
    explanation:
      'The kernel writes the tag as `SAFETY:` in capitals, and comments as sentences: starting with a ' +
      'capital letter and ending with a period.',
    docsUrl: GUIDELINES,
  },
};

export function isRuleName(name: string): name is RuleName {
  return (RULE_NAMES as readonly string[]).includes(name);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

export type SeverityOverrides = Partial<Record<RuleName, Severity>>;

export function severityOf(rule: RuleName, overrides: SeverityOverrides = {}): Severity {
  return overrides[rule] ?? RULES[rule].defaultSeverity;
}
