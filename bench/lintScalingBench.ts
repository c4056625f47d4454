// `npm run bench:lint-scaling`: lint throughput (lines per second) of the Linux 6.12 Rust files and
// of each family of inputs that once took super-linear time (issue 10), at 10 KB, 100 KB and 1 MB.
// Printed, and the worst family at 1 MB compared with the tree (target: within 5x of its throughput,
// compared per byte: a CR-only file is one line, and lines of the families differ in length).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectRustFiles } from '../src/core/files/collectRustFiles';
import { LintTimeoutError } from '../src/core/safety/limits';
import { SafetyLinter } from '../src/core/safety/safetyLinter';
import { PATHOLOGICAL_FAMILIES, plainCode } from '../test/support/pathological';
import { FOLDERS, kernelRustTree } from './kernelSources';

const SIZES = [10_000, 100_000, 1_000_000];

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** Lines per second for one text, best of `runs`; `cut` when the time budget stopped it. */
function throughput(
  linter: SafetyLinter,
  text: string,
  runs: number,
): { linesPerSecond: number; bytesPerMs: number; ms: number; cut: boolean } {
  let best = Infinity;
  let cut = false;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    try {
      linter.lint(text).tree.delete();
    } catch (error) {
      if (!(error instanceof LintTimeoutError)) throw error;
      cut = true;
    }
    best = Math.min(best, performance.now() - started);
  }
  return { linesPerSecond: (lineCount(text) * 1000) / best, bytesPerMs: text.length / best, ms: best, cut };
}

async function main(): Promise<void> {
  const linter = await SafetyLinter.create({ timeLimitMs: 600_000 });
  const root = kernelRustTree();
  const files = (await collectRustFiles(FOLDERS.map((folder) => path.join(root, folder)))).files;
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  const treeBytes = texts.reduce((sum, text) => sum + text.length, 0);
  let treeLines = 0;
  let treeMs = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    treeLines = 0;
    for (const text of texts) {
      linter.lint(text).tree.delete();
      treeLines += lineCount(text);
    }
    treeMs = Math.min(treeMs, performance.now() - started);
  }
  const treeRate = (treeLines * 1000) / treeMs;
  const treeBytesPerMs = treeBytes / treeMs;
  console.log(
    `Linux 6.12 rust/, drivers/, samples/: ${files.length} files, ${treeLines} lines, ${(treeBytes / 1e6).toFixed(2)} MB, ` +
      `${treeMs.toFixed(0)} ms: ${Math.round(treeRate)} lines/s, ${(treeBytesPerMs / 1000).toFixed(2)} MB/s (best of 3)`,
  );

  const families = [{ name: 'plain code', generate: plainCode }, ...PATHOLOGICAL_FAMILIES];
  console.log(`\n${'family'.padEnd(22)}${SIZES.map((size) => `${size / 1000} KB`.padStart(26)).join('')}`);
  let worst = { name: '', ratio: 0 };
  for (const family of families) {
    const cells: string[] = [];
    for (const size of SIZES) {
      const result = throughput(linter, family.generate(size), size >= 1_000_000 ? 1 : 3);
      const cell = `${Math.round(result.linesPerSecond)} l/s ${result.ms.toFixed(0)} ms${result.cut ? ' CUT' : ''}`;
      cells.push(cell.padStart(26));
      const ratio = treeBytesPerMs / result.bytesPerMs;
      if (size === SIZES[SIZES.length - 1] && family.name !== 'plain code' && ratio > worst.ratio) worst = { name: family.name, ratio };
    }
    console.log(`${family.name.padEnd(22)}${cells.join('')}`);
  }
  console.log(`\nworst family at 1 MB: ${worst.name}, ${worst.ratio.toFixed(2)}x the tree's time per byte (target: within 5x)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
