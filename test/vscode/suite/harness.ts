// A minimal test harness for the extension host: runs named async tests in order, each bounded by a
// timeout, prints one line per test and a closing `N passed, N failed` line, and rejects when any
// failed, which VS Code turns into the test run's exit code 1. (mocha would do the same with two more
// dependencies and a dynamic require that bundling breaks.)

export interface TestCase {
  name: string;
  run: () => Promise<void>;
  /** Milliseconds; the default suits a test that waits for the language server. */
  timeoutMs?: number;
}

/** Thrown by a test that cannot run in this environment; counted apart from passes and failures. */
export class Skip extends Error {}

const DEFAULT_TIMEOUT_MS = 20_000;

async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function runSuite(title: string, tests: readonly TestCase[]): Promise<void> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  console.log(title);
  // RFL_VSCODE_ONLY=REGEXP runs only the tests whose name matches (for a developer chasing one).
  const only = process.env.RFL_VSCODE_ONLY ? new RegExp(process.env.RFL_VSCODE_ONLY) : undefined;
  for (const test of only ? tests.filter((one) => only.test(one.name)) : tests) {
    const started = Date.now();
    try {
      await withTimeout(test.run(), test.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      passed++;
      console.log(`  ✔ ${test.name} (${Date.now() - started} ms)`);
    } catch (error) {
      if (error instanceof Skip) {
        skipped++;
        console.log(`  - ${test.name} (skipped: ${error.message})`);
        continue;
      }
      failed++;
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.log(`  ✘ ${test.name} (${Date.now() - started} ms)\n${detail.replace(/^/gm, '      ')}`);
    }
  }
  if (skipped > 0) console.log(`${skipped} skipped`);
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} of ${tests.length} tests failed`);
}
