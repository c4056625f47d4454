// `rfl rust-analyzer` with the real rust-analyzer (Debian unstable's 1.97.1, unpacked privately by
// .ci/rust-analyzer-setup.sh) on the 6.12 and 7.2 test kernels: its batch `diagnostics` on the
// example module and on each template's module report no unresolved import, macro or proc macro in
// the module (the kernel crate, the prelude and `module!` all resolve and expand), and the project
// runs `rfl check` as its flycheck.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runRfl } from '../support/cli';
import { mustRun, REPO, removeScratchCopies, scratchCopy, testKernel } from './support';

const TIMEOUT_MS = 600_000;

/** $RFL_RUST_ANALYZER, else what .ci/rust-analyzer-setup.sh (cached, idempotent) prints. */
function rustAnalyzer(): string | undefined {
  if (process.env.RFL_RUST_ANALYZER) return process.env.RFL_RUST_ANALYZER;
  try {
    const line = execFileSync(path.join(REPO, '.ci', 'rust-analyzer-setup.sh'), { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return /^export RFL_RUST_ANALYZER='([^']+)'$/m.exec(line)?.[1];
  } catch {
    return undefined;
  }
}

/** The diagnostics rust-analyzer's batch command reports for files of `moduleDir`: `CODE message` lines. */
function moduleDiagnostics(ra: string, moduleDir: string): string[] {
  const run = spawnSync(ra, ['diagnostics', moduleDir], { cwd: moduleDir, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 256 * 1024 * 1024 });
  const out = `${run.stdout}`;
  const lines: string[] = [];
  for (const match of out.matchAll(/file (\S+): (\w+) \w+\("([^"]+)"\) from [^:]+: ([^\n]*)/g)) {
    if (match[1]?.startsWith(`${moduleDir}/`)) lines.push(`${match[3]} ${match[4]}`);
  }
  return lines;
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
    test('the example module: kernel crate, prelude and module! resolve; rfl check is the flycheck', { timeout: TIMEOUT_MS }, () => {
      const dir = scratchCopy(kernel.exampleDir);
      const run = runRfl(['rust-analyzer', '--kdir', kernel.kdir, dir], { timeoutMs: TIMEOUT_MS });
      assert.equal(run.status, 0, run.stderr);
      const file = run.stdout.trim();
      assert.equal(file, path.join(dir, 'rust-project.json'));
      const project = JSON.parse(readFileSync(file, 'utf8')) as { runnables?: { kind: string; args: string[] }[]; crates: { display_name?: string }[] };
      const flycheck = project.runnables?.find((runnable) => runnable.kind === 'flycheck');
      assert.deepEqual(flycheck?.args.slice(1, 4), ['check', '--message-format', 'json']);
      assert.ok(project.crates.some((crate) => crate.display_name === 'kernel'));
      const problems = moduleDiagnostics(ra, dir).filter((line) => /unresolved|macro-error|proc-macro|E0433|E0425|E0412/.test(line));
      assert.deepEqual(problems, []);
    });
  });
}

defineTests('6.12');
defineTests('7.2');
