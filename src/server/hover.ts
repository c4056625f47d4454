// Hover over an unsafe block (or any code a finding covers): what the rule asks and why, with a
// link to the kernel's coding guidelines.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { Finding, TextRange } from '../core/safety/findings';
import { RULES } from '../core/safety/rules';
import type { OpenDocument } from './documentStore';

function contains(range: TextRange, position: Position): boolean {
  const afterStart =
    position.line > range.start.line ||
    (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd =
    position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}

function explain(finding: Finding): string {
  const rule = RULES[finding.rule];
  const origin = rule.clippy ? `clippy::${rule.name}` : `${rule.name} (Rust for Linux)`;
  return `**${finding.message}** — \`${origin}\`\n\n${rule.explanation}\n\n[${rule.clippy ? 'Rule documentation' : 'Kernel coding guidelines'}](${rule.docsUrl})`;
}

export function hover(entry: OpenDocument, position: Position): Hover | null {
  const covering = entry.findings.filter((finding) => contains(finding.extent ?? finding.range, position));
  if (covering.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: covering.map(explain).join('\n\n---\n\n') },
  };
}
