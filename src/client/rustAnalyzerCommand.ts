// `Rust for Linux: Configure rust-analyzer for This Module`: runs the module's `rust-analyzer` task
// (make M=DIR rust-analyzer, in its terminal) and, when it wrote rust-project.json, adds that file
// to `rust-analyzer.linkedProjects` in the workspace settings. Trusted workspaces only: it runs make
// and writes settings that make rust-analyzer run build scripts.
import * as vscode from 'vscode';
import type { ModuleIndex, WorkspaceModule } from './moduleIndex';
import { startModuleTask } from './moduleTasks';
import type { RunEnd, RunGate } from './runGate';
import { linkedProjectEntry, mergeLinkedProjects } from './rustAnalyzerProject';
import { UNTRUSTED_MESSAGE } from './taskExecution';
import type { RflTaskProvider } from './taskProvider';
import { rustProjectFile } from '../core/tasks/kbuild';

export const CONFIGURE_RUST_ANALYZER_COMMAND = 'rustForLinux.configureRustAnalyzer';

export function registerRustAnalyzerCommand(
  context: vscode.ExtensionContext,
  modules: ModuleIndex,
  gate: RunGate,
  provider: RflTaskProvider,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CONFIGURE_RUST_ANALYZER_COMMAND, async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(`Rust for Linux: ${UNTRUSTED_MESSAGE}`);
        return;
      }
      if (gate.running) {
        void vscode.window.showWarningMessage(
          `Rust for Linux: "${gate.running.name}" is running; one build or load runs at a time. Try again when it ends.`,
        );
        return;
      }
      const module = await modules.pick('configure rust-analyzer for');
      if (!module) return;
      const end = await runAndWait(provider, gate, module);
      if (!end?.ok) {
        void vscode.window.showErrorMessage(
          `Rust for Linux: make rust-analyzer did not succeed${end ? `: ${end.summary}` : ''}. See the task's terminal.`,
        );
        return;
      }
      await linkProject(module);
    }),
  );
}

/** Runs the task and waits for the gate to report its end (undefined: it never ran, e.g. refused). */
async function runAndWait(provider: RflTaskProvider, gate: RunGate, module: WorkspaceModule): Promise<RunEnd | undefined> {
  let result: RunEnd | undefined;
  const fromGate = gate.onEvent((event) => {
    if (event.type === 'end' && event.end.run.command === 'rust-analyzer' && event.end.run.moduleDir === module.dir) result = event.end;
  });
  // Subscribed before the task starts: a refused task can end before executeTask resolves.
  const ended: vscode.TaskExecution[] = [];
  let wake: (() => void) | undefined;
  const onEnd = vscode.tasks.onDidEndTask((event) => {
    ended.push(event.execution);
    wake?.();
  });
  try {
    const execution = await startModuleTask(provider, 'rust-analyzer', module);
    // onDidEndTask fires for every way a task ends, refusals included; the gate's end comes first.
    await new Promise<void>((resolve) => {
      wake = () => {
        if (ended.includes(execution)) resolve();
      };
      wake();
    });
    return result;
  } finally {
    onEnd.dispose();
    fromGate.dispose();
  }
}

async function linkProject(module: WorkspaceModule): Promise<void> {
  const projectFile = rustProjectFile(module.dir);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const entry = linkedProjectEntry(projectFile, module.folder.uri.fsPath, multiRoot);
  const configuration = vscode.workspace.getConfiguration('rust-analyzer', module.folder);
  const merged = mergeLinkedProjects(configuration.inspect<unknown>('linkedProjects')?.workspaceValue, entry, module.folder.uri.fsPath);
  try {
    if (merged) await configuration.update('linkedProjects', merged, vscode.ConfigurationTarget.Workspace);
  } catch (error) {
    // VS Code refuses to write a setting no installed extension declares.
    void vscode.window.showErrorMessage(
      `Rust for Linux: ${projectFile} is written, but "rust-analyzer.linkedProjects" could not be set (${(error as Error).message}). ` +
        'Is the rust-analyzer extension installed? Add the file to that setting by hand.',
    );
    return;
  }
  // rust-analyzer reloads on a settings change; an unchanged setting needs the reload asked for.
  if (!merged && (await vscode.commands.getCommands(true)).includes('rust-analyzer.reloadWorkspace')) {
    await vscode.commands.executeCommand('rust-analyzer.reloadWorkspace');
  }
  void vscode.window.showInformationMessage(
    merged ? `Rust for Linux: rust-analyzer now uses ${entry}.` : `Rust for Linux: ${entry} is refreshed; rust-analyzer already uses it.`,
  );
}
