// Registers the build-and-load features: settings validation, the `rust-for-linux` task provider,
// the status-bar Load button with its cancel command, and the rust-analyzer command. They share
// one ModuleIndex and one RunGate (one run at a time); disposing the gate on deactivation cancels a
// run still going, which kills its make or QEMU process group.
import * as vscode from 'vscode';
import { registerCompareCommand } from './compareCommand';
import { registerLoadStatusBar } from './loadStatusBar';
import { ModuleIndex } from './moduleIndex';
import { RunGate } from './runGate';
import { registerRustAnalyzerCommand } from './rustAnalyzerCommand';
import { registerTaskProvider } from './taskProvider';
import { registerSettingsValidation } from './vscodeSettings';

export function registerBuildAndLoad(context: vscode.ExtensionContext): {
  gate: RunGate;
  modules: ModuleIndex;
  loadButton: vscode.StatusBarItem;
} {
  const gate = new RunGate();
  const modules = new ModuleIndex();
  context.subscriptions.push(gate, modules);
  registerSettingsValidation(context);
  const provider = registerTaskProvider(context, modules, gate);
  const loadButton = registerLoadStatusBar(context, modules, gate, provider);
  registerRustAnalyzerCommand(context, modules, gate, provider);
  registerCompareCommand(context, modules, gate);
  return { gate, modules, loadButton };
}
