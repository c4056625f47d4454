// The C misc device (`rfl new --template c-misc-device`) on the 6.1, 6.12 and 7.2 test kernels:
// `rfl build` builds it without a warning, `rfl load` loads it, the guest exercises /dev/NAME
// (write replaces, `>>` appends, a 5000-byte write is refused with ENOSPC and keeps the contents)
// and times it with rfl-bench (which every load's initramfs carries), and it unloads cleanly with
// the same log lines as the Rust misc-device template. A C compile error is reported on its line.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runRfl } from '../support/cli';
import { mustRun, qemuProcessesMentioning, testKernel, type TestKernel } from './support';

const NAME = 'c_misc';
const CASE_TIMEOUT_MS = 300_000;

const folders: string[] = [];
after(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

const GUEST = `dev=/dev/${NAME}
fail() { echo "guest: FAILED: $*"; exit 1; }
[ -c $dev ] || fail "$dev is not a character device"
echo hello > $dev || fail write
echo "guest: read [$(tr '\\n' '|' < $dev)]"
echo again >> $dev || fail append
echo "guest: read [$(tr '\\n' '|' < $dev)]"
dd if=/dev/zero of=$dev bs=5000 count=1 2>/dev/null && fail "5000 bytes were taken"
echo "guest: after overflow [$(tr '\\n' '|' < $dev)]"
rfl-bench -n 100 write $dev 64 || fail rfl-bench
exit 0
`;

function defineTests(label: '6.1' | '6.12' | '7.2'): void {
  const lookup = testKernel(label);
  if ('missing' in lookup) {
    if (mustRun()) test(`Linux ${label} test kernel is available (C template)`, () => assert.fail(lookup.missing));
    else test(`C misc device on Linux ${label}`, { skip: lookup.missing }, () => undefined);
    return;
  }
  const kernel: TestKernel = lookup.kernel;
  describe(`C misc device on Linux ${label}`, { concurrency: false }, () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), `rfl-ctemplate-${label}-`));
    folders.push(parent);
    const dir = path.join(parent, NAME);

    test('rfl new, rfl build (no warning) and rfl load with the device exercised', { timeout: CASE_TIMEOUT_MS }, () => {
      const created = runRfl([
        'new',
        NAME,
        '--template',
        'c-misc-device',
        '--kdir',
        kernel.kdir,
        '--dir',
        dir,
        '--author',
        'T <t@example.com>',
      ]);
      assert.equal(created.status, 0, created.stderr);
      const build = runRfl(['build', '--kdir', kernel.kdir, dir], { timeoutMs: CASE_TIMEOUT_MS });
      assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
      assert.doesNotMatch(`${build.stdout}${build.stderr}`, /warning:/);
      const guest = path.join(parent, 'guest.sh');
      writeFileSync(guest, GUEST);
      const load = runRfl(['load', '--kdir', kernel.kdir, '--accel', 'tcg', '--no-build', '--guest-script', guest, '--json', dir], {
        timeoutMs: CASE_TIMEOUT_MS,
      });
      const verdict = JSON.parse(load.stdout) as {
        ok: boolean;
        summary: string;
        modules: { name: string; logLines: string[] }[];
        consoleTail?: string[];
      };
      assert.equal(load.status, 0, `${verdict.summary}\n${load.stderr}`);
      assert.equal(verdict.ok, true, verdict.summary);
      assert.deepEqual(verdict.modules.find((module) => module.name === NAME)?.logLines, [
        `${NAME}: registering /dev/${NAME}`,
        `${NAME}: exit: the buffer held 64 bytes`,
      ]);
      assert.deepEqual(qemuProcessesMentioning('rfl-load-'), []);
    });

    test('rfl load shows the guest lines: replace, append, overflow kept, rfl-bench timing', { timeout: CASE_TIMEOUT_MS }, () => {
      const guest = path.join(parent, 'guest.sh');
      const load = runRfl(['load', '--kdir', kernel.kdir, '--accel', 'tcg', '--no-build', '--guest-script', guest, dir], {
        timeoutMs: CASE_TIMEOUT_MS,
      });
      assert.equal(load.status, 0, load.stdout.slice(-3000));
      const lines = load.stdout.split('\n').map((line) => line.replace(/^\[\s*\d+\.\d+\]\s?/, ''));
      const wanted = ['guest: read [hello|]', 'guest: read [hello|again|]', 'guest: after overflow [hello|again|]'];
      let from = 0;
      for (const line of wanted) {
        const at = lines.indexOf(line, from);
        assert.ok(at >= 0, `"${line}" in order in:\n${lines.filter((l) => l.startsWith('guest:')).join('\n')}`);
        from = at + 1;
      }
      assert.ok(
        lines.some((line) => /^rfl-bench name=write-64 op=write size=64 ops=\d+00 ns_per_op=\d+\.\d res_ns=\d+$/.test(line)),
        'an rfl-bench line',
      );
    });

    test('a C compile error is a build failure on its file and line', { timeout: CASE_TIMEOUT_MS }, () => {
      const source = path.join(dir, `${NAME}.c`);
      const good = readFileSync(source, 'utf8');
      appendFileSync(source, '\nstatic int broken(void) { return undeclared_thing; }\n');
      try {
        const build = runRfl(['build', '--kdir', kernel.kdir, dir], { timeoutMs: CASE_TIMEOUT_MS });
        assert.equal(build.status, 1);
        const line = good.split('\n').length + 1;
        assert.match(build.stderr, new RegExp(`^  ${source.replace(/[.]/g, '\\.')}:${line}:\\d+: error: .*undeclared_thing`, 'm'));
      } finally {
        writeFileSync(source, good);
      }
    });
  });
}

defineTests('6.1');
defineTests('6.12');
defineTests('7.2');
