// Output formats of `rfl lint`: rustc-like text, JSON, SARIF 2.1.0 (code-scanning tools) and GitHub
// Actions workflow commands (annotations on pull requests).
import type { FileResult } from '../lint/lintFiles';
import { RULES, type RuleName } from '../safety/rules';
import { flatten, type FlatFinding } from './location';
import { printable } from './printable';
import { sarifUri } from './sarifUri';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

function rustcLevel(severity: string): string {
  return severity === 'information' ? 'note' : severity === 'hint' ? 'help' : severity;
}

function text(findings: FlatFinding[]): string {
  return findings.map((f) => `${printable(f.file)}:${f.line}:${f.column}: ${rustcLevel(f.severity)}: ${f.message} [${f.rule}]\n`).join('');
}

function json(findings: FlatFinding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}

/** GitHub's workflow-command escaping for properties and messages. */
function escapeGithub(value: string, property: boolean): string {
  let escaped = value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (property) escaped = escaped.replace(/:/g, '%3A').replace(/,/g, '%2C');
  return escaped;
}

function github(findings: FlatFinding[]): string {
  return findings
    .map((f) => {
      const level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const properties = [
        `file=${escapeGithub(f.file, true)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${escapeGithub(f.rule, true)}`,
      ].join(',');
      return `::${level} ${properties}::${escapeGithub(f.message, false)}\n`;
    })
    .join('');
}

function sarifLevel(severity: string): string {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function sarif(findings: FlatFinding[], version: string): string {
  const ruleNames = Object.keys(RULES) as RuleName[];
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rfl',
            informationUri: 'https://docs.kernel.org/rust/coding-guidelines.html',
            version,
            rules: ruleNames.map((name) => ({
              id: name,
              shortDescription: { text: RULES[name].summary },
              fullDescription: { text: RULES[name].explanation },
              helpUri: RULES[name].docsUrl,
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleNames.indexOf(f.rule as RuleName),
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: sarifUri(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function formatResults(results: readonly FileResult[], format: Format, version: string): string {
  const findings = flatten(results);
  switch (format) {
    case 'text':
      return text(findings);
    case 'json':
      return json(findings);
    case 'sarif':
      return sarif(findings, version);
    case 'github':
      return github(findings);
  }
}
