// Runs a VS Code extension test suite inside code-server (VS Code 1.139 as server + web workbench)
// driven by headless chromium, the route ../shared/reference/vscode-integration-tests.md verified:
// code-server has no --extensionDevelopmentPath, but with `enable-smoke-test-driver` the web
// workbench reads the same settings from the URL's `payload`, runs the tests in the remote extension
// host, and reports through window.codeAutomationLog / window.codeAutomationExit, which we expose
// with playwright. code-server runs in its own process group, which is killed as a whole at the end
// and on timeout: its helper processes outlive it otherwise.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { stopGroup } from '../../src/core/process/processGroup';
import { DRIVER_URL_ENV } from './driverProtocol';
import type { Installation } from './installation';
import { startTestDriver, type TestDriver } from './testDriver';

export interface CodeServerTestOptions {
  installation: Installation;
  /** Folders of the extensions under development (their package.json is read as is). */
  extensionDevelopmentPaths: string[];
  /** The compiled module exporting `run(): Promise<void>`, loaded in the extension host. */
  extensionTestsPath: string;
  /** A folder or a .code-workspace file to open; an empty window when absent. */
  workspace?: string;
  /** Fresh folders in the run folder when absent. */
  userDataDir?: string;
  extensionsDir?: string;
  /** false passes --disable-workspace-trust (as @vscode/test-electron does); true lets a test see an untrusted workspace. */
  workspaceTrust: boolean;
  /** Extra environment for the extension host. */
  extensionEnvironment?: Record<string, string>;
  /** Where the tests' screenshots go (see driverProtocol.ts); screenshots are refused when absent. */
  screenshotDir?: string;
  /** The whole run, from starting code-server to the tests' exit. */
  timeoutMs: number;
  /** Keep the run folder (logs, profile, user data) even when the tests pass. */
  keepRunDir?: boolean;
}

/** Chromium's flags on these machines: without the networking ones it keeps dialling Google. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

const START_TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 3_000;
/** Exit code when the run is cut off by the timeout (as timeout(1) reports it). */
export const TIMEOUT_EXIT_CODE = 124;

/**
 * The workbench's own start-up log lines, which codeAutomationLog mixes with the extension host's
 * console: kept in logs/browser.log, not printed. The gallery lookup fails on a closed network.
 */
const WORKBENCH_CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(renderer-/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^\[AgentHost:remote\]/,
  /^\[AccountPolicyGate\]/,
  /^getaddrinfo ENOTFOUND open-vsx\.org/,
];

/** User settings that keep a test window quiet and offline. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  // With --enable-workspace-trust: no start-up modal; a test sees the workspace untrusted as is.
  'security.workspace.trust.startupPrompt': 'never',
  // The chat view would take a third of every screenshot.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Run folders of failed runs kept for their logs; older ones are removed at the next run. */
const KEPT_RUNS = 5;

function pruneOldRuns(runsDir: string): void {
  const runs = readdirSync(runsDir).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - KEPT_RUNS + 1))) {
    rmSync(path.join(runsDir, old), { recursive: true, force: true });
  }
}

class RunFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function say(message: string): void {
  process.stderr.write(`vscode-test: ${message}\n`);
}

/** Starts code-server in a process group of its own; resolves with its base URL once it listens. */
function startCodeServer(
  installation: Installation,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): { child: ChildProcess; listening: Promise<string> } {
  const log = createWriteStream(logFile);
  const child = spawn(installation.node, [installation.codeServer, ...args], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RunFailure(`code-server did not listen within ${START_TIMEOUT_MS / 1000} s (log: ${logFile})`)),
      START_TIMEOUT_MS,
    );
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new RunFailure(`could not start ${installation.node} ${installation.codeServer}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new RunFailure(`code-server exited early (${code ?? signal}); log: ${logFile}`));
    });
  });
  return { child, listening };
}

function remoteUri(authority: string, file: string): string {
  return `vscode-remote://${authority}${path.resolve(file)}`;
}

function formatLogMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.map(formatLogMessage).join(' ');
  return JSON.stringify(message);
}

