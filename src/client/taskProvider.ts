// The task provider for type `rust-for-linux` (package.json `taskDefinitions`): `build`, `clippy`,
// `load` and `rust-analyzer` for each module folder, and resolveTask for tasks.json entries. Each
// task is a CustomExecution whose pseudoterminal runs the core; build, clippy and load (which
// builds first) use the `$rfl-rustc` problem matcher, and `$rfl-cc` for the gcc/clang lines of C modules.
import * as vscode from 'vscode';
import { RUST_PROJECT_FILE } from '../core/kbuild/moduleLink';
import type { ModuleIndex } from './moduleIndex';
import type { RunGate } from './runGate';
import { definitionFor, RFL_COMMANDS, TASK_TYPE, taskName, type RflCommand, type RflTaskDefinition } from './taskDefinition';
import { executeTaskRequest } from './taskExecution';
import { TaskTerminal } from './taskTerminal';
import { settingsSourceFor } from './vscodeSettings';

const PROBLEM_MATCHERS: Record<RflCommand, string[]> = {
  build: ['$rfl-rustc', '$rfl-cc'],
  clippy: ['$rfl-rustc', '$rfl-cc'],
  load: ['$rfl-rustc', '$rfl-cc'],
  'rust-analyzer': [],
};

export class RflTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly modules: ModuleIndex,
    private readonly gate: RunGate,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const module of await this.modules.all()) {
      for (const command of RFL_COMMANDS)
        tasks.push(this.createTask(definitionFor(command, module.folder.uri.fsPath, module.dir), module.folder));
    }
    return tasks;
  }

  /** A tasks.json entry: same execution, with the entry's own definition (checked when it runs). */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as Partial<RflTaskDefinition>;
    if (definition.type !== TASK_TYPE) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    const command =
      typeof definition.command === 'string' && (RFL_COMMANDS as readonly string[]).includes(definition.command)
        ? (definition.command as RflCommand)
        : 'build';
    return new vscode.Task(
      task.definition,
      folder,
      task.name,
      TASK_TYPE,
      this.execution(folder),
      task.problemMatchers.length > 0 ? task.problemMatchers : PROBLEM_MATCHERS[command],
    );
  }

  createTask(definition: RflTaskDefinition, folder: vscode.WorkspaceFolder): vscode.Task {
    const task = new vscode.Task(
      definition,
      folder,
      taskName(definition),
      TASK_TYPE,
      this.execution(folder),
      PROBLEM_MATCHERS[definition.command],
    );
    if (definition.command === 'build' || definition.command === 'clippy') task.group = vscode.TaskGroup.Build;
    if (definition.command === 'load') task.group = vscode.TaskGroup.Test;
    task.detail = DETAILS[definition.command];
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true, echo: false };
    return task;
  }

  private execution(folder: vscode.WorkspaceFolder): vscode.CustomExecution {
    return new vscode.CustomExecution(
      async (resolved) =>
        new TaskTerminal((sink, onStarted) =>
          executeTaskRequest({
            definition: resolved,
            workspaceFolder: folder.uri.fsPath,
            trusted: vscode.workspace.isTrusted,
            settings: settingsSourceFor(folder),
            gate: this.gate,
            sink,
            onStarted,
          }),
        ),
    );
  }
}

const DETAILS: Record<RflCommand, string> = {
  build: 'make -C KDIR M=MODULE LLVM=1: rustc errors go to Problems',
  clippy: 'the kbuild build with CLIPPY=1',
  load: 'build, boot the kernel in QEMU, insmod, rmmod, and give a verdict',
  'rust-analyzer': `make rust-analyzer: writes ${RUST_PROJECT_FILE}`,
};

export function registerTaskProvider(context: vscode.ExtensionContext, modules: ModuleIndex, gate: RunGate): RflTaskProvider {
  const provider = new RflTaskProvider(modules, gate);
  context.subscriptions.push(vscode.tasks.registerTaskProvider(TASK_TYPE, provider));
  return provider;
}
