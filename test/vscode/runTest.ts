// Runs the integration suite through @vscode/test-electron's standard entry point. VS Code itself
// cannot be downloaded on these machines, so the executable defaults to scripts/vscode-test/code,
// which runs the suite in code-server (VS Code 1.139); RFL_VSCODE_EXECUTABLE=/path/to/code runs the
// very same suite in a desktop VS Code instead.
//
// usage: node test/vscode/out/runTest.js [suite|selftest]    (built by scripts/vscode-test/build.mjs)
// The fixture workspace is copied to a scratch folder first, so edits and settings the tests make
// never touch the repository.
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// This file runs as test/vscode/out/runTest.js.
const root = path.resolve(__dirname, '../../..');
const SUITES = ['suite', 'selftest'];

async function main(): Promise<number> {
  const suite = process.argv[2] ?? 'suite';
  if (!SUITES.includes(suite)) {
    console.error(`usage: runTest.js [${SUITES.join('|')}]`);
    return 2;
  }
  const cache = process.env.RFL_CACHE ?? path.join(os.homedir(), '.cache', 'rust-for-linux');
  mkdirSync(path.join(cache, 'vscode'), { recursive: true });
  const scratch = mkdtempSync(path.join(cache, 'vscode', 'test-run-'));
  const workspace = path.join(scratch, 'module');
  cpSync(path.join(root, 'test/vscode/fixtures/module'), workspace, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: process.env.RFL_VSCODE_EXECUTABLE ?? path.join(root, 'scripts/vscode-test/code'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'test/vscode/out', suite, 'index.js'),
      launchArgs: [
        workspace,
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
      ],
      extensionTestsEnv: { RFL_VSCODE_SCREENSHOT_DIR: path.join(root, 'test/vscode/screenshots') },
    });
    return 0;
  } catch (error) {
    // runTests rejects with the run's exit code; its own messages are already printed.
    const code = (error as { code?: number }).code;
    return typeof code === 'number' && code !== 0 ? code : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
