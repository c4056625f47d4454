// The build-and-load tasks as a user runs them: the `rust-for-linux` task provider lists build,
// clippy and load for each module folder of the fixture workspace; the `load` task of the fixture
// module boots the 6.12 test kernel (rustForLinux.kernelDir in the scratch workspace's
// .vscode/settings.json, written by runTest.ts) and ends with exit code 0 and the module's init
// line in its terminal; the panicking module's `load` ends with a non-zero exit code.
// Waits on vscode.tasks.onDidEndTaskProcess and on the extension's RunGate events, never on sleeps.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/client/extension';
import type { RunEnd } from '../../../src/client/runGate';
import { takeScreenshot } from './driver';
import { Skip, type TestCase } from './harness';

export const TASK_TYPE = 'rust-for-linux';
/** VS Code's budget for one load: the build (~6 s), a TCG boot (~3 s) and the verdict, with room. */
const LOAD_TIMEOUT_MS = 150_000;

export async function extensionApi(): Promise<ExtensionApi> {
  const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'rust-for-linux');
  assert.ok(extension, 'the rust-for-linux extension is installed');
  return (await extension.activate()) as ExtensionApi;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder;
}

export async function fetchRflTasks(): Promise<vscode.Task[]> {
  return vscode.tasks.fetchTasks({ type: TASK_TYPE });
}

export async function findTask(name: string): Promise<vscode.Task> {
  const tasks = await fetchRflTasks();
  const task = tasks.find((candidate) => candidate.name === name);
  assert.ok(task, `a task "${name}" among: ${tasks.map((candidate) => candidate.name).join(', ')}`);
  return task;
}

export interface TaskResult {
  exitCode: number | undefined;
  /** The RunGate's end event of this run, when the run got as far as the gate. */
  end: RunEnd | undefined;
}

/** Runs `task` and resolves when its process ends (onDidEndTaskProcess), with the gate's verdict. */
export function runTask(task: vscode.Task, api: ExtensionApi, timeoutMs = LOAD_TIMEOUT_MS): Promise<TaskResult> {
  return new Promise((resolve, reject) => {
    let end: RunEnd | undefined;
    const gateSubscription = api.runs.onEvent((event) => {
      if (event.type === 'end' && event.end.run.name === task.name) end = event.end;
    });
    const subscription = vscode.tasks.onDidEndTaskProcess((event) => {
      const ended = event.execution.task;
      if (ended.name !== task.name || ended.definition.type !== TASK_TYPE) return;
      done();
      resolve({ exitCode: event.exitCode, end });
    });
    const timer = setTimeout(() => {
      done();
      reject(new Error(`task "${task.name}" did not end within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
      gateSubscription.dispose();
    };
    vscode.tasks.executeTask(task).then(undefined, (error: unknown) => {
      done();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

/**
 * The text of the task's terminal, through the workbench's own commands: select all, copy, read the
 * clipboard (the runner grants the page clipboard access). No API gives a pseudoterminal's output
 * to another extension: `window.onDidWriteTerminalData` is a proposed API.
 */
export async function terminalText(taskName: string): Promise<string> {
  const terminal = vscode.window.terminals.find((candidate) => candidate.name.includes(taskName)) ?? vscode.window.activeTerminal;
  assert.ok(terminal, `a terminal for "${taskName}" among: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
  terminal.show(false);
  const sentinel = `rfl-clipboard-check-${Date.now()}`;
  await vscode.env.clipboard.writeText(sentinel);
  if ((await vscode.env.clipboard.readText()) !== sentinel) throw new Skip('the clipboard is not readable here');
  await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
  await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
  await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');
  const text = await vscode.env.clipboard.readText();
  assert.notEqual(text, sentinel, `copying the terminal "${terminal.name}" changed nothing on the clipboard`);
  return text;
}

function kernelDir(): string {
  const dir = vscode.workspace.getConfiguration('rustForLinux', workspaceFolder()).get<string>('kernelDir') ?? '';
  if (!dir) throw new Skip('no 6.12 test kernel (.ci/test-kernels.sh writes RFL_TEST_KDIR_6_12); runTest.ts sets none');
  return dir;
}

export function taskTests(): TestCase[] {
  return [
    {
      name: 'the extension runs from the copy under test (this checkout, or the installed .vsix)',
      run: async () => {
        const expected = process.env.RFL_VSCODE_EXTENSION_UNDER_TEST;
        if (!expected) throw new Skip('RFL_VSCODE_EXTENSION_UNDER_TEST is unset (set by test/vscode/runTest.ts)');
        const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'rust-for-linux');
        assert.ok(extension, 'the rust-for-linux extension is installed');
        const relative = path.relative(path.resolve(expected), path.resolve(extension.extensionPath));
        assert.ok(!relative.startsWith('..') && !path.isAbsolute(relative), `${extension.extensionPath} is inside ${expected}`);
        console.log(`    (running ${extension.extensionPath})`);
      },
    },
    {
      name: 'the task provider lists build, clippy and load for each fixture module',
      run: async () => {
        const names = (await fetchRflTasks()).map((task) => task.name);
        for (const name of ['build', 'clippy', 'load', 'build rust_panicking', 'clippy rust_panicking', 'load rust_panicking']) {
          assert.ok(names.includes(name), `"${name}" among the provided tasks: ${names.join(', ')}`);
        }
        const load = await findTask('load');
        assert.equal(load.definition.command, 'load');
        assert.equal(load.group?.id, vscode.TaskGroup.Test.id);
        assert.equal((await findTask('build')).group?.id, vscode.TaskGroup.Build.id);
      },
    },
    {
      name: 'the load task on the 6.12 test kernel ends with exit code 0 and the init line in its terminal',
      timeoutMs: LOAD_TIMEOUT_MS + 15_000,
      run: async () => {
        kernelDir();
        const api = await extensionApi();
        const { exitCode, end } = await runTask(await findTask('load'), api);
        assert.equal(exitCode, 0, `exit code of "load" (verdict: ${end?.summary ?? 'none'})`);
        assert.ok(end?.ok, `the RunGate's verdict: ${end?.summary}`);
        assert.match(end.summary, /PASS: rust_fixture loaded and unloaded cleanly/);
        const text = await terminalText('load');
        // pr_info!("rust_fixture: {}\n", first_byte(b"x")) with the module's own prefix.
        assert.match(text, /rust_fixture: rust_fixture: 120/, `the init line in the terminal:\n${text}`);
        assert.match(text, /== rfl load verdict: PASS/);
      },
    },
    {
      name: "screenshot: the load task's terminal with its verdict",
      run: async () => {
        kernelDir();
        await takeScreenshot({ name: 'load-task-terminal', waitFor: ['.integrated-terminal .xterm'] });
      },
    },
    {
      name: "a panicking module's load task ends with a non-zero exit code",
      timeoutMs: LOAD_TIMEOUT_MS + 15_000,
      run: async () => {
        kernelDir();
        const api = await extensionApi();
        const { exitCode, end } = await runTask(await findTask('load rust_panicking'), api);
        assert.ok(exitCode !== undefined && exitCode !== 0, `a non-zero exit code, not ${exitCode} (verdict: ${end?.summary})`);
        assert.equal(end?.ok, false);
        assert.match(end.summary, /panic/i);
      },
    },
  ];
}
