// The editor's side of settings.ts: a SettingsSource over `rustForLinux.*` for one workspace folder,
// and a warning with an "Open Settings" action when a build-and-load setting is wrong (checked at
// start and whenever the settings change, so the user hears of it before a task refuses to run).
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../shared/protocol';
import { readBuildLoadSettings, type SettingsSource } from './settings';

export function settingsSourceFor(folder: vscode.WorkspaceFolder | undefined): SettingsSource {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder);
  return { get: (key) => configuration.get<unknown>(key) };
}

export function registerSettingsValidation(context: vscode.ExtensionContext): void {
  let lastReported = '';
  const validate = () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const problems = (folders.length > 0 ? folders : [undefined]).flatMap(
      (folder) => readBuildLoadSettings(settingsSourceFor(folder), folder?.uri.fsPath ?? process.cwd()).problems,
    );
    const text = [...new Set(problems.map((problem) => `${problem.setting} ${problem.message}`))].join('; ');
    if (text === lastReported) return;
    lastReported = text;
    if (!text) return;
    const first = problems[0]?.setting ?? SETTINGS_SECTION;
    void vscode.window
      .showWarningMessage(`Rust for Linux: ${text}. Tasks will not run until this is fixed.`, 'Open Settings')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', first);
      });
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) validate();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(validate),
  );
  validate();
}
