// The VS Code extension: starts the language server and registers each feature. Returns an API
// object that the integration tests use to observe the extension without sleeping.
import * as vscode from 'vscode';
import { liveWork } from '../core/process/liveWork';
import { installSignalTeardown } from '../core/process/signalTeardown';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerBuildAndLoad } from './buildAndLoad';
import { registerKunitTests, type KunitTests } from './kunitTests';
import { createLanguageClient } from './languageClient';
import type { ModuleIndex } from './moduleIndex';
import { registerNewModuleCommand } from './newModuleCommand';
import { registerPlaceholderCommand } from './placeholderCommand';
import { registerPrepareKernelCommand } from './prepareKernelCommand';
import { registerRustAnalyzerAuto } from './rustAnalyzerAuto';
import { WORKSPACE_TRUST_NOTIFICATION } from '../shared/protocol';
import type { RunGate } from './runGate';
import { UnsafeHighlighter } from './unsafeHighlight';

export interface ExtensionApi {
  client: LanguageClient;
  highlighter: UnsafeHighlighter;
  /** Build/clippy/load runs: one at a time, with start and end events. */
  runs: RunGate;
  modules: ModuleIndex;
  /** The status-bar Load button. */
  loadButton: vscode.StatusBarItem;
  /** The KUnit Test Explorer: its tree (from the source) and its runner. */
  kunit: KunitTests;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const log = vscode.window.createOutputChannel('Rust for Linux', { log: true });
  // Builds, checks and kernel preparations run make in process groups of their own: when the extension
  // host ends (deactivation, a signal from the editor, exit), they end with it.
  const removeTeardown = installSignalTeardown();
  context.subscriptions.push({
    dispose: () => {
      removeTeardown();
      liveWork.killNow();
    },
  });
  const highlighter = new UnsafeHighlighter();
  context.subscriptions.push(log, highlighter, registerPlaceholderCommand(), registerNewModuleCommand(), registerPrepareKernelCommand(log));
  const { gate, modules, loadButton } = registerBuildAndLoad(context);
  registerRustAnalyzerAuto(context, modules, log);
  const kunit = registerKunitTests(context, modules, gate);

  client = createLanguageClient(context, highlighter, log);
  context.subscriptions.push(
    vscode.commands.registerCommand('rustForLinux.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('rustForLinux.showLog', () => log.show()),
    // Granted trust turns the server's check on save on (it was told "untrusted" at start).
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(WORKSPACE_TRUST_NOTIFICATION, { trusted: true })),
  );
  try {
    await client.start();
  } catch (error) {
    void vscode.window.showErrorMessage(
      `Rust for Linux: the language server did not start: ${(error as Error).message}. See the "Rust for Linux" log.`,
    );
  }
  return { client, highlighter, runs: gate, modules, loadButton, kunit };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
