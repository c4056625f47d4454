// Code actions. Quick fixes: each diagnostic of ours carries its rule or module check, and the fixes
// come from the finding the last lint produced at the same place (insert `// SAFETY: `, add a
// `# Safety` section, remove an unnecessary comment, repair a module! key). Refactorings: the
// module / init / exit actions that apply where the cursor is.
import { CodeActionKind, type CodeAction, type CodeActionParams, type Command, type Diagnostic } from 'vscode-languageserver';
import { moduleActions } from '../core/authoring/moduleActions';
import type { KernelApi } from '../core/authoring/kernelApi';
import type { Fix, TextRange } from '../core/safety/findings';
import { DIAGNOSTIC_SOURCE } from '../shared/protocol';
import { fileNameOf, type OpenDocument } from './documentStore';

/** Command a client may offer to select the placeholder text a fix leaves behind. */
export const SELECT_PLACEHOLDER_COMMAND = 'rustForLinux.selectPlaceholder';

function sameStart(range: TextRange, diagnostic: Diagnostic): boolean {
  return range.start.line === diagnostic.range.start.line && range.start.character === diagnostic.range.start.character;
}

function fixesFor(entry: OpenDocument, diagnostic: Diagnostic): Fix[] {
  const safety = entry.findings.find((candidate) => candidate.rule === diagnostic.code && sameStart(candidate.range, diagnostic));
  if (safety) return safety.fixes;
  return entry.moduleFindings.find((candidate) => candidate.check === diagnostic.code && sameStart(candidate.range, diagnostic))?.fixes ?? [];
}

export function codeActions(entry: OpenDocument, params: CodeActionParams, clientSelectsPlaceholders: boolean, api: KernelApi): CodeAction[] {
  const uri = entry.document.uri;
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    fixesFor(entry, diagnostic).forEach((fix, index) => {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0,
        edit: { changes: { [uri]: fix.edits } },
      };
      if (fix.placeholder && clientSelectsPlaceholders) {
        const command: Command = { title: 'Select the placeholder', command: SELECT_PLACEHOLDER_COMMAND, arguments: [uri, fix.placeholder] };
        action.command = command;
      }
      actions.push(action);
    });
  }
  const only = params.context.only;
  if (entry.tree && (!only || only.some((kind) => CodeActionKind.Refactor.startsWith(kind) || kind.startsWith(CodeActionKind.Refactor)))) {
    const quickFixTitles = new Set(actions.map((action) => action.title));
    const refactors = moduleActions({
      root: entry.tree.rootNode,
      text: entry.document.getText(),
      api,
      start: entry.document.offsetAt(params.range.start),
      end: entry.document.offsetAt(params.range.end),
      fileName: fileNameOf(entry.document),
    });
    for (const fix of refactors) {
      if (quickFixTitles.has(fix.title)) continue;
      actions.push({ title: fix.title, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [uri]: fix.edits } } });
    }
  }
  return actions;
}
