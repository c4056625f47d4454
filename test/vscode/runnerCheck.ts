// Checks the runner itself (scripts/vscode-test): a suite with one passing and one failing test
// (test/vscode/selftest) must print its closing `1 passed, 1 failed` line through the workbench's
// log forwarding and end the run with exit code 1, and the run's processes must be gone afterwards.
//
// usage: node test/vscode/out/runnerCheck.js    (built by scripts/vscode-test/build.mjs)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const runTest = path.join(__dirname, 'runTest.js');

/** Processes whose command line or environment names `folder` (code-server's get TMPDIR there). */
function processesMentioning(folder: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(folder) || readFileSync(`/proc/${pid}/environ`, 'utf8').includes(folder)) {
        found.push(`${pid} ${cmdline.replace(/\0/g, ' ').slice(0, 100)}`);
      }
    } catch {
      // The process ended meanwhile, or is not ours to read.
    }
  }
  return found;
}

function main(): number {
  const result = spawnSync(process.execPath, [runTest, 'selftest'], { encoding: 'utf8', timeout: 120_000 });
  const problems: string[] = [];
  if (result.status !== 1) problems.push(`exit code ${result.status ?? result.signal}, expected 1`);
  if (!/^1 passed, 1 failed$/m.test(result.stdout)) problems.push('no closing "1 passed, 1 failed" line');
  if (!/✔ runs inside VS Code/.test(result.stdout)) problems.push('the passing test was not reported');
  // code-server's process group is killed as a whole: none of its processes may outlive the run.
  const runFolder = /run folder kept: (\S+)/.exec(result.stderr)?.[1];
  if (!runFolder) problems.push('the failed run did not keep its run folder');
  else {
    // The extension host and the language server are not in code-server's group: they see their
    // parent go, end their own process groups (a background check's make) and exit. They get 5 s.
    let leftovers = processesMentioning(runFolder);
    for (let waited = 0; leftovers.length > 0 && waited < 5_000; waited += 250) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
      leftovers = processesMentioning(runFolder);
    }
    if (leftovers.length > 0) problems.push(`processes left over after 5 s: ${leftovers.join(', ')}`);
  }
  if (problems.length === 0) {
    console.log('runner check: ok (a forced failure gives exit code 1 and "1 passed, 1 failed"; no process left)');
    return 0;
  }
  // The run's own output only when it matters: it holds a failure on purpose.
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  console.log(`runner check FAILED:\n- ${problems.join('\n- ')}`);
  return 1;
}

process.exit(main());
