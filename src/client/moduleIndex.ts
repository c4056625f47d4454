// The module folders of the open workspace, found once and found again when a Kbuild, Makefile or
// Rust file appears or goes, or when workspace folders change. Shared by the task provider, the
// status-bar button and the rust-analyzer command.
import * as vscode from 'vscode';
import { findModuleFolders, pickActiveModule } from './moduleFolders';

export interface WorkspaceModule {
  dir: string;
  folder: vscode.WorkspaceFolder;
}

export class ModuleIndex implements vscode.Disposable {
  private modules: Promise<WorkspaceModule[]> | undefined;
  private lastUsed: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** Fires when the set of module folders may have changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{Kbuild,Makefile,*.rs}', false, false, false);
    const invalidate = () => this.invalidate();
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(invalidate),
      watcher.onDidDelete(invalidate),
      // A Makefile may gain or lose its obj-m line.
      watcher.onDidChange((uri) => {
        if (uri.path.endsWith('/Makefile')) invalidate();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(invalidate),
    );
  }

  /** Every module folder in the workspace (local folders only). */
  all(): Promise<WorkspaceModule[]> {
    this.modules ??= this.search();
    return this.modules;
  }

  /** The module for a one-click action: the active file's, the only one, the last one, or asked. */
  async pick(purpose: string): Promise<WorkspaceModule | undefined> {
    const modules = await this.all();
    if (modules.length === 0) {
      void vscode.window.showWarningMessage(
        'Rust for Linux: no module folder in this workspace (a folder with .rs files and a Kbuild file, or a Makefile with obj-m).',
      );
      return undefined;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeFile = active?.scheme === 'file' ? active.fsPath : undefined;
    const chosen = pickActiveModule(
      modules.map((m) => m.dir),
      activeFile,
      this.lastUsed,
    );
    let module = modules.find((m) => m.dir === chosen);
    if (!module) {
      const item = await vscode.window.showQuickPick(
        modules.map((m) => ({ label: vscode.workspace.asRelativePath(m.dir, true), description: m.dir, module: m })),
        { placeHolder: `Module to ${purpose}` },
      );
      module = item?.module;
    }
    if (module) this.lastUsed = module.dir;
    return module;
  }

  invalidate(): void {
    this.modules = undefined;
    this.changed.fire();
  }

  private async search(): Promise<WorkspaceModule[]> {
    const result: WorkspaceModule[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      for (const dir of await findModuleFolders([folder.uri.fsPath])) result.push({ dir, folder });
    }
    return result;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
