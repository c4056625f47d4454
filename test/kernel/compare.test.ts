// `rfl compare` on the Linux 7.2 test kernel, through the real CLI: the C misc device and its Rust
// rewrite (the two templates) behave the same under the ready misc-device workload, with a timing
// table; a Rust variant with a smaller buffer is judged different with the differing line shown; a
// variant that WARNs is named as failing; the console shows the rounds alternating A, B, A, B; the
// HTML report is valid and has its charts; the JSON has the documented shape; no VM is left.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { HtmlValidate } from 'html-validate';
import { MISC_DEVICE_WORKLOAD } from '../../src/core/compare/defaultWorkload';
import { runRfl, type CliRun } from '../support/cli';
import { mustRun, qemuProcessesMentioning, testKernel } from './support';

const RUN_TIMEOUT_MS = 600_000;
const folders: string[] = [];
after(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

interface CompareJson {
  behaviour: { same: boolean; difference?: { round: number; diff: string; firstA?: string; firstB?: string }; roundsCompared: number };
  timings: {
    name: string;
    a: { median: number; samples: number };
    b: { median: number; samples: number };
    ratio: number;
    ci95: [number, number] | null;
  }[];
  verdict: string;
  ok: boolean;
  a: { module: string; failures: string[] };
  b: { module: string; failures: string[] };
  order: string[];
  ftrace: { available: boolean; note: string };
  kernelRelease?: string;
}

const lookup = testKernel('7.2');
if ('missing' in lookup) {
  if (mustRun()) test('Linux 7.2 test kernel is available (compare)', () => assert.fail(lookup.missing));
  else test('rfl compare on Linux 7.2', { skip: lookup.missing }, () => undefined);
} else {
  const kdir = lookup.kernel.kdir;
  describe('rfl compare on Linux 7.2', { concurrency: false }, () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'rfl-compare-test-'));
    folders.push(parent);
    const workload = path.join(parent, 'workload.sh');
    writeFileSync(workload, MISC_DEVICE_WORKLOAD);
    const create = (name: string, template: string, edit?: (source: string) => string) => {
      const made = runRfl([
        'new',
        name,
        '--template',
        template,
        '--kdir',
        kdir,
        '--dir',
        path.join(parent, name),
        '--author',
        'T <t@example.com>',
      ]);
      assert.equal(made.status, 0, made.stderr);
      const file = path.join(parent, name, `${name}.${template.startsWith('c-') ? 'c' : 'rs'}`);
      if (edit) {
        const before = readFileSync(file, 'utf8');
        const after = edit(before);
        assert.notEqual(after, before, `the ${name} variant changed nothing`);
        writeFileSync(file, after);
      }
      return path.join(parent, name);
    };
    const compare = (args: string[]): CliRun =>
      runRfl(['compare', '--kdir', kdir, '--accel', 'tcg', '--workload', workload, ...args], { timeoutMs: RUN_TIMEOUT_MS });
    let cDir = '';
    let rustDir = '';

    test(
      'the C template and the Rust template behave the same, with a timing table, an HTML report and JSON',
      { timeout: RUN_TIMEOUT_MS },
      async () => {
        cDir = create('c_misc', 'c-misc-device');
        rustDir = create('rust_misc', 'misc-device');
        const report = path.join(parent, 'report.html');
        const run = compare(['--rounds', '3', '--format', 'json', '--report', report, cDir, rustDir]);
        const json = JSON.parse(run.stdout) as CompareJson;
        writeFileSync(path.join(parent, 'same.json'), run.stdout);
        assert.equal(run.status, 0, `${json.verdict}\n${run.stderr.slice(-4000)}`);
        assert.equal(json.behaviour.same, true, json.behaviour.difference?.diff);
        assert.equal(json.behaviour.roundsCompared, 3);
        assert.match(json.verdict, /^SAME behaviour in 3 rounds, both clean; /);
        assert.deepEqual([json.a.failures, json.b.failures], [[], []]);
        assert.deepEqual(
          json.timings.map((timing) => timing.name),
          ['open', 'write-64', 'read-64', 'write-4096'],
        );
        for (const timing of json.timings) {
          assert.deepEqual(Object.keys(timing).slice(0, 5), ['name', 'a', 'b', 'ratio', 'ci95']);
          assert.deepEqual([timing.a.samples, timing.b.samples], [9, 9], timing.name);
          assert.ok(timing.a.median > 0 && timing.b.median > 0);
          assert.ok(
            timing.ci95 && timing.ci95[0] <= timing.ratio && timing.ratio <= timing.ci95[1],
            `${timing.name}: ${timing.ratio} in ${JSON.stringify(timing.ci95)}`,
          );
        }
        // The 7.2 test kernel is tinyconfig: no CONFIG_FTRACE, and the report says so.
        assert.equal(json.ftrace.available, false);
        assert.match(json.ftrace.note, /cannot trace .*CONFIG_FTRACE/);

        // Rounds alternate, as the console shows: each load of A is followed by one of B.
        assert.deepEqual(json.order, ['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
        const loads = [...run.stderr.matchAll(/@@rfl:insmod-start name=(\w+)/g)].map((match) => match[1]);
        assert.deepEqual(loads, ['c_misc', 'rust_misc', 'c_misc', 'rust_misc', 'c_misc', 'rust_misc']);
        const bootCount = (run.stderr.match(/Linux version \d/g) ?? []).length;
        assert.equal(bootCount, 1, 'one VM for every round');

        const html = readFileSync(report, 'utf8');
        const validation = await new HtmlValidate({ extends: ['html-validate:recommended'] }).validateString(html);
        assert.equal(
          validation.valid,
          true,
          JSON.stringify(validation.results.flatMap((result) => result.messages.map((message) => message.message))),
        );
        assert.equal((html.match(/<svg /g) ?? []).length, 1 + json.timings.length, 'the ratio chart and one per-round chart per operation');
        assert.doesNotMatch(html, /<script/);
        assert.deepEqual(qemuProcessesMentioning('rfl-compare-'), []);
      },
    );

    test('a Rust variant with an 8-byte buffer is judged different, the differing line shown', { timeout: RUN_TIMEOUT_MS }, () => {
      const small = create('rust_small', 'misc-device', (source) =>
        source.replace('const MAX_LEN: usize = 4096;', 'const MAX_LEN: usize = 8;'),
      );
      const run = compare(['--rounds', '2', cDir, small]);
      writeFileSync(path.join(parent, 'different.txt'), run.stdout);
      assert.equal(run.status, 1, run.stdout);
      assert.match(
        run.stdout,
        /^== rfl compare: DIFFERENT or FAILED: behaviour differs in round 1: A "output: append: exit status 0", B "/m,
      );
      assert.match(run.stdout, /^ {2}- output: append: exit status 0$/m);
      assert.match(run.stdout, /^ {2}\+ output: append: exit status [1-9]\d*$/m);
      assert.deepEqual(qemuProcessesMentioning('rfl-compare-'), []);
    });

    test('a variant that WARNs is named as failing', { timeout: RUN_TIMEOUT_MS }, () => {
      // WARN_ON_ONCE: one report per boot, in the first write of "hello\n" (6 bytes).
      const warn = create('c_warn', 'c-misc-device', (source) =>
        source.replace(
          '\tmutex_lock(&buffer_lock);\n\tkept = replace',
          '\tWARN_ON_ONCE(count == 6);\n\tmutex_lock(&buffer_lock);\n\tkept = replace',
        ),
      );
      const run = compare(['--rounds', '2', '--format', 'json', rustDir, warn]);
      const json = JSON.parse(run.stdout) as CompareJson;
      writeFileSync(path.join(parent, 'warn.json'), run.stdout);
      assert.equal(run.status, 1, json.verdict);
      assert.deepEqual(json.a.failures, []);
      assert.match(json.b.failures[0] ?? '', /^round 1: WARN at .*c_warn\.c:\d+/);
      assert.match(json.verdict, /B \(c_warn\) failed: round 1: WARN/);
      assert.deepEqual(qemuProcessesMentioning('rfl-compare-'), []);
    });
  });
}
