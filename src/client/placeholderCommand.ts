// After a quick fix inserts `// SAFETY: TODO: ...`, select the placeholder so the user types over it.
import * as vscode from 'vscode';

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export function registerPlaceholderCommand(): vscode.Disposable {
  return vscode.commands.registerCommand('rustForLinux.selectPlaceholder', (uri: string, range: LspRange) => {
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === uri);
    if (!editor) return;
    const selection = new vscode.Selection(range.start.line, range.start.character, range.end.line, range.end.character);
    editor.selection = selection;
    editor.revealRange(selection);
  });
}
