// The one-click button: "$(play) Load module" in the status bar runs the `load` task for the active
// module (the active file's, the only one, or a pick). While any run goes it spins and a click
// cancels it; afterwards it shows the last load's verdict, pass or fail, with its summary.
import * as vscode from 'vscode';
import type { ModuleIndex } from './moduleIndex';
import { startModuleTask } from './moduleTasks';
import type { RunEnd, RunGate, RunInfo } from './runGate';
import type { RflTaskProvider } from './taskProvider';
import { UNTRUSTED_MESSAGE } from './taskExecution';

export const LOAD_COMMAND = 'rustForLinux.loadModule';
export const CANCEL_COMMAND = 'rustForLinux.cancelRun';

/** Returns the button, so the integration tests can watch what it shows. */
export function registerLoadStatusBar(
  context: vscode.ExtensionContext,
  modules: ModuleIndex,
  gate: RunGate,
  provider: RflTaskProvider,
): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('rustForLinux.load', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Rust for Linux: Load Module';
  let lastLoad: RunEnd | undefined;

  const render = () => {
    const running = gate.running;
    if (running) {
      showRunning(item, running);
      return;
    }
    item.command = LOAD_COMMAND;
    item.backgroundColor = lastLoad && !lastLoad.ok ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    if (!lastLoad) {
      item.text = '$(play) Load module';
      item.tooltip = 'Build the module, boot the kernel in QEMU, load and unload it, and give a verdict';
    } else {
      item.text = `$(play) Load module ${lastLoad.ok ? '$(pass)' : '$(error)'}`;
      item.tooltip = `Last load (${lastLoad.run.name}): ${lastLoad.summary}\nClick to load again.`;
    }
  };
  const updateVisibility = async () => {
    if ((await modules.all()).length > 0) item.show();
    else item.hide();
  };

  context.subscriptions.push(
    item,
    gate.onEvent((event) => {
      if (event.type === 'end' && event.end.run.command === 'load') lastLoad = event.end;
      render();
    }),
    modules.onDidChange(() => void updateVisibility()),
    vscode.commands.registerCommand(LOAD_COMMAND, async () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(`Rust for Linux: ${UNTRUSTED_MESSAGE}`);
        return;
      }
      const running = gate.running;
      if (running) {
        const choice = await vscode.window.showWarningMessage(
          `Rust for Linux: "${running.name}" is running; one build or load runs at a time.`,
          'Cancel It',
        );
        if (choice) gate.cancelCurrent();
        return;
      }
      const module = await modules.pick('load in QEMU');
      if (module) await startModuleTask(provider, 'load', module);
    }),
    vscode.commands.registerCommand(CANCEL_COMMAND, () => {
      if (!gate.cancelCurrent()) void vscode.window.showInformationMessage('Rust for Linux: no build or load is running.');
    }),
  );
  render();
  void updateVisibility();
  return item;
}

function showRunning(item: vscode.StatusBarItem, running: RunInfo): void {
  item.text = `$(sync~spin) ${running.command === 'load' ? 'Loading' : 'Running'} ${running.name}…`;
  item.tooltip = `Rust for Linux: "${running.name}" is running. Click to cancel it (the VM or make is killed at once).`;
  item.command = CANCEL_COMMAND;
  item.backgroundColor = undefined;
}
