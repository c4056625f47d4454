// The runner's own check (test/vscode/runnerCheck.ts): one test that passes inside VS Code and one
// that fails on purpose, so the run must report `1 passed, 1 failed` and exit with code 1.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runSuite } from '../suite/harness';

export function run(): Promise<void> {
  return runSuite('runner self-check', [
    {
      name: 'runs inside VS Code 1.x with a workspace open',
      run: async () => {
        assert.match(vscode.version, /^1\.\d+\.\d+/);
        assert.equal(vscode.workspace.workspaceFolders?.length, 1);
        // Informational: runTests passes --disable-workspace-trust unless --enable-workspace-trust is given.
        console.log(`    (workspace trusted: ${vscode.workspace.isTrusted})`);
      },
    },
    {
      name: 'fails on purpose',
      run: async () => assert.fail('this failure is expected: the run must exit with code 1'),
    },
  ]);
}
