// A stand-in for the `code` executable that @vscode/test-electron's runTests({ vscodeExecutablePath })
// (and @vscode/test-cli's useInstallation.fromPath) start: it takes the arguments they pass to VS Code
// and runs the suite in code-server instead, exiting with the tests' exit code. The same test/vscode
// suite therefore runs unchanged on a desktop VS Code and here.
//
// Understood: --extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=,
// --disable-workspace-trust, one folder or .code-workspace to open, and --enable-workspace-trust (ours:
// wins over the --disable-workspace-trust that runTests always adds, for workspace-trust tests).
// Electron-only flags (--no-sandbox, --disable-updates, ...) are ignored.
// Environment: RFL_VSCODE_TEST_TIMEOUT (seconds, default 300), RFL_VSCODE_SCREENSHOT_DIR (enables
// the screenshot driver), RFL_VSCODE_KEEP_RUN=1 (keep the run folder after a pass).
import { runInCodeServer } from './codeServerTest';
import { findInstallation } from './installation';

interface ParsedArgs {
  extensionDevelopmentPaths: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  workspace?: string;
  workspaceTrust: boolean;
}

const IGNORED = new Set([
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-updates',
  '--skip-welcome',
  '--skip-release-notes',
  '--no-cached-data',
  '--disable-extensions',
  '--new-window',
  '--wait',
]);

function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { extensionDevelopmentPaths: [], workspaceTrust: false };
  let disableTrust = false;
  let enableTrust = false;
  for (const arg of argv) {
    const [flag, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, ''];
    switch (flag) {
      case '--extensionDevelopmentPath':
        parsed.extensionDevelopmentPaths.push(value);
        break;
      case '--extensionTestsPath':
        parsed.extensionTestsPath = value;
        break;
      case '--user-data-dir':
        parsed.userDataDir = value;
        break;
      case '--extensions-dir':
        parsed.extensionsDir = value;
        break;
      case '--disable-workspace-trust':
        disableTrust = true;
        break;
      case '--enable-workspace-trust':
        enableTrust = true;
        break;
      default:
        if (!arg.startsWith('-')) {
          if (parsed.workspace) throw new Error(`only one folder or workspace can be opened (got ${parsed.workspace} and ${arg})`);
          parsed.workspace = arg;
        } else if (!IGNORED.has(flag)) {
          process.stderr.write(`vscode-test: ignoring ${arg}\n`);
        }
    }
  }
  parsed.workspaceTrust = enableTrust || !disableTrust;
  return parsed;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.extensionTestsPath || args.extensionDevelopmentPaths.length === 0) {
    process.stderr.write('usage: code --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [FOLDER]\n');
    return 2;
  }
  const timeoutSeconds = Number(process.env.RFL_VSCODE_TEST_TIMEOUT ?? 300);
  return runInCodeServer({
    installation: findInstallation(),
    extensionDevelopmentPaths: args.extensionDevelopmentPaths,
    extensionTestsPath: args.extensionTestsPath,
    workspace: args.workspace,
    userDataDir: args.userDataDir,
    extensionsDir: args.extensionsDir,
    workspaceTrust: args.workspaceTrust,
    screenshotDir: process.env.RFL_VSCODE_SCREENSHOT_DIR || undefined,
    timeoutMs: (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds : 300) * 1000,
    keepRunDir: process.env.RFL_VSCODE_KEEP_RUN === '1',
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`vscode-test: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
