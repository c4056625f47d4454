// Check on save: when a `.rs` file of a module folder is saved (and once when a module's file is
// first opened), the module is checked in the background with the kernel's rustc and clippy
// (core/check), a newer save cancels a check in progress, and the verdicts are published for every
// file of the module next to the live findings. Runs only in trusted workspaces (it runs the kernel's
// build; VS Code says whether the workspace is trusted, editors without that notion are trusted) and
// when `rustForLinux.check.onSave` is on. A `$/progress` report shows a running check; a check that
// cannot run says why once in a message.
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import {
  CodeActionKind,
  MessageType,
  ShowMessageNotification,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver';
import { checkModule, type CheckResult } from '../core/check/checkModule';
import { enclosingModuleFolder } from '../core/files/moduleFolder';
import { resolveToolchain } from '../core/toolchain/toolchain';
import { locateKernel } from '../core/kernel/locate';
import { resolveSettingPath } from '../shared/settingPath';
import { checkDiagnosticsByUri, isCheckData, type PositionEncoding } from './checkDiagnostics';
import { followEdits } from './checkDrift';

export interface CheckHost {
  /** Publishes an open document again (its live findings plus diagnosticsFor); false when it is not open. */
  republish(uri: string): boolean;
  /** rustForLinux.kernelDir and rustForLinux.check.onSave as the server last read them. */
  settings(): { kernelDir: string | undefined; checkOnSave: boolean };
  workspaceRoot(): string | undefined;
  /** The position encoding negotiated with the client. */
  encoding(): PositionEncoding;
  log(line: string): void;
}

interface ModuleState {
  /** Check diagnostics per document URI of this module. */
  byUri: Map<string, Diagnostic[]>;
  running?: AbortController;
  /** A save came in while a check ran: check again when it ends. */
  again?: boolean;
}

export class CheckOnSave {
  private readonly modules = new Map<string, ModuleState>();
  private published = 0;

  /**
   * Counts the checks' publications. A pull client re-asks after each (workspace/diagnostic/refresh)
   * with the result id it has: the id must change with it, or the answer is "unchanged" and the
   * check's verdict never shows (seen in VS Code).
   */
  get generation(): number {
    return this.published;
  }
  private trusted = true;
  private lastFailure: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly host: CheckHost,
  ) {}

  /** From initializationOptions: `trustedWorkspace: false` (VS Code, untrusted) turns checks off. */
  initialize(trustedWorkspace: unknown): void {
    this.trusted = trustedWorkspace !== false;
  }

  /** The check diagnostics of a document, less those a live finding already shows (same lint, same line). */
  diagnosticsFor(uri: string, live: readonly Diagnostic[]): Diagnostic[] {
    const own = this.stateOf(uri)?.byUri.get(uri) ?? [];
    return own.filter(
      (diagnostic) =>
        !live.some(
          (finding) =>
            typeof diagnostic.code === 'string' &&
            diagnostic.code === `clippy::${String(finding.code)}` &&
            finding.range.start.line === diagnostic.range.start.line,
        ),
    );
  }

  opened(uri: string): void {
    const moduleDir = this.moduleOf(uri);
    if (moduleDir && !this.modules.has(moduleDir)) this.schedule(moduleDir);
  }

  saved(uri: string): void {
    const moduleDir = this.moduleOf(uri);
    if (moduleDir) this.schedule(moduleDir);
  }

  changed(uri: string, changes: readonly TextDocumentContentChangeEvent[]): void {
    const state = this.stateOf(uri);
    const current = state?.byUri.get(uri);
    if (state && current?.length) state.byUri.set(uri, followEdits(current, uri, changes));
  }

  /** Quick fixes: rustc's machine-applicable suggestions of the check diagnostics in the request. */
  codeActions(params: CodeActionParams): CodeAction[] {
    const actions: CodeAction[] = [];
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.source !== 'rustc' && diagnostic.source !== 'clippy') continue;
      // The client may not echo `data`: look the diagnostic up in what we published.
      const known = this.stateOf(params.textDocument.uri)
        ?.byUri.get(params.textDocument.uri)
        ?.find(
          (candidate) =>
            candidate.code === diagnostic.code &&
            candidate.range.start.line === diagnostic.range.start.line &&
            candidate.range.start.character === diagnostic.range.start.character,
        );
      const data: unknown = known?.data ?? diagnostic.data;
      if (!isCheckData(data)) continue;
      data.fixes.forEach((fix, index) =>
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: index === 0,
          edit: { changes: fix.edits },
        }),
      );
    }
    return actions;
  }

  /** Settings or trust changed: a check that is now off clears its diagnostics. */
  settingsChanged(): void {
    if (this.enabled()) return;
    for (const [moduleDir, state] of this.modules) {
      state.running?.abort();
      this.publishModule(moduleDir, new Map());
    }
    this.modules.clear();
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.settingsChanged();
  }

  private enabled(): boolean {
    return this.trusted && this.host.settings().checkOnSave;
  }

  private moduleOf(uri: string): string | undefined {
    if (!this.enabled() || !uri.startsWith('file:') || !uri.endsWith('.rs')) return undefined;
    return enclosingModuleFolder(fileURLToPath(uri));
  }

  private stateOf(uri: string): ModuleState | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const moduleDir = owningModuleFolder(fileURLToPath(uri), this.modules.keys());
    return moduleDir === undefined ? undefined : this.modules.get(moduleDir);
  }

  private schedule(moduleDir: string): void {
    let state = this.modules.get(moduleDir);
    if (!state) {
      state = { byUri: new Map() };
      this.modules.set(moduleDir, state);
    }
    if (state.running) {
      // Made stale by this save: stop it, and check again once it has let go of the module.
      state.again = true;
      state.running.abort();
      return;
    }
    void this.run(moduleDir, state);
  }

  private async run(moduleDir: string, state: ModuleState): Promise<void> {
    const controller = new AbortController();
    state.running = controller;
    state.again = false;
    const name = path.basename(moduleDir);
    const progress = await this.connection.window.createWorkDoneProgress();
    progress.begin('Rust for Linux', undefined, `checking ${name} (kernel rustc + clippy)`, false);
    let result: CheckResult | undefined;
    let failure: string | undefined;
    let skipped: string | undefined;
    try {
      const settings = this.host.settings();
      const root = this.host.workspaceRoot() ?? moduleDir;
      const located = locateKernel(settings.kernelDir ? resolveSettingPath(settings.kernelDir, root) : undefined, moduleDir);
      if (!located) {
        failure = 'no kernel build folder found: set rustForLinux.kernelDir (or RFL_KDIR) to a built kernel tree';
      } else if (!existsSync(path.join(located.kdir, 'rust', 'libkernel.rmeta'))) {
        // A source tree (or a configured but unbuilt one) still drives module! checks and templates;
        // the compiler cannot check against it, and that is no failure worth a message box.
        skipped = `${located.kdir} is not a built Rust kernel (no rust/libkernel.rmeta): no compiler check`;
      } else {
        result = await checkModule({
          kdir: located.kdir,
          moduleDir,
          toolchain: resolveToolchain(located.kdir, {}),
          signal: controller.signal,
        });
        if (result.failure && !result.cancelled) failure = result.failure;
      }
    } catch (error) {
      // Cancelled while waiting for another check of the module: not a failure, a newer check follows.
      if (!controller.signal.aborted) failure = (error as Error).message;
    } finally {
      progress.done();
      state.running = undefined;
    }
    if (state.again && this.enabled()) {
      void this.run(moduleDir, state);
      return;
    }
    if (skipped) {
      this.host.log(`check ${name}: ${skipped}`);
      return;
    }
    if (failure) this.reportFailure(name, failure);
    else this.lastFailure = undefined;
    if (result && !result.failure) {
      this.publishModule(moduleDir, checkDiagnosticsByUri(result.diagnostics, moduleDir, this.host.encoding()));
      // After publishing: tests and benchmarks wait for this line.
      const summary = `check ${name}: ${result.errors} errors, ${result.warnings} warnings in ${(result.durationMs / 1000).toFixed(1)} s${result.cached ? ' (unchanged)' : result.replayed ? ' (compiler only)' : ''}`;
      this.host.log(summary);
      this.connection.console.info(summary);
    }
  }

  private reportFailure(name: string, failure: string): void {
    this.host.log(`check ${name} could not run: ${failure}`);
    const firstLine = failure.split('\n')[0] ?? failure;
    if (firstLine === this.lastFailure) return;
    this.lastFailure = firstLine;
    // window/showMessage, not showWarningMessage: that is window/showMessageRequest, which waits for a
    // choice (eglot opens a "Choose an option" prompt even with no actions, and a client that refuses
    // it left an unhandled rejection); there is nothing to choose here.
    void this.connection
      .sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `Rust for Linux: checking ${name} with the kernel's rustc and clippy failed: ${firstLine}`,
      })
      .catch((error: unknown) => this.host.log(`window/showMessage failed: ${String(error)}`));
  }

  /** Replaces the module's check diagnostics: every file that had or has some is published again. */
  private publishModule(moduleDir: string, next: Map<string, Diagnostic[]>): void {
    this.published++;
    const state = this.modules.get(moduleDir);
    const uris = new Set([...(state?.byUri.keys() ?? []), ...next.keys(), ...rustFilesOf(moduleDir)]);
    if (state) state.byUri = next;
    for (const uri of uris) {
      if (!this.host.republish(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: next.get(uri) ?? [] });
    }
  }
}

/**
 * Of the checked module folders, the one whose check speaks for `file`: the innermost that holds it,
 * because a save of the file checks its nearest module folder (enclosingModuleFolder), so that is the
 * check kept up to date for it. Module folders nest (a workspace whose root has a Kbuild, with module
 * folders below it): taking the first folder that holds the file, as before, looked the inner
 * module's verdict up in the outer one's and never showed it (seen in the VS Code suite).
 */
export function owningModuleFolder(file: string, moduleDirs: Iterable<string>): string | undefined {
  let owner: string | undefined;
  for (const moduleDir of moduleDirs) {
    if (file.startsWith(`${moduleDir}/`) && (owner === undefined || moduleDir.length > owner.length)) owner = moduleDir;
  }
  return owner;
}

/** The module's top-level Rust files, so a file whose last finding went away is cleared too. */
function rustFilesOf(moduleDir: string): string[] {
  try {
    return readdirSync(moduleDir)
      .filter((name) => name.endsWith('.rs'))
      .map((name) => pathToFileURL(path.join(moduleDir, name)).toString());
  } catch {
    return [];
  }
}
