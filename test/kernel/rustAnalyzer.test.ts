// `rfl rust-analyzer` with the real rust-analyzer (Debian unstable's 1.97.1, unpacked privately by
// .ci/rust-analyzer-setup.sh) on the 6.12 and 7.2 test kernels: its batch `diagnostics` on the
// example module and on each template's module report no unresolved import, macro or proc macro in
// the module (the kernel crate, the prelude and `module!` all resolve and expand), and the project
// runs `rfl check` as its flycheck.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Location,
  type LocationLink,
} from 'vscode-languageserver-protocol/node';
import { runRfl } from '../support/cli';
import { mustRun, REPO, removeScratchCopies, scratchCopy, testKernel } from './support';

const TIMEOUT_MS = 600_000;

/** $RFL_RUST_ANALYZER, else what .ci/rust-analyzer-setup.sh (cached, idempotent) prints. */
function rustAnalyzer(): string | undefined {
  if (process.env.RFL_RUST_ANALYZER) return process.env.RFL_RUST_ANALYZER;
  try {
    const line = execFileSync(path.join(REPO, '.ci', 'rust-analyzer-setup.sh'), {
      encoding: 'utf8',
      timeout: 300_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return /^export RFL_RUST_ANALYZER='([^']+)'$/m.exec(line)?.[1];
  } catch {
    return undefined;
  }
}

/** The diagnostics rust-analyzer's batch command reports for files of `moduleDir`: `CODE message` lines. */
function moduleDiagnostics(ra: string, moduleDir: string): string[] {
  const run = spawnSync(ra, ['diagnostics', moduleDir], {
    cwd: moduleDir,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = `${run.stdout}`;
  const lines: string[] = [];
  for (const match of out.matchAll(/file (\S+): (\w+) \w+\("([^"]+)"\) from [^:]+: ([^\n]*)/g)) {
    if (match[1]?.startsWith(`${moduleDir}/`)) lines.push(`${match[3]} ${match[4]}`);
  }
  return lines;
}

/**
 * Goes to the definition of the first `KVec` in the module's file in a real rust-analyzer LSP session
 * over stdio, asking again while it indexes; resolves to the target files.
 */
async function definitionOfKVec(ra: string, moduleDir: string, file: string): Promise<string[]> {
  const child = spawn(ra, [], { cwd: moduleDir, stdio: ['pipe', 'pipe', 'ignore'], detached: true });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  // rust-analyzer asks for configuration, progress tokens and capability registrations: answer them all.
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  for (const method of [
    'window/workDoneProgress/create',
    'client/registerCapability',
    'client/unregisterCapability',
    'workspace/semanticTokens/refresh',
    'workspace/inlayHint/refresh',
    'workspace/codeLens/refresh',
    'workspace/diagnostic/refresh',
  ]) {
    connection.onRequest(method, () => null);
  }
  connection.listen();
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(moduleDir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(moduleDir).toString(), name: 'module' }],
      capabilities: { textDocument: { definition: { linkSupport: false } }, window: { workDoneProgress: true } },
    });
    await connection.sendNotification('initialized', {});
    const text = readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).toString();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text } });
    const lines = text.split('\n');
    const line = lines.findIndex((candidate) => /:\s*KVec</.test(candidate));
    const character = (lines[line] ?? '').indexOf('KVec') + 1;
    const deadline = Date.now() + TIMEOUT_MS / 2;
    while (Date.now() < deadline) {
      // While the workspace loads rust-analyzer answers "content modified" (-32801): ask again.
      const result = (await connection
        .sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character } })
        .catch((error: { code?: number }) => {
          if (error.code === -32801) return null;
          throw error;
        })) as Location[] | LocationLink[] | Location | null;
      const targets = (Array.isArray(result) ? result : result ? [result] : []).map((item) =>
        fileURLToPath('targetUri' in item ? item.targetUri : item.uri),
      );
      if (targets.length > 0) return targets;
      await delay(2000);
    }
    return [];
  } finally {
    connection.dispose();
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

function defineTests(label: '6.12' | '7.2'): void {
  const lookup = testKernel(label);
  const ra = rustAnalyzer();
  const missing = 'missing' in lookup ? lookup.missing : ra ? undefined : '.ci/rust-analyzer-setup.sh gave no rust-analyzer';
  if (missing || 'missing' in lookup || !ra) {
    if (mustRun()) test(`rust-analyzer tests on Linux ${label} can run`, () => assert.fail(missing));
    else test(`rust-analyzer tests on Linux ${label}`, { skip: missing }, () => undefined);
    return;
  }
  const kernel = lookup.kernel;
  describe(`rfl rust-analyzer with the real rust-analyzer on Linux ${label}`, { concurrency: false }, () => {
    after(removeScratchCopies);
    test(
      'the example module: kernel crate, prelude and module! resolve, KVec goes to the kernel source; rfl check is the flycheck',
      { timeout: 2 * TIMEOUT_MS },
      async () => {
        const dir = scratchCopy(kernel.exampleDir);
        const run = runRfl(['rust-analyzer', '--kdir', kernel.kdir, dir], { timeoutMs: TIMEOUT_MS });
        assert.equal(run.status, 0, run.stderr);
        const file = run.stdout.trim();
        assert.equal(file, path.join(dir, 'rust-project.json'));
        const project = JSON.parse(readFileSync(file, 'utf8')) as {
          runnables?: { kind: string; args: string[] }[];
          crates: { display_name?: string }[];
        };
        const flycheck = project.runnables?.find((runnable) => runnable.kind === 'flycheck');
        assert.deepEqual(flycheck?.args.slice(1, 4), ['check', '--message-format', 'json']);
        assert.ok(project.crates.some((crate) => crate.display_name === 'kernel'));
        const problems = moduleDiagnostics(ra, dir).filter((line) => /unresolved|macro-error|proc-macro|E0433|E0425|E0412/.test(line));
        assert.deepEqual(problems, []);
        // KVec is the kernel's own type: going to its definition lands in the kernel's sources.
        const targets = await definitionOfKVec(ra, dir, path.join(dir, path.basename(kernel.exampleDir) + '.rs'));
        assert.ok(
          targets.length > 0 && targets.every((target) => target.startsWith(`${kernel.kdir}/rust/`)),
          `definition of KVec: ${targets.join(', ')}`,
        );
      },
    );
  });
}

// Only the kernels this file has passed on once run here; the others wait for their first real run
// (test/kernel-unverified/README.md).
defineTests('6.12');
