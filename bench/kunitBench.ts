// `npm run bench:kunit`: edit -> test results for a module with 10 KUnit tests on the Linux 7.2 test
// kernel (CONFIG_KUNIT=y), run 10 times (RFL_BENCH_RUNS), printing the median, min and max of each
// phase. Each run edits the source (a constant one test checks), so the build is a real rebuild and
// the results are the edited code's. Prints figures; asserts nothing but that every test passed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countStatuses } from '../src/core/kunit/results';
import { runTests } from '../src/core/kunit/runTests';
import { testKernel } from '../test/kernel/support';
import { median } from '../src/core/compare/stats';

const RUNS = Number(process.env.RFL_BENCH_RUNS ?? 10);
const TESTS = 10;

function moduleSource(edit: number): string {
  const tests = Array.from({ length: TESTS }, (_, index) =>
    [`    #[test]`, `    fn case_${index}() {`, `        assert_eq!(scaled(${index}), ${index} * FACTOR);`, `    }`].join('\n'),
  ).join('\n\n');
  return `// SPDX-License-Identifier: GPL-2.0
//! Benchmark module: ${TESTS} KUnit tests.
use kernel::prelude::*;

module! {
    type: BenchTests,
    name: "bench_tests",
    authors: ["rfl bench"],
    description: "rfl test benchmark",
    license: "GPL",
}

struct BenchTests;

impl kernel::Module for BenchTests {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(BenchTests)
    }
}

/// Edited before every run.
const FACTOR: u32 = ${edit + 2};

fn scaled(value: u32) -> u32 {
    value * FACTOR
}

#[kunit_tests(bench_suite)]
mod tests {
    use super::*;

${tests}
}
`;
}

async function main(): Promise<number> {
  const lookup = testKernel('7.2');
  if ('missing' in lookup) {
    console.error(`bench:kunit: ${lookup.missing}`);
    return 2;
  }
  const kernel = lookup.kernel;
  const work = mkdtempSync(path.join(os.tmpdir(), 'rfl-bench-kunit-'));
  const moduleDir = path.join(work, 'bench_tests');
  const source = path.join(moduleDir, 'bench_tests.rs');
  const rows: { editToResultsMs: number; buildMs?: number; bootMs?: number; insmodMs?: number; vmMs: number }[] = [];
  try {
    mkdirSync(moduleDir);
    writeFileSync(path.join(moduleDir, 'Kbuild'), 'obj-m := bench_tests.o\n');
    writeFileSync(source, moduleSource(0));
    // One warm-up run: the first build compiles everything and the first QEMU start loads from disk.
    await runTests({ kdir: kernel.kdir, moduleDir, toolchain: kernel.toolchain, accel: 'tcg' });
    for (let run = 1; run <= RUNS; run++) {
      const started = performance.now();
      writeFileSync(source, moduleSource(run));
      let bootStarted = 0;
      let vmMs = 0;
      const result = await runTests({
        kdir: kernel.kdir,
        moduleDir,
        toolchain: kernel.toolchain,
        accel: 'tcg',
        onEvent: (event) => {
          if (event.type === 'phase' && event.phase === 'boot' && event.status === 'start') bootStarted = performance.now();
          if (event.type === 'phase' && event.phase === 'boot' && event.status === 'end') vmMs = performance.now() - bootStarted;
        },
      });
      const editToResultsMs = performance.now() - started;
      const counts = countStatuses(result.suites);
      if (result.exitCode !== 0 || counts.passed !== TESTS)
        throw new Error(`run ${run}: ${counts.passed} of ${TESTS} passed (${result.notes.join('; ')})`);
      const { buildMs, bootMs, insmodMs } = result.verdict.timings;
      rows.push({
        editToResultsMs,
        vmMs,
        ...(buildMs !== undefined ? { buildMs } : {}),
        ...(bootMs !== undefined ? { bootMs } : {}),
        ...(insmodMs !== undefined ? { insmodMs } : {}),
      });
      process.stderr.write(`run ${run}/${RUNS}: ${(editToResultsMs / 1000).toFixed(2)} s\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const format = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  const phases: [string, (row: (typeof rows)[number]) => number | undefined][] = [
    ['rebuild (kbuild)', (row) => row.buildMs],
    ['boot (QEMU start -> /init)', (row) => row.bootMs],
    [`insmod (KUnit runs the ${TESTS} tests)`, (row) => row.insmodMs],
    ['boot -> results (whole VM)', (row) => row.vmMs],
    ['edit -> test results', (row) => row.editToResultsMs],
  ];
  console.log(`\nrfl test on Linux ${kernel.label} (${kernel.kdir}), ${TESTS} tests, TCG, ${RUNS} runs, median (min - max)\n`);
  console.log('| phase | median | min | max |\n|---|---:|---:|---:|');
  for (const [name, pick] of phases) {
    const values = rows.map(pick).filter((value): value is number => value !== undefined);
    if (values.length > 0)
      console.log(`| ${name} | ${format(median(values))} | ${format(Math.min(...values))} | ${format(Math.max(...values))} |`);
  }
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(`bench:kunit: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
