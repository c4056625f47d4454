// Quick fixes: each diagnostic of ours carries its rule; the fixes come from the finding the last
// lint produced at the same place (insert `// SAFETY: `, add a `# Safety` section, remove an
// unnecessary comment).
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command } from 'vscode-languageserver';
import type { Finding } from '../core/safety/findings';
import { DIAGNOSTIC_SOURCE } from '../shared/protocol';
import type { OpenDocument } from './documentStore';

/** Command a client may offer to select the placeholder text a fix leaves behind. */
export const SELECT_PLACEHOLDER_COMMAND = 'rustForLinux.selectPlaceholder';

function sameStart(finding: Finding, line: number, character: number): boolean {
  return finding.range.start.line === line && finding.range.start.character === character;
}

export function codeActions(
  entry: OpenDocument,
  params: CodeActionParams,
  clientSelectsPlaceholders: boolean,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const finding = entry.findings.find(
      (candidate) =>
        candidate.rule === diagnostic.code &&
        sameStart(candidate, diagnostic.range.start.line, diagnostic.range.start.character),
    );
    for (const fix of finding?.fixes ?? []) {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [entry.document.uri]: fix.edits } },
      };
      if (fix.placeholder && clientSelectsPlaceholders) {
        const command: Command = {
          title: 'Select the placeholder',
          command: SELECT_PLACEHOLDER_COMMAND,
          arguments: [entry.document.uri, fix.placeholder],
        };
        action.command = command;
      }
      actions.push(action);
    }
  }
  return actions;
}
