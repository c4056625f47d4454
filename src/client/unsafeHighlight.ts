// Highlights the whole extent of every undocumented unsafe block and impl (the diagnostic itself
// underlines only the first line, as clippy reports it). Theme-aware through a contributed color,
// and switched off with `rustForLinux.highlightUndocumentedUnsafe`.
import * as vscode from 'vscode';
import type { DiagnosticData } from '../shared/protocol';

export const HIGHLIGHT_SETTING = 'rustForLinux.highlightUndocumentedUnsafe';

export class UnsafeHighlighter implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('rustForLinux.undocumentedUnsafeBackground'),
    isWholeLine: false,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    overviewRulerColor: new vscode.ThemeColor('rustForLinux.undocumentedUnsafeBackground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private readonly extents = new Map<string, vscode.Range[]>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(HIGHLIGHT_SETTING)) this.refreshAll();
      }),
    );
  }

  private get enabled(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(HIGHLIGHT_SETTING, true);
  }

  /** Records the extents carried by a document's diagnostics (called from the client middleware). */
  update(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): void {
    const ranges: vscode.Range[] = [];
    for (const diagnostic of diagnostics) {
      const data = (diagnostic as vscode.Diagnostic & { data?: DiagnosticData }).data;
      if (data?.rule !== 'undocumented_unsafe_blocks' || !data.extent) continue;
      const { start, end } = data.extent;
      ranges.push(new vscode.Range(start.line, start.character, end.line, end.character));
    }
    this.extents.set(uri.toString(), ranges);
    this.refreshAll();
  }

  /** The highlighted ranges of a document (for tests and screenshots). */
  rangesFor(uri: vscode.Uri): readonly vscode.Range[] {
    return this.enabled ? (this.extents.get(uri.toString()) ?? []) : [];
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.decoration, [...this.rangesFor(editor.document.uri)]);
    }
  }

  dispose(): void {
    this.decoration.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
