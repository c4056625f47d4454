// Hover over an unsafe block (or any code a SAFETY finding covers): what the rule asks and why, with
// a link to the kernel's coding guidelines; markdown or plain text, as the client prefers.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { RULES, type RuleName } from '../core/safety/rules';
import type { WireFinding } from './lint/wire';
import type { ServerDocument } from './text/documents';
import type { PositionEncoding } from './text/lspLines';

function explain(finding: WireFinding, format: MarkupKind): string {
  const rule = RULES[finding.code as RuleName];
  const origin = rule.clippy ? `clippy::${rule.name}` : `${rule.name} (Rust for Linux)`;
  const link = rule.clippy ? 'Rule documentation' : 'Kernel coding guidelines';
  if (format === MarkupKind.PlainText) return `${finding.message} — ${origin}\n\n${rule.explanation}\n\n${link}: ${rule.docsUrl}`;
  return `**${finding.message}** — \`${origin}\`\n\n${rule.explanation}\n\n[${link}](${rule.docsUrl})`;
}

export function hover(
  document: ServerDocument,
  findings: WireFinding[],
  position: Position,
  encoding: PositionEncoding,
  format: MarkupKind,
): Hover | null {
  const offset = document.lines.offsetAt(position, encoding);
  const covering = findings.filter((finding) => {
    const { start, end } = finding.extent ?? finding.range;
    return finding.kind === 'safety' && start <= offset && offset <= end;
  });
  if (covering.length === 0) return null;
  const separator = format === MarkupKind.PlainText ? '\n\n----\n\n' : '\n\n---\n\n';
  return { contents: { kind: format, value: covering.map((finding) => explain(finding, format)).join(separator) } };
}
