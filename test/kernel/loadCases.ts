// The real-kernel cases, shared by the 7.2, 6.12 and 6.1 test files: each builds a module, boots the
// test kernel in QEMU (TCG) and checks the verdict.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { buildModule } from '../../src/core/kbuild/build';
import { RUSTC_HEADER_REGEX, RUSTC_LOCATION_REGEX } from '../../src/core/kbuild/diagnostics';
import { loadModule, type LoadEvent } from '../../src/core/qemu/loadRun';
import { mustRun, qemuProcessesMentioning, removeScratchCopies, scratchCopy, testKernel } from './support';

const CASE_TIMEOUT_MS = 180_000;

export function defineKernelTests(label: '6.12' | '6.1' | '7.2'): void {
  const lookup = testKernel(label);
  if ('missing' in lookup) {
    if (mustRun()) {
      test(`Linux ${label} test kernel is available`, () => assert.fail(lookup.missing));
    } else {
      test(`Linux ${label} real-kernel tests`, { skip: lookup.missing }, () => undefined);
    }
    return;
  }
  const kernel = lookup.kernel;
  const load = (moduleDir: string, extra: Partial<Parameters<typeof loadModule>[0]> = {}) =>
    loadModule({ kdir: kernel.kdir, moduleDir, toolchain: kernel.toolchain, accel: 'tcg', ...extra });
  const moduleCopy = (name: string) => scratchCopy(path.join(kernel.modulesDir, name));

  describe(`Linux ${label} in QEMU`, { concurrency: false }, () => {
    after(removeScratchCopies);
    test('the example module loads and unloads cleanly', { timeout: CASE_TIMEOUT_MS }, async () => {
      const dir = scratchCopy(kernel.exampleDir);
      // The guest script runs while the module is loaded; its exit status is part of the verdict.
      const guestScript = path.join(path.dirname(dir), 'guest.sh');
      writeFileSync(guestScript, 'grep -q "^rust_hello " /proc/modules && echo "guest: rust_hello is loaded"\n');
      const lines: string[] = [];
      const verdict = await load(dir, { guestScript, onEvent: (event) => event.type === 'output' && lines.push(event.line) });
      assert.equal(verdict.ok, true, verdict.summary);
      assert.equal(verdict.guest?.ok, true);
      assert.ok(lines.includes('guest: rust_hello is loaded'));
      assert.equal(verdict.exitCode, 0);
      assert.equal(verdict.boot?.kernelRelease?.startsWith(label), true);
      const hello = verdict.modules.find((module) => module.name === 'rust_hello');
      assert.equal(hello?.insmod?.ok, true);
      assert.equal(hello?.rmmod?.ok, true);
      assert.deepEqual(hello?.logLines, [
        'rust_hello: Hello from Rust (init)',
        'rust_hello: My numbers are [72, 108, 200]',
        'rust_hello: Goodbye from Rust (exit)',
      ]);
      assert.deepEqual(verdict.problems, []);
      for (const phase of ['buildMs', 'initramfsMs', 'bootMs', 'insmodMs', 'rmmodMs', 'exitMs'] as const) {
        assert.equal(typeof verdict.timings[phase], 'number', `timing ${phase}`);
      }
    });

    test('an init that fails is reported with its errno, and runs once', { timeout: CASE_TIMEOUT_MS }, async () => {
      const verdict = await load(moduleCopy(kernel.initErrorModule));
      assert.equal(verdict.ok, false);
      assert.equal(verdict.exitCode, 1);
      const module = verdict.modules.find((candidate) => candidate.name === kernel.initErrorModule);
      assert.equal(module?.insmod?.errnoName, kernel.initErrno);
      assert.ok(verdict.summary.includes(kernel.initErrno), verdict.summary);
      // busybox insmod would retry with init_module and run init twice; finsmod does not.
      assert.deepEqual(module?.logLines, [`${kernel.initErrorModule}: init, about to fail`]);
      assert.deepEqual(verdict.bad, ['insmod-failed']);
    });

    test('a Rust panic is caught, named, and points at the source line', { timeout: CASE_TIMEOUT_MS }, async () => {
      const dir = moduleCopy('panic_mod');
      const verdict = await load(dir);
      assert.equal(verdict.exitCode, 1);
      const panic = verdict.problems.find((problem) => problem.kind === 'rust-panic');
      assert.ok(panic, `no Rust panic in ${JSON.stringify(verdict.problems.map((p) => p.title))}`);
      assert.equal(panic.file, realpathSync(path.join(dir, 'panic_mod.rs')));
      assert.equal(panic.location?.line, 19);
      assert.match(panic.message ?? '', /deliberate panic in init/);
      assert.ok(panic.modules.includes('panic_mod'));
      assert.ok(verdict.bad.includes('kernel-problem'));
      assert.match(verdict.summary, /Rust panic at .*panic_mod\.rs:19/);
    });

    test('an oops (NULL dereference) is caught and named', { timeout: CASE_TIMEOUT_MS }, async () => {
      const verdict = await load(moduleCopy('oops_mod'));
      assert.equal(verdict.exitCode, 1);
      const oops = verdict.problems.find((problem) => problem.kind === 'oops');
      assert.ok(oops, `no oops in ${JSON.stringify(verdict.problems.map((p) => p.title))}`);
      assert.match(oops.title, /NULL pointer dereference/);
      assert.ok(oops.modules.includes('oops_mod'));
      // An oops in init: the trace goes through the kernel's module-init path.
      assert.ok(
        oops.callTrace.some((line) => /\bdo_one_initcall\b/.test(line)),
        `no do_one_initcall in ${JSON.stringify(oops.callTrace)}`,
      );
      assert.match(verdict.summary, /oops/);
    });

    test('a WARN is caught and named, though the module loads and unloads', { timeout: CASE_TIMEOUT_MS }, async () => {
      const verdict = await load(moduleCopy('warn_mod'));
      assert.equal(verdict.exitCode, 1);
      const warning = verdict.problems.find((problem) => problem.kind === 'warning');
      assert.ok(warning, `no WARN in ${JSON.stringify(verdict.problems.map((p) => p.title))}`);
      assert.match(warning.location?.printedFile ?? '', /lib\/refcount\.c$/);
      const module = verdict.modules.find((candidate) => candidate.name === 'warn_mod');
      assert.equal(module?.insmod?.ok, true);
      assert.equal(module?.rmmod?.ok, true);
      assert.deepEqual(verdict.bad, ['kernel-problem']);
      assert.match(verdict.summary, /WARN at .*refcount\.c/);
    });

    test('a hang in init ends at the timeout with the VM killed and no process left', { timeout: CASE_TIMEOUT_MS }, async () => {
      let runDir = '';
      const onEvent = (event: LoadEvent) => {
        const kept = event.type === 'note' ? /run folder kept: (.*)$/.exec(event.message) : null;
        if (kept?.[1]) runDir = kept[1];
      };
      const timeoutMs = 10_000;
      const started = Date.now();
      const verdict = await load(moduleCopy('hang_mod'), { timeoutMs, keepRunDir: true, onEvent });
      try {
        const vmMs = Date.now() - started - (verdict.timings.buildMs ?? 0);
        assert.equal(verdict.exitCode, 1);
        assert.equal(verdict.timedOut, true);
        assert.deepEqual(verdict.hungIn, { step: 'insmod', module: 'hang_mod' });
        assert.ok(verdict.bad.includes('timeout'));
        assert.ok(vmMs < timeoutMs + 8000, `the run took ${vmMs} ms after the build`);
        assert.ok(runDir, 'the run folder was reported');
        assert.deepEqual(qemuProcessesMentioning(runDir), []);
      } finally {
        if (runDir) rmSync(runDir, { recursive: true, force: true });
      }
    });

    test('cancelling kills the VM at once (what a VS Code pseudoterminal does on close)', { timeout: CASE_TIMEOUT_MS }, async () => {
      const controller = new AbortController();
      let runDir = '';
      let cancelledAt = 0;
      const verdict = await load(moduleCopy('hang_mod'), {
        timeoutMs: 60_000,
        keepRunDir: true,
        signal: controller.signal,
        onEvent: (event) => {
          const kept = event.type === 'note' ? /run folder kept: (.*)$/.exec(event.message) : null;
          if (kept?.[1]) runDir = kept[1];
          // Cancel once the module's init is spinning.
          if (event.type === 'output' && event.line.includes('hang_mod: init, about to hang') && !cancelledAt) {
            cancelledAt = Date.now();
            controller.abort();
          }
        },
      });
      try {
        assert.ok(cancelledAt > 0, 'the hang was reached');
        assert.ok(Date.now() - cancelledAt < 3000, `the run ended ${Date.now() - cancelledAt} ms after the cancel`);
        assert.equal(verdict.cancelled, true);
        assert.equal(verdict.exitCode, 1);
        assert.deepEqual(qemuProcessesMentioning(runDir), []);
      } finally {
        if (runDir) rmSync(runDir, { recursive: true, force: true });
      }
    });

    test(
      'a compile error lands on the right file and line, through the parser and the matcher regexes',
      { timeout: CASE_TIMEOUT_MS },
      async () => {
        const dir = moduleCopy('compile_error');
        const raw: string[] = [];
        const result = await buildModule({
          kdir: kernel.kdir,
          moduleDir: dir,
          toolchain: kernel.toolchain,
          onLine: (line) => raw.push(line),
        });
        assert.equal(result.ok, false);
        const file = realpathSync(path.join(dir, 'compile_error.rs'));
        const error = result.diagnostics.find((diagnostic) => diagnostic.severity === 'error');
        assert.deepEqual(error && { file: error.file, line: error.line, column: error.column, code: error.code }, {
          file,
          line: 17,
          column: 26,
          code: 'E0308',
        });
        // What a VS Code problem matcher with these two regexes sees in the task's output.
        const headerIndex = raw.findIndex((line) => RUSTC_HEADER_REGEX.test(line));
        const location = RUSTC_LOCATION_REGEX.exec(raw[headerIndex + 1] ?? '');
        assert.ok(location, `no location line after the header in:\n${raw.join('\n')}`);
        assert.equal(location[1], file);
        assert.equal(location[2], '17');
        // And `rfl load` stops at the build with exit status 1.
        const verdict = await load(dir);
        assert.deepEqual(verdict.bad, ['build-failed']);
        assert.match(verdict.summary, /compile_error\.rs:17/);
      },
    );

    test('a module folder with spaces and shell metacharacters builds and loads (rfl load CLI)', { timeout: CASE_TIMEOUT_MS }, async () => {
      const dir = scratchCopy(kernel.exampleDir, `odd dir $(touch pwned) 'q' "d" ;&|`);
      let stdout = '';
      let stderr = '';
      const status = await main(['load', '--kdir', kernel.kdir, '--accel', 'tcg', '--quiet', dir], {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        cwd: path.dirname(dir),
      });
      assert.equal(status, 0, `${stdout}\n${stderr}`);
      assert.match(stdout, /PASS: rust_hello loaded and unloaded cleanly/);
      assert.ok(existsSync(path.join(dir, 'rust_hello.ko')));
      assert.equal(existsSync(path.join(path.dirname(dir), 'pwned')), false);
      assert.equal(existsSync(path.join(dir, 'pwned')), false);
      assert.equal(
        readFileSync(path.join(dir, 'rust_hello.rs'), 'utf8'),
        readFileSync(path.join(kernel.exampleDir, 'rust_hello.rs'), 'utf8'),
      );
    });
  });
}
