// The Test Explorer's tree of KUnit tests: module folder → `#[kunit_tests(suite)]` → `#[test]` case,
// read from the parse tree of each Rust file (src/core/kunit/testSource.ts). Files on disk are read
// once when the tree is first asked for and again when they change; an open editor's text replaces
// its file's tests as the user types (debounced), so the gutter buttons follow the code.
import * as vscode from 'vscode';
import { findKunitTests, type SourceTestSuite } from '../core/kunit/testSource';
import { enclosingModuleFolder } from '../core/files/moduleFolder';
import { createRustParser, type Parser } from '../core/parse/rustParser';
import type { ModuleIndex, WorkspaceModule } from './moduleIndex';

/** What each test item stands for. */
export type KunitItemData =
  | { kind: 'module'; module: WorkspaceModule }
  | { kind: 'suite'; module: WorkspaceModule; suite: string }
  | { kind: 'case'; module: WorkspaceModule; suite: string; case: string };

const RETYPE_DELAY_MS = 300;

export class KunitTestTree implements vscode.Disposable {
  readonly data = new WeakMap<vscode.TestItem, KunitItemData>();
  private parser: Promise<Parser> | undefined;
  /** Suites by file, per module folder. */
  private readonly files = new Map<string, { module: WorkspaceModule; suites: SourceTestSuite[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Module folders found on disk that the index did not list, each refreshed once. */
  private readonly refreshedFor = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the tree was rebuilt (for tests: wait on this, not on time). */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly controller: vscode.TestController,
    private readonly modules: ModuleIndex,
  ) {
    controller.resolveHandler = async (item) => {
      if (!item) await this.scanAll();
    };
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.rs');
    this.subscriptions.push(
      this.changed,
      watcher,
      watcher.onDidChange((uri) => void this.rescanFile(uri)),
      watcher.onDidCreate((uri) => void this.rescanFile(uri)),
      watcher.onDidDelete((uri) => {
        this.files.delete(uri.fsPath);
        this.rebuild();
      }),
      modules.onDidChange(() => void this.scanAll()),
      vscode.workspace.onDidChangeTextDocument((event) => this.scheduleDocument(event.document)),
      vscode.workspace.onDidOpenTextDocument((document) => this.scheduleDocument(document, 0)),
    );
  }

  /** Reads every Rust file of every module folder. */
  async scanAll(): Promise<void> {
    this.files.clear();
    for (const module of await this.modules.all()) {
      const pattern = new vscode.RelativePattern(module.dir, '**/*.rs');
      for (const uri of await vscode.workspace.findFiles(pattern, '**/target/**')) {
        const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === uri.fsPath);
        const text = open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
        await this.parseInto(uri.fsPath, module, text);
      }
    }
    this.rebuild();
  }

  private async moduleOf(file: string): Promise<WorkspaceModule | undefined> {
    const modules = await this.modules.all();
    // A module folder created just now may be on disk before the index saw it (the file watcher can
    // miss the first events): the file would go to an enclosing module. Refresh the index (and so the
    // whole tree) instead, once per such folder.
    const nearest = enclosingModuleFolder(file);
    if (nearest && !modules.some((module) => module.dir === nearest) && !this.refreshedFor.has(nearest)) {
      this.refreshedFor.add(nearest);
      this.modules.invalidate();
      return undefined;
    }
    // The deepest module folder that holds the file.
    return modules.filter((module) => file.startsWith(`${module.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
  }

  private async rescanFile(uri: vscode.Uri): Promise<void> {
    const module = await this.moduleOf(uri.fsPath);
    if (!module) return;
    // An open editor's text wins over the disk: it is what the user sees.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === uri.fsPath);
    const text = open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    await this.parseInto(uri.fsPath, module, text);
    this.rebuild();
  }

  private scheduleDocument(document: vscode.TextDocument, delayMs = RETYPE_DELAY_MS): void {
    if (document.languageId !== 'rust' || document.uri.scheme !== 'file') return;
    const file = document.uri.fsPath;
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => {
        this.timers.delete(file);
        void this.rescanFile(document.uri);
      }, delayMs),
    );
  }

  private async parseInto(file: string, module: WorkspaceModule, text: string): Promise<void> {
    if (!text.includes('kunit_tests')) {
      this.files.delete(file);
      return;
    }
    this.parser ??= createRustParser();
    const tree = (await this.parser).parse(text);
    if (!tree) return;
    try {
      this.files.set(file, { module, suites: findKunitTests(tree.rootNode) });
    } finally {
      tree.delete();
    }
  }

  /** Replaces the controller's items with what the files declare now. */
  private rebuild(): void {
    const byModule = new Map<string, vscode.TestItem>();
    for (const [file, { module, suites }] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      if (suites.length === 0) continue;
      let moduleItem = byModule.get(module.dir);
      if (!moduleItem) {
        moduleItem = this.controller.createTestItem(
          `module:${module.dir}`,
          vscode.workspace.asRelativePath(module.dir, true),
          vscode.Uri.file(module.dir),
        );
        this.data.set(moduleItem, { kind: 'module', module });
        byModule.set(module.dir, moduleItem);
      }
      const uri = vscode.Uri.file(file);
      for (const suite of suites) {
        const suiteItem = this.controller.createTestItem(`suite:${module.dir}:${suite.name}`, suite.name, uri);
        suiteItem.range = toRange(suite.range);
        suiteItem.description = `#[kunit_tests] mod ${suite.moduleName}`;
        this.data.set(suiteItem, { kind: 'suite', module, suite: suite.name });
        for (const one of suite.cases) {
          const caseItem = this.controller.createTestItem(`case:${module.dir}:${suite.name}.${one.name}`, one.name, uri);
          caseItem.range = toRange(one.range);
          this.data.set(caseItem, { kind: 'case', module, suite: suite.name, case: one.name });
          suiteItem.children.add(caseItem);
        }
        moduleItem.children.add(suiteItem);
      }
    }
    this.controller.items.replace([...byModule.values()]);
    this.changed.fire();
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
    void this.parser?.then((parser) => parser.delete());
  }
}

function toRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
