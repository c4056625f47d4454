// `npm run bench:load`: the edit -> verdict cycle on the Linux 6.12 test kernel, run 10 times
// (RFL_BENCH_RUNS), printing the median, min and max of each phase. Prints figures; asserts nothing.
// Each run touches the example's source first, so "build" is a real incremental rebuild.
import { cpSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModule } from '../src/core/qemu/loadRun';
import type { PhaseTimings } from '../src/core/qemu/verdict';
import { REPO, testKernel } from '../test/kernel/support';
import { median } from '../src/core/compare/stats';

const RUNS = Number(process.env.RFL_BENCH_RUNS ?? 10);

type Row = { touchMs: number; vmMs: number } & PhaseTimings;

async function main(): Promise<number> {
  const lookup = testKernel('6.12');
  if ('missing' in lookup) {
    console.error(`bench:load: ${lookup.missing}`);
    return 2;
  }
  const kernel = lookup.kernel;
  const work = mkdtempSync(path.join(os.tmpdir(), 'rfl-bench-'));
  const moduleDir = path.join(work, 'rust_hello');
  cpSync(path.join(REPO, 'examples', 'rust_hello'), moduleDir, { recursive: true });
  const source = path.join(moduleDir, 'rust_hello.rs');
  const rows: Row[] = [];
  try {
    // One warm-up run: the first build compiles everything and the first QEMU start loads from disk.
    await loadModule({ kdir: kernel.kdir, moduleDir, toolchain: kernel.toolchain, accel: 'tcg' });
    for (let run = 1; run <= RUNS; run++) {
      const touchStart = performance.now();
      const now = new Date();
      utimesSync(source, now, now);
      const touchMs = performance.now() - touchStart;
      let bootStarted = 0;
      let vmMs = 0;
      const verdict = await loadModule({
        kdir: kernel.kdir,
        moduleDir,
        toolchain: kernel.toolchain,
        accel: 'tcg',
        onEvent: (event) => {
          if (event.type === 'phase' && event.phase === 'boot' && event.status === 'start') bootStarted = performance.now();
          if (event.type === 'phase' && event.phase === 'boot' && event.status === 'end') vmMs = performance.now() - bootStarted;
        },
      });
      if (!verdict.ok) throw new Error(`run ${run} failed: ${verdict.summary}`);
      rows.push({ ...verdict.timings, touchMs, vmMs, totalMs: verdict.timings.totalMs + touchMs });
      process.stderr.write(`run ${run}/${RUNS}: ${(verdict.timings.totalMs / 1000).toFixed(2)} s\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const phases: [string, (row: Row) => number | undefined][] = [
    ['touch source', (row) => row.touchMs],
    ['rebuild (kbuild)', (row) => row.buildMs],
    ['initramfs', (row) => row.initramfsMs],
    ['boot (QEMU start -> /init)', (row) => row.bootMs],
    ['insmod', (row) => row.insmodMs],
    ['rmmod', (row) => row.rmmodMs],
    ['exit (/init done -> QEMU gone)', (row) => row.exitMs],
    ['boot -> verdict (whole VM)', (row) => row.vmMs],
    ['whole cycle', (row) => row.totalMs],
  ];
  const format = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
  console.log(`\nrfl load on Linux ${kernel.label} (${kernel.kdir}), TCG, ${RUNS} runs, median (min - max)\n`);
  console.log(`| phase | median | min | max |\n|---|---:|---:|---:|`);
  for (const [name, pick] of phases) {
    const values = rows.map(pick).filter((value): value is number => value !== undefined);
    if (values.length === 0) continue;
    console.log(`| ${name} | ${format(median(values))} | ${format(Math.min(...values))} | ${format(Math.max(...values))} |`);
  }
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(`bench:load: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
