// Code actions. Quick fixes: each diagnostic of ours carries its rule or module check, and the fixes
// come from the finding the last lint produced at the same place (insert `// SAFETY: `, add a
// `# Safety` section, remove an unnecessary comment, repair a module! key). Refactorings: the
// module / init / exit actions that apply where the cursor is. Every range goes out in the client's
// position encoding and line convention.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Command,
  type Diagnostic,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { KernelApi } from '../core/authoring/kernelApi';
import { moduleActions } from '../core/authoring/moduleActions';
import { LineIndex } from '../core/parse/lineIndex';
import type { SyntaxNode } from '../core/parse/rustParser';
import type { Fix } from '../core/safety/findings';
import { DIAGNOSTIC_SOURCE } from '../shared/protocol';
import { coreOffset, type WireEdit, type WireFinding, type WireFix } from './lint/wire';
import type { ServerDocument } from './text/documents';
import { LspLines, type LspRange, type PositionEncoding } from './text/lspLines';

/** Command a client may offer to select the placeholder text a fix leaves behind. */
export const SELECT_PLACEHOLDER_COMMAND = 'rustForLinux.selectPlaceholder';

export interface CodeActionInput {
  document: ServerDocument;
  findings: WireFinding[];
  params: CodeActionParams;
  encoding: PositionEncoding;
  selectsPlaceholders: boolean;
  /** For refactorings: the document's syntax tree (none: no refactorings) and kernel API. */
  root: SyntaxNode | undefined;
  api: KernelApi;
  fileName: string;
}

function textEdits(document: ServerDocument, edits: WireEdit[], encoding: PositionEncoding): TextEdit[] {
  return edits.map((edit) => ({ range: document.lines.rangeAt(edit, encoding), newText: edit.newText }));
}

/** Where the placeholder lies in the client's terms once the fix is applied (it needs the edited text). */
function placeholderRange(document: ServerDocument, fix: WireFix, encoding: PositionEncoding): LspRange | undefined {
  if (!fix.placeholder) return undefined;
  let text = document.text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start))
    text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  const core = new LineIndex(text);
  return new LspLines(text).rangeAt(
    { start: coreOffset(core, fix.placeholder.start), end: coreOffset(core, fix.placeholder.end) },
    encoding,
  );
}

/**
 * The finding behind a diagnostic: same code, same start; else the only one with that code on the
 * same line, because some clients send the diagnostic back with other columns (Neovim 0.7 gives
 * byte columns whatever the negotiated encoding).
 */
function findingAt(input: CodeActionInput, diagnostic: Diagnostic): WireFinding | undefined {
  const { lines } = input.document;
  const start = lines.offsetAt(diagnostic.range.start, input.encoding);
  const sameCode = input.findings.filter((candidate) => candidate.code === diagnostic.code);
  const exact = sameCode.find((candidate) => candidate.range.start === start);
  if (exact) return exact;
  const onLine = sameCode.filter(
    (candidate) => lines.positionAt(candidate.range.start, input.encoding).line === diagnostic.range.start.line,
  );
  return onLine.length === 1 ? onLine[0] : undefined;
}

function quickFixes(input: CodeActionInput): CodeAction[] {
  const uri = input.document.uri;
  const actions: CodeAction[] = [];
  for (const diagnostic of input.params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    findingAt(input, diagnostic)?.fixes.forEach((fix, index) => {
      const action: CodeAction = {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0,
        edit: { changes: { [uri]: textEdits(input.document, fix.edits, input.encoding) } },
      };
      const placeholder = input.selectsPlaceholders ? placeholderRange(input.document, fix, input.encoding) : undefined;
      if (placeholder) {
        const command: Command = { title: 'Select the placeholder', command: SELECT_PLACEHOLDER_COMMAND, arguments: [uri, placeholder] };
        action.command = command;
      }
      actions.push(action);
    });
  }
  return actions;
}

function refactorings(input: CodeActionInput, quickFixTitles: Set<string>): CodeAction[] {
  const { document, params, root } = input;
  const only = params.context.only;
  if (!root || (only && !only.some((kind) => CodeActionKind.Refactor.startsWith(kind) || kind.startsWith(CodeActionKind.Refactor))))
    return [];
  const range = document.lines.offsetsOf(params.range, input.encoding);
  const core = new LineIndex(document.text);
  const toWire = (fix: Fix): WireEdit[] =>
    fix.edits.map((edit) => ({ start: coreOffset(core, edit.range.start), end: coreOffset(core, edit.range.end), newText: edit.newText }));
  return moduleActions({ root, text: document.text, api: input.api, start: range.start, end: range.end, fileName: input.fileName })
    .filter((fix) => !quickFixTitles.has(fix.title))
    .map((fix) => ({
      title: fix.title,
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [document.uri]: textEdits(document, toWire(fix), input.encoding) } },
    }));
}

export function codeActions(input: CodeActionInput): CodeAction[] {
  const fixes = quickFixes(input);
  return [...fixes, ...refactorings(input, new Set(fixes.map((action) => action.title)))];
}