/** Runs the suite; resolves with its exit code (0 when every test passed). */
export async function runInCodeServer(options: CodeServerTestOptions): Promise<number> {
  const { installation } = options;
  const runsDir = path.join(installation.dir, 'runs');
  mkdirSync(runsDir, { recursive: true });
  pruneOldRuns(runsDir);
  const runDir = mkdtempSync(path.join(runsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-`));
  const dirs = {
    xdgConfig: path.join(runDir, 'xdg-config'),
    xdgData: path.join(runDir, 'xdg-data'),
    xdgCache: path.join(runDir, 'xdg-cache'),
    tmp: path.join(runDir, 'tmp'),
    userData: options.userDataDir ?? path.join(runDir, 'user-data'),
    extensions: options.extensionsDir ?? path.join(runDir, 'extensions'),
    profile: path.join(runDir, 'chromium-profile'),
    logs: path.join(runDir, 'logs'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  const settingsFile = path.join(dirs.userData, 'User', 'settings.json');
  // A user-data folder given by the caller keeps the settings it already has.
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(USER_SETTINGS, null, 2));

  const args = [
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir',
    dirs.userData,
    '--extensions-dir',
    dirs.extensions,
    // Without it the workbench ignores the URL's payload.
    '--vscode-option',
    'enable-smoke-test-driver',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
  ];
  // Everything code-server and its children write goes to the run folder, not $HOME or /tmp.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
  };

  let exitCode = 1;
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let driver: TestDriver | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  const started = Date.now();
  try {
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RunFailure(`timed out after ${options.timeoutMs / 1000} s`, TIMEOUT_EXIT_CODE)),
        options.timeoutMs,
      );
      onSignal = (signal) => reject(new RunFailure(`interrupted by ${signal}`, signal === 'SIGINT' ? 130 : 143));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    });
    stopped.catch(() => undefined);

    const codeServer = startCodeServer(installation, args, env, path.join(dirs.logs, 'code-server.log'));
    server = codeServer.child;
    const serverExited = new Promise<never>((_, reject) =>
      codeServer.child.once('exit', (code, signal) =>
        reject(new RunFailure(`code-server exited during the tests (${code ?? signal}); log: ${dirs.logs}`)),
      ),
    );
    serverExited.catch(() => undefined);
    const baseUrl = await Promise.race([codeServer.listening, stopped]);
    const authority = new URL(baseUrl).host;

    context = await Promise.race([
      chromium.launchPersistentContext(dirs.profile, {
        executablePath: installation.chromium,
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: { width: 1280, height: 800 },
        // The tests read a task terminal's text through copy and env.clipboard.readText.
        permissions: ['clipboard-read', 'clipboard-write'],
        // Our own handlers end the run: playwright's would exit before code-server's group is killed.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      }),
      stopped,
    ]);
    const browserLog = createWriteStream(path.join(dirs.logs, 'browser.log'));
    let resolveExit: (code: number) => void = () => undefined;
    const testsExited = new Promise<number>((resolve) => (resolveExit = resolve));
    await context.exposeFunction('codeAutomationLog', (level: unknown, message: unknown) => {
      const text = formatLogMessage(message);
      browserLog.write(`[automation ${String(level)}] ${text}\n`);
      if (WORKBENCH_CHATTER.some((pattern) => pattern.test(text))) return;
      const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
      stream.write(text.endsWith('\n') ? text : `${text}\n`);
    });
    await context.exposeFunction('codeAutomationExit', (code: unknown, logs: unknown) => {
      // The workbench hands over its log files: keep them with the run for a failure's post-mortem.
      if (Array.isArray(logs)) {
        for (const entry of logs as { relativePath?: string; contents?: string }[]) {
          if (!entry.relativePath || typeof entry.contents !== 'string') continue;
          const file = path.join(dirs.logs, 'workbench', path.normalize(entry.relativePath).replace(/^(\.\.[/\\])+/, ''));
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, entry.contents);
        }
      }
      resolveExit(typeof code === 'number' ? code : 1);
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => browserLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error.stack ?? error.message}\n`));
    const pageCrashed = new Promise<never>((_, reject) => page.once('crash', () => reject(new RunFailure('the workbench page crashed'))));
    pageCrashed.catch(() => undefined);

    const extensionEnvironment: Record<string, string> = { ...options.extensionEnvironment };
    if (options.screenshotDir) {
      driver = await startTestDriver(page, options.screenshotDir);
      extensionEnvironment[DRIVER_URL_ENV] = driver.url;
    }
    const payload: [string, string][] = [
      ...options.extensionDevelopmentPaths.map((dir): [string, string] => ['extensionDevelopmentPath', remoteUri(authority, dir)]),
      ['extensionTestsPath', remoteUri(authority, options.extensionTestsPath)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
      ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
    ];
    const query = new URLSearchParams();
    if (!options.workspace) query.set('ew', 'true');
    else query.set(options.workspace.endsWith('.code-workspace') ? 'workspace' : 'folder', path.resolve(options.workspace));
    query.set('payload', JSON.stringify(payload));
    say(`code-server ${baseUrl} (run folder ${runDir})`);
    await Promise.race([page.goto(`${baseUrl}/?${query.toString()}`), stopped, serverExited]);

    exitCode = await Promise.race([testsExited, stopped, serverExited, pageCrashed]);
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error;
    exitCode = error.exitCode;
    say(`${error.message}; logs kept in ${dirs.logs}`);
  } finally {
    clearTimeout(timer);
    if (onSignal) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    await driver?.close();
    await context?.close().catch(() => undefined);
    // Helpers (extension host, language server, pty host) may outlive the leader: the whole group goes.
    if (server?.pid !== undefined) await stopGroup(server.pid, KILL_GRACE_MS);
    if (exitCode === 0 && !options.keepRunDir) rmSync(runDir, { recursive: true, force: true });
    else say(`run folder kept: ${runDir}`);
  }
  say(`exit code ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return exitCode;
}
