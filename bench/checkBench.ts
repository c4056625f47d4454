// `npm run bench:check`: save -> diagnostics published, for the example module on the Linux 6.12
// test kernel, through the real language server over stdio: each run changes one line (a number in
// the example), writes the file, sends didChange + didSave and waits for the server's check to be
// published. Then the same change checked by hand with `make CLIPPY=1` (the kernel's own command).
// 10 runs each (RFL_BENCH_RUNS); prints median, min and max. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { kbuildMakeArgs } from '../src/core/kbuild/makeArgs';
import { LspTestClient } from '../test/support/lspClient';
import { REPO, testKernel } from '../test/kernel/support';
import { median } from '../src/core/compare/stats';

const RUNS = Number(process.env.RFL_BENCH_RUNS ?? 10);

function line(label: string, values: number[]): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  return `${label.padEnd(44)} median ${seconds(median(values))} s  (min ${seconds(Math.min(...values))}, max ${seconds(Math.max(...values))}, n=${values.length})`;
}

/** The server's "check NAME: ..." log line, once per check. */
function nextCheckLog(client: LspTestClient): Promise<string> {
  return new Promise((resolve) => {
    client.connection.onNotification('window/logMessage', (params: { message: string }) => {
      if (/^check rust_hello: /.test(params.message)) resolve(params.message);
    });
  });
}

async function main(): Promise<number> {
  const lookup = testKernel('6.12');
  if ('missing' in lookup) {
    console.error(`bench:check: ${lookup.missing}`);
    return 2;
  }
  const kernel = lookup.kernel;
  const work = mkdtempSync(path.join(os.tmpdir(), 'rfl-bench-check-'));
  const moduleDir = path.join(work, 'rust_hello');
  cpSync(path.join(REPO, 'examples', 'rust_hello'), moduleDir, { recursive: true });
  const file = path.join(moduleDir, 'rust_hello.rs');
  const uri = pathToFileURL(file).toString();
  const original = readFileSync(file, 'utf8');
  const lspMs: number[] = [];
  const makeMs: number[] = [];
  const client = await LspTestClient.start({ settings: { kernelDir: kernel.kdir } });
  try {
    // Opening checks the module once (the warm-up: the first build compiles the whole module).
    let checked = nextCheckLog(client);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'rust', version: 1, text: original },
    });
    await checked;
    let text = original;
    for (let run = 1; run <= RUNS; run++) {
      // One-line change: the last number pushed.
      text = original.replace('numbers.push(200, GFP_KERNEL)?;', `numbers.push(${200 + run}, GFP_KERNEL)?;`);
      checked = nextCheckLog(client);
      const started = performance.now();
      writeFileSync(file, text);
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: run + 1 },
        contentChanges: [{ text }],
      });
      await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      const message = await checked;
      lspMs.push(performance.now() - started);
      process.stderr.write(`save ${run}/${RUNS}: ${((lspMs.at(-1) ?? 0) / 1000).toFixed(2)} s (${message})\n`);
    }
  } finally {
    await client.stop();
  }
  // By hand: the same one-line change, then the kernel's own `make CLIPPY=1` (kbuild rebuilds the
  // changed crate only).
  const args = kbuildMakeArgs({ kdir: kernel.kdir, moduleDir, toolchain: kernel.toolchain, clippy: true });
  for (let run = 1; run <= RUNS; run++) {
    writeFileSync(file, original.replace('numbers.push(200, GFP_KERNEL)?;', `numbers.push(${300 + run}, GFP_KERNEL)?;`));
    const started = performance.now();
    const make = spawnSync('make', args, { cwd: moduleDir, encoding: 'utf8', timeout: 300_000 });
    if (make.status !== 0) throw new Error(`make CLIPPY=1 failed: ${make.stderr}`);
    makeMs.push(performance.now() - started);
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`check on save, Linux ${kernel.label}, examples/rust_hello, one-line change (${os.availableParallelism()} CPUs):`);
  console.log(line('save -> diagnostics published (LSP)', lspMs));
  console.log(line('make CLIPPY=1 by hand', makeMs));
  return 0;
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
