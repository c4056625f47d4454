// The suite of an UNTRUSTED workspace (runTest.js trust: --enable-workspace-trust, a fresh scratch
// copy of the fixture that nobody trusted). The linter works as usual; the restricted settings
// (package.json capabilities.untrustedWorkspaces.restrictedConfigurations) are ignored while the
// others are honoured; and nothing runs: the extension's task execution refuses with exit code 2
// and a message about trust, VS Code itself asks for trust before it lists or starts a task (so
// the provider's own refusal is reached only by calling it), and the status-bar Load command
// refuses with a message about trust.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import manifest from '../../../package.json';
import type { GateEvent } from '../../../src/client/runGate';
import { executeTaskRequest, UNTRUSTED_MESSAGE } from '../../../src/client/taskExecution';
import { settingsSourceFor } from '../../../src/client/vscodeSettings';
import { UNTRUSTED_TESTS_MESSAGE, type KunitRunEnd } from '../../../src/client/kunitTestRun';
import { takeScreenshot } from '../suite/driver';
import { addKunitFixture, findKunitItem, waitFor } from '../suite/kunit';
import { runSuite, type TestCase } from '../suite/harness';
import { extensionApi, TASK_TYPE, workspaceFolder } from '../suite/tasks';
import { diagnosticCode, waitForDiagnostics } from '../suite/wait';

const RULE = 'undocumented_unsafe_blocks';

function trustTests(): TestCase[] {
  const gateEvents: GateEvent[] = [];
  const after: (() => void)[] = [];
  return [
    {
      name: 'KUnit tests are listed but not run, and each says why',
      // The first test: it also waits for the extension to activate and list the new module's tests.
      timeoutMs: 90_000,
      run: async () => {
        const api = await extensionApi();
        const { caseId, dir } = await addKunitFixture(api);
        const item = findKunitItem(api, caseId);
        assert.ok(item);
        after.push(() => rmSync(dir, { recursive: true, force: true }));
        const ended = waitFor<KunitRunEnd>(
          (listener) => api.kunit.runner.onDidEndRun(listener),
          () => true,
          20_000,
          'the refused run',
        );
        // The Run profile's handler, as the Test Explorer calls it.
        await api.kunit.runner.run(new vscode.TestRunRequest([item]), new vscode.CancellationTokenSource().token);
        const end = await ended;
        assert.equal(end.error, UNTRUSTED_TESTS_MESSAGE);
        assert.deepEqual(
          end.marks.map((mark) => mark.state),
          ['errored'],
        );
        assert.equal(end.marks[0]?.message, UNTRUSTED_TESTS_MESSAGE);
        assert.ok(!gateEvents.some((event) => event.type === 'start'), 'no run started');
        for (const cleanUp of after.splice(0)) cleanUp();
      },
    },
    {
      name: 'the scratch workspace is untrusted',
      run: async () => {
        assert.equal(vscode.workspace.isTrusted, false);
        const api = await extensionApi();
        api.runs.onEvent((event) => gateEvents.push(event));
      },
    },
    {
      name: `the linter still works: ${RULE} on open`,
      run: async () => {
        const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'rust_fixture.rs');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const api = await extensionApi();
        assert.ok(api.client.isRunning(), 'the language server is running');
        await waitForDiagnostics(uri, (all) => all.some((d) => diagnosticCode(d) === RULE), `a ${RULE} diagnostic`);
        assert.equal(api.highlighter.rangesFor(uri).length, 1);
      },
    },
    {
      name: 'snippets and template completions still work',
      run: async () => {
        const uri = vscode.Uri.joinPath(workspaceFolder().uri, 'rust_fixture.rs');
        const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          uri,
          new vscode.Position(editor.document.lineCount - 1, 0),
        );
        const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
        // The language server's template (the kernel setting is ignored here, so the newest API) and a contributed snippet.
        assert.ok(labels.includes('kmodule-misc-device'), `kmodule-misc-device among ${labels.length} items`);
        assert.ok(labels.includes('SAFETY'), 'the contributed SAFETY snippet');
      },
    },
    {
      name: 'restricted settings are ignored, the others honoured',
      run: async () => {
        const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
        assert.ok(restricted.includes('rustForLinux.make.extraArgs') && restricted.includes('rustForLinux.kernelDir'));
        const settings = vscode.workspace.getConfiguration('rustForLinux', workspaceFolder());
        // .vscode/settings.json (written by runTest.ts) sets make.extraArgs, kernelDir when a test
        // kernel exists, and load.timeoutSeconds, which is not restricted.
        assert.deepEqual(settings.get('make.extraArgs'), []);
        assert.equal(settings.get('kernelDir'), '');
        assert.equal(settings.get('load.timeoutSeconds'), 90);
      },
    },
    {
      name: "the extension's load task execution refuses with exit code 2 and says why",
      run: async () => {
        const api = await extensionApi();
        const folder = workspaceFolder();
        const lines: string[] = [];
        const outcome = await executeTaskRequest({
          definition: { type: TASK_TYPE, command: 'load' },
          workspaceFolder: folder.uri.fsPath,
          trusted: vscode.workspace.isTrusted,
          settings: settingsSourceFor(folder),
          gate: api.runs,
          sink: { line: (text) => lines.push(text) },
        });
        assert.equal(outcome.exitCode, 2);
        assert.equal(outcome.ok, false);
        assert.match(lines.join('\n'), /not trusted/);
        assert.ok(lines.join('\n').includes(UNTRUSTED_MESSAGE));
        assert.deepEqual(gateEvents, [], 'no run started');
      },
    },
    {
      name: 'VS Code runs no rust-for-linux task here',
      run: async () => {
        // VS Code's task service requests workspace trust before it asks any provider for tasks:
        // the test workbench refuses that dialog ("refused to show dialog in tests"), and
        // vscode.tasks.fetchTasks then never settles, so it is not called here. A task VS Code
        // never resolved has no execution: refused before any provider code runs.
        const task = new vscode.Task({ type: TASK_TYPE, command: 'load' }, workspaceFolder(), 'load', TASK_TYPE);
        await assert.rejects(Promise.resolve(vscode.tasks.executeTask(task)), /execution/);
        assert.deepEqual(gateEvents, [], 'no run started');
        assert.equal((await extensionApi()).runs.running, undefined);
      },
    },
    {
      name: 'the status-bar Load command refuses with a message about trust',
      run: async () => {
        await vscode.commands.executeCommand('rustForLinux.loadModule');
        // Notifications go to the notification centre, not to toasts, while extension tests run.
        await vscode.commands.executeCommand('notifications.showList');
        await takeScreenshot({
          name: 'untrusted-load-refused',
          waitFor: ['.notifications-center .notification-list-item:has-text("not trusted")'],
        });
        assert.deepEqual(gateEvents, [], 'no run started');
      },
    },
  ];
}

export function run(): Promise<void> {
  return runSuite('Rust for Linux in an untrusted workspace', trustTests());
}
