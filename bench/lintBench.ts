// `npm run bench`: figures for issue 2's targets, printed, never asserted.
//  1. rfl's lint engine over the Rust files of Linux 6.12 (rust/, drivers/, samples/): files, lines,
//     findings, seconds, lines per second, peak memory (in a fresh process);
//  2. the language server over stdio: didChange → publishDiagnostics on a 5,000-line file, p50 and p95
//     over 200 edits, and the server's peak memory;
//  3. the server's memory with 50 files of the tree open.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectRustFiles } from '../src/core/files/collectRustFiles';
import { lintFile } from '../src/core/lint/lintFiles';
import { SafetyLinter } from '../src/core/safety/safetyLinter';
import { LspTestClient } from '../test/support/lspClient';
import { FOLDERS, kernelRustTree } from './kernelSources';

function peakMemoryMB(pid: number | 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

function currentMemoryMB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

/** Child mode: lint the tree once and print the figures as JSON (so peak memory is this phase's own). */
async function lintTreeOnce(root: string): Promise<void> {
  const started = performance.now();
  const files = (await collectRustFiles(FOLDERS.map((folder) => path.join(root, folder)))).files;
  const linter = await SafetyLinter.create();
  let lines = 0;
  let findings = 0;
  for (const file of files) {
    const result = await lintFile(linter, file);
    lines += result.text?.split('\n').length ?? 0;
    findings += result.findings.length;
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ files: files.length, lines, findings, seconds, peakMB: peakMemoryMB('self') }));
}

function fiveThousandLineFile(root: string, files: string[]): string {
  const lines: string[] = [];
  for (const file of files) {
    lines.push(...readFileSync(file, 'utf8').split('\n'));
    if (lines.length >= 5_000) break;
  }
  void root;
  return lines.slice(0, 5_000).join('\n');
}

/** Makes the file a module, so every edit also runs the module! checks over the file's items. */
const MODULE_HEADER =
  'module! {\n    type: BenchModule,\n    name: "bench_module",\n    author: "bench",\n    license: "GPL",\n}\n\nstruct BenchModule;\n';

async function serverLatency(root: string, files: string[], asModule = false) {
  const client = await LspTestClient.start();
  const uri = 'file:///bench/five-thousand.rs';
  let text = (asModule ? MODULE_HEADER : '') + fiveThousandLineFile(root, files);
  let version = 1;
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'rust', version, text },
  });
  await client.diagnostics(uri, (p) => p.version === version);
  const lines = text.split('\n');
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    // Alternately type a character into a line and delete it again, spread over the file.
    const line = (i * 37) % lines.length;
    const insert = i % 2 === 0;
    const range = insert
      ? { start: { line, character: 0 }, end: { line, character: 0 } }
      : { start: { line: ((i - 1) * 37) % lines.length, character: 0 }, end: { line: ((i - 1) * 37) % lines.length, character: 1 } };
    version++;
    const started = performance.now();
    client.forget(uri);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range, text: insert ? ' ' : '' }],
    });
    await client.diagnostics(uri, (p) => p.version === version);
    times.push(performance.now() - started);
  }
  text = '';
  const peak = peakMemoryMB(client.child.pid!);
  // Template completions at the top level (module templates) and inside a function (log lines).
  const completionTimes: number[] = [];
  for (let i = 0; i < 100; i++) {
    const started = performance.now();
    await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: i % 2 === 0 ? 0 : (i * 37) % lines.length, character: 0 },
    });
    completionTimes.push(performance.now() - started);
  }
  await client.stop();
  times.sort((a, b) => a - b);
  completionTimes.sort((a, b) => a - b);
  return {
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    max: times[times.length - 1]!,
    peakMB: peak,
    completionP50: percentile(completionTimes, 0.5),
    completionP95: percentile(completionTimes, 0.95),
  };
}

async function serverWithFiftyFiles(files: string[]) {
  const client = await LspTestClient.start();
  const chosen = [...files].sort((a, b) => readFileSync(b).length - readFileSync(a).length).slice(0, 50);
  let lines = 0;
  for (const file of chosen) {
    const uri = `file://${file}`;
    const text = readFileSync(file, 'utf8');
    lines += text.split('\n').length;
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'rust', version: 1, text },
    });
    await client.diagnostics(uri);
  }
  const figures = { files: chosen.length, lines, rssMB: currentMemoryMB(client.child.pid!), peakMB: peakMemoryMB(client.child.pid!) };
  await client.stop();
  return figures;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--lint-tree-once') return lintTreeOnce(process.argv[3]!);
  const root = kernelRustTree();
  const files = (await collectRustFiles(FOLDERS.map((folder) => path.join(root, folder)))).files;

  const runs = [1, 2, 3].map(
    () =>
      JSON.parse(execFileSync(process.execPath, [__filename, '--lint-tree-once', root], { encoding: 'utf8' })) as {
        files: number;
        lines: number;
        findings: number;
        seconds: number;
        peakMB: number;
      },
  );
  const best = runs.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
  console.log('Lint engine over Linux 6.12 rust/, drivers/, samples/ (best of 3 fresh processes)');
  console.log(`  files ${best.files}, lines ${best.lines}, findings ${best.findings}`);
  console.log(`  ${best.seconds.toFixed(3)} s, ${Math.round(best.lines / best.seconds)} lines/s, peak memory ${best.peakMB.toFixed(0)} MB`);
  console.log(`  (all runs: ${runs.map((r) => r.seconds.toFixed(3)).join(' s, ')} s; targets: < 1 s, < 300 MB)`);

  const latency = await serverLatency(root, files);
  console.log('Language server, didChange → publishDiagnostics, 5,000-line file, 200 edits');
  console.log(
    `  p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms, max ${latency.max.toFixed(2)} ms, server peak ${latency.peakMB.toFixed(0)} MB (target p95 < 15 ms)`,
  );
  const moduleLatency = await serverLatency(root, files, true);
  console.log('The same file as a module (module! checks on every edit), and 100 template completions');
  console.log(
    `  edits: p50 ${moduleLatency.p50.toFixed(2)} ms, p95 ${moduleLatency.p95.toFixed(2)} ms; completions: p50 ${moduleLatency.completionP50.toFixed(2)} ms, p95 ${moduleLatency.completionP95.toFixed(2)} ms`,
  );

  const fifty = await serverWithFiftyFiles(files);
  console.log(`Language server with the ${fifty.files} largest files of the tree open (${fifty.lines} lines)`);
  console.log(`  resident ${fifty.rssMB.toFixed(0)} MB, peak ${fifty.peakMB.toFixed(0)} MB (target < 200 MB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
