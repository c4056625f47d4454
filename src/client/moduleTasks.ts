// Starts the `rust-for-linux` task of one command for one module, as the task list would: a
// matching tasks.json entry wins (it may carry params, a timeout, a guest script), else the
// provided task. Used by the status-bar button and the rust-analyzer command.
import path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceModule } from './moduleIndex';
import { definitionFor, TASK_TYPE, type RflCommand } from './taskDefinition';
import type { RflTaskProvider } from './taskProvider';
import { resolveSettingPath } from './settings';

export async function startModuleTask(
  provider: RflTaskProvider,
  command: RflCommand,
  module: WorkspaceModule,
): Promise<vscode.TaskExecution> {
  const folder = module.folder;
  const configured = (await vscode.tasks.fetchTasks({ type: TASK_TYPE })).find((task) => {
    const definition = task.definition as { command?: unknown; moduleDir?: unknown };
    const scope = typeof task.scope === 'object' ? task.scope : undefined;
    if (task.source !== 'Workspace' || scope?.uri.toString() !== folder.uri.toString() || definition.command !== command) return false;
    const dir = typeof definition.moduleDir === 'string' ? resolveSettingPath(definition.moduleDir, folder.uri.fsPath) : folder.uri.fsPath;
    return path.resolve(dir) === module.dir;
  });
  return vscode.tasks.executeTask(configured ?? provider.createTask(definitionFor(command, folder.uri.fsPath, module.dir), folder));
}
