// "Rust for Linux: New Module": asks for a name, a template that fits the configured kernel and a
// parent folder, creates the module folder (the same core as `rfl new`), and opens its source.
// Tests and keybindings may pass the answers as an argument instead.
import * as vscode from 'vscode';
import { detectKernelApi } from '../core/authoring/detectKernelApi';
import { describeApi } from '../core/authoring/kernelApi';
import { createNewModule, NewModuleError } from '../core/authoring/newModule';
import { C_MODULE_TEMPLATES } from '../core/authoring/templates/cTemplates';
import { availableTemplates, MODULE_TEMPLATES, moduleNameProblem } from '../core/authoring/templates/registry';
import { locateKernel } from '../core/kernel/locate';
import { readBuildLoadSettings } from './settings';
import { settingsSourceFor } from './vscodeSettings';

export const NEW_MODULE_COMMAND = 'rustForLinux.newModule';

export interface NewModuleArguments {
  name?: string;
  template?: string;
  /** The folder to create the module folder in. */
  parentDir?: string;
  /** Open the new source file (default true). */
  open?: boolean;
}

async function askName(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'New Rust kernel module',
    prompt: 'Module name (also its file and folder name)',
    value: 'rust_hello',
    validateInput: (value) => moduleNameProblem(value) ?? null,
  });
}

async function askTemplate(api: ReturnType<typeof detectKernelApi>['api']): Promise<string | undefined> {
  const items = [...availableTemplates(api, MODULE_TEMPLATES), ...C_MODULE_TEMPLATES].map((template) => ({
    label: template.id,
    description: template.title,
    detail: template.description,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Template for ${describeApi(api)}`,
    placeHolder: 'Templates this kernel can build',
  });
  return picked?.label;
}

async function askParent(defaultUri: vscode.Uri | undefined): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Create the module here',
    ...(defaultUri ? { defaultUri } : {}),
  });
  return picked?.[0]?.fsPath;
}

/** Returns the created source file's path, or undefined when the user cancelled or it failed. */
export async function newModule(args: NewModuleArguments = {}): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const base = folder?.uri.fsPath ?? process.cwd();
  const { settings } = readBuildLoadSettings(settingsSourceFor(folder), base);
  const kdir = locateKernel(settings.kernelDir, base)?.kdir;
  const { api, note } = detectKernelApi(kdir);
  if (note)
    void vscode.window.showInformationMessage(
      `Rust for Linux: ${note}; templates follow ${describeApi(api)}. Set rustForLinux.kernelDir to choose the kernel.`,
    );

  const name = args.name ?? (await askName());
  if (!name) return undefined;
  const template = args.template ?? (await askTemplate(api));
  if (!template) return undefined;
  const parentDir = args.parentDir ?? (await askParent(folder?.uri));
  if (!parentDir) return undefined;
  try {
    const result = createNewModule({
      name,
      dir: vscode.Uri.joinPath(vscode.Uri.file(parentDir), name).fsPath,
      templateId: template,
      api,
      kdir: api.kdir,
    });
    if (args.open !== false) {
      await vscode.window.showTextDocument(vscode.Uri.file(result.source));
      void vscode.window.showInformationMessage(`Created ${result.dir} for ${describeApi(api)}.`, 'Open Folder').then((choice) => {
        if (choice) void vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(result.dir), { forceNewWindow: true });
      });
    }
    return result.source;
  } catch (error) {
    if (!(error instanceof NewModuleError)) throw error;
    void vscode.window.showErrorMessage(`Rust for Linux: ${error.message}`);
    return undefined;
  }
}

export function registerNewModuleCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(NEW_MODULE_COMMAND, (args?: NewModuleArguments) => newModule(args));
}
