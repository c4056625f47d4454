// "Rust for Linux: Compare with Another Module…": from a module folder (explorer menu, or the
// active module), pick the other folder and a workload (a ready one for misc devices), run
// `rfl compare`'s core with its console in a terminal, and show the report in a webview whose CSP
// allows nothing but the report's own nonce'd style (no script at all).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_ROUNDS } from '../core/compare/compareRun';
import { MISC_DEVICE_WORKLOAD } from '../core/compare/defaultWorkload';
import { renderHtml } from '../core/compare/htmlReport';
import type { CompareReport } from '../core/compare/report';
import { looksLikeMiscDevice, runCompareRequest } from './compareTask';
import type { ModuleIndex } from './moduleIndex';
import type { RunGate } from './runGate';
import { UNTRUSTED_MESSAGE } from './taskExecution';
import { TaskTerminal } from './taskTerminal';
import { settingsSourceFor } from './vscodeSettings';

export const COMPARE_COMMAND = 'rustForLinux.compareModules';

async function pickFolder(title: string, defaultUri?: vscode.Uri): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title,
    openLabel: 'Compare with this module',
    ...(defaultUri ? { defaultUri } : {}),
  });
  return picked?.[0]?.fsPath;
}

async function pickWorkload(aDir: string, bDir: string): Promise<string | undefined> {
  const misc = looksLikeMiscDevice(aDir) || looksLikeMiscDevice(bDir);
  const items: (vscode.QuickPickItem & { id: 'misc' | 'file' })[] = [
    ...(misc
      ? [
          {
            id: 'misc' as const,
            label: 'Misc device workload',
            description: 'write, read back, append and overflow /dev/NAME; time open, write and read',
          },
        ]
      : []),
    {
      id: 'file',
      label: 'Choose a workload script…',
      description: 'a busybox sh script; $RFL_DEV is /dev/NAME, rfl-bench times operations',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Workload to run against both modules' });
  if (!picked) return undefined;
  if (picked.id === 'file') {
    const file = await vscode.window.showOpenDialog({
      canSelectFiles: true,
      canSelectFolders: false,
      canSelectMany: false,
      title: 'Workload script',
    });
    return file?.[0]?.fsPath;
  }
  // Written where the user can read (and copy) it; the run gets it as a file like any other.
  const file = path.join(os.tmpdir(), `rfl-compare-workload-${process.pid}.sh`);
  writeFileSync(file, MISC_DEVICE_WORKLOAD, { mode: 0o644 });
  return file;
}

function showReport(report: CompareReport): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(
    'rustForLinux.compareReport',
    `Compare: ${report.a.module} vs ${report.b.module}`,
    vscode.ViewColumn.Beside,
    {
      enableScripts: false,
      enableCommandUris: false,
      localResourceRoots: [],
    },
  );
  panel.webview.html = renderHtml(report, { nonce: randomBytes(16).toString('base64') });
  return panel;
}

export interface CompareArguments {
  /** Module A; default: the folder the command was invoked on, or the active module. */
  aDir?: string;
  bDir?: string;
  workload?: string;
  rounds?: number;
}

export function registerCompareCommand(context: vscode.ExtensionContext, modules: ModuleIndex, gate: RunGate): void {
  const command = vscode.commands.registerCommand(
    COMPARE_COMMAND,
    async (target?: vscode.Uri | CompareArguments): Promise<CompareReport | undefined> => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showErrorMessage(`Rust for Linux: ${UNTRUSTED_MESSAGE}`);
        return undefined;
      }
      const args: CompareArguments = target instanceof vscode.Uri ? { aDir: target.fsPath } : (target ?? {});
      const aDir = args.aDir ?? (await modules.pick('compare with another module'))?.dir;
      if (!aDir) {
        void vscode.window.showErrorMessage(
          'Rust for Linux: run "Compare with Another Module…" on a module folder (right-click it in the explorer).',
        );
        return undefined;
      }
      const bDir = args.bDir ?? (await pickFolder(`Compare ${path.basename(aDir)} (A) with… (B)`, vscode.Uri.file(path.dirname(aDir))));
      if (!bDir) return undefined;
      const workload = args.workload ?? (await pickWorkload(aDir, bDir));
      if (!workload) return undefined;
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(aDir)) ?? vscode.workspace.workspaceFolders?.[0];
      return new Promise<CompareReport | undefined>((resolve) => {
        const pty = new TaskTerminal((sink, onStarted) =>
          runCompareRequest({
            aDir,
            bDir,
            workload,
            rounds: args.rounds ?? DEFAULT_ROUNDS,
            workspaceFolder: folder?.uri.fsPath ?? aDir,
            settings: settingsSourceFor(folder),
            gate,
            sink,
            onStarted,
          }).then((outcome) => {
            if (outcome.report) showReport(outcome.report);
            else void vscode.window.showErrorMessage(`Rust for Linux: ${outcome.summary}`);
            resolve(outcome.report);
            return outcome;
          }),
        );
        const terminal = vscode.window.createTerminal({ name: `Compare ${path.basename(aDir)} / ${path.basename(bDir)}`, pty });
        terminal.show(true);
      });
    },
  );
  context.subscriptions.push(command);
}
