// Runs the integration suite through @vscode/test-electron's standard entry point. VS Code itself
// cannot be downloaded on these machines, so the executable defaults to scripts/vscode-test/code,
// which runs the suite in code-server (VS Code 1.139); RFL_VSCODE_EXECUTABLE=/path/to/code runs the
// very same suite in a desktop VS Code instead.
//
// usage: node test/vscode/out/runTest.js [suite|trust|selftest]    (built by scripts/vscode-test/build.mjs)
// The fixture workspace is copied to a scratch folder first, so edits and settings the tests make
// never touch the repository. Its .vscode/settings.json names the 6.12 test kernel
// (RFL_TEST_KDIR_6_12, from the environment or from .ci/test-kernels.sh's test-kernels.env) as
// rustForLinux.kernelDir; the load tests are skipped without one.
// `trust` runs test/vscode/trust with --enable-workspace-trust: the scratch workspace is untrusted.
// RFL_VSCODE_EXTENSIONS_DIR=DIR runs against the extension installed in DIR (code-server
// --install-extension FILE.vsix --extensions-dir DIR) instead of this checkout.
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheRoot } from '../../src/core/cache/cachePaths';

// This file runs as test/vscode/out/runTest.js.
const root = path.resolve(__dirname, '../../..');
const SUITES = ['suite', 'trust', 'selftest'];

/** A test kernel's build folder (`6_12`, `7_2`), if .ci/test-kernels.sh prepared one. */
function testKernel(cache: string, label: '6_12' | '7_2'): string | undefined {
  const fromEnv = process.env[`RFL_TEST_KDIR_${label}`];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const envFile = path.join(cache, 'test-kernels.env');
  if (!existsSync(envFile)) return undefined;
  const match = new RegExp(`^export RFL_TEST_KDIR_${label}=['"]?([^'"\\n]+)['"]?$`, 'm').exec(readFileSync(envFile, 'utf8'));
  return match && existsSync(match[1]) ? match[1] : undefined;
}

/** Lines of the extension's log printed when a run fails. */
const LOG_TAIL_LINES = 80;

/**
 * On a failure, the end of the extension's own log (its output channel, with the language server's
 * stderr: what each check did and how long it took), which goes with the scratch folder otherwise.
 */
function printServerLog(logsDir: string): void {
  const logs = existsSync(logsDir)
    ? readdirSync(logsDir, { recursive: true, encoding: 'utf8' }).filter((file) => path.basename(file) === 'Rust for Linux.log')
    : [];
  for (const file of logs) {
    const lines = readFileSync(path.join(logsDir, file), 'utf8').trimEnd().split('\n');
    console.log(`vscode-test: the last ${Math.min(LOG_TAIL_LINES, lines.length)} of ${lines.length} lines of ${file}:`);
    console.log(lines.slice(-LOG_TAIL_LINES).join('\n'));
  }
}

async function main(): Promise<number> {
  const suite = process.argv[2] ?? 'suite';
  if (!SUITES.includes(suite)) {
    console.error(`usage: runTest.js [${SUITES.join('|')}]`);
    return 2;
  }
  const cache = cacheRoot();
  mkdirSync(path.join(cache, 'vscode'), { recursive: true });
  const scratch = mkdtempSync(path.join(cache, 'vscode', 'test-run-'));
  const workspace = path.join(scratch, 'module');
  cpSync(path.join(root, 'test/vscode/fixtures/module'), workspace, { recursive: true });
  const kernel = testKernel(cache, '6_12');
  // The KUnit Test Explorer test needs #[kunit_tests] (6.15+): it switches kernelDir to this one.
  const kunitKernel = testKernel(cache, '7_2');
  // A developer without test kernels gets the kernel tests skipped; CI must not pass by skipping them.
  if (process.env.CI && (!kernel || !kunitKernel)) {
    console.error('vscode-test: CI needs the 6.12 and 7.2 test kernels: run .ci/test-kernels.sh (scripts/test.sh does)');
    rmSync(scratch, { recursive: true, force: true });
    return 2;
  }
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        ...(kernel ? { 'rustForLinux.kernelDir': kernel } : {}),
        // The trust suite checks that an untrusted workspace ignores restricted settings and keeps
        // the others (it runs no task).
        ...(suite === 'trust' ? { 'rustForLinux.make.extraArgs': ['KCFLAGS=-g'], 'rustForLinux.load.timeoutSeconds': 90 } : {}),
      },
      null,
      2,
    ),
  );
  const installedExtensions = process.env.RFL_VSCODE_EXTENSIONS_DIR;
  try {
    await runTests({
      vscodeExecutablePath: process.env.RFL_VSCODE_EXECUTABLE ?? path.join(root, 'scripts/vscode-test/code'),
      // With an installed copy, a development path is still required by runTests: an empty
      // extension folder (test/vscode/noop-extension) stands in for it.
      extensionDevelopmentPath: installedExtensions ? path.join(root, 'test/vscode/noop-extension') : root,
      extensionTestsPath: path.join(root, 'test/vscode/out', suite, 'index.js'),
      launchArgs: [
        workspace,
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${installedExtensions ?? path.join(scratch, 'extensions')}`,
        ...(suite === 'trust' ? ['--enable-workspace-trust'] : []),
      ],
      extensionTestsEnv: {
        RFL_VSCODE_SCREENSHOT_DIR: path.join(root, 'test/vscode/screenshots'),
        // Tells the suite which copy of the extension it must find running.
        RFL_VSCODE_EXTENSION_UNDER_TEST: installedExtensions ?? root,
        ...(kunitKernel ? { RFL_TEST_KDIR_7_2: kunitKernel } : {}),
        ...(process.env.RFL_VSCODE_ONLY ? { RFL_VSCODE_ONLY: process.env.RFL_VSCODE_ONLY } : {}),
        ...(process.env.RFL_VSCODE_NO_SCREENSHOTS ? { RFL_VSCODE_NO_SCREENSHOTS: '1' } : {}),
      },
    });
    return 0;
  } catch (error) {
    // runTests rejects with the run's exit code; its own messages are already printed.
    const code = (error as { code?: number }).code;
    printServerLog(path.join(scratch, 'user-data', 'logs'));
    return typeof code === 'number' && code !== 0 ? code : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main().then((code) => process.exit(code));
