// Real-kernel tests of the module templates, on the 6.1, 6.12 and 7.2 test kernels: `rfl new --list`
// offers exactly the templates each kernel takes, every offered template (through the real CLI)
// builds clippy-clean and loads cleanly in QEMU doing what it says, a module holding every fragment
// template does too, and the templates a kernel lacks are refused with the reason.
//
// To keep it fast, every module of one kernel is built and then loaded in one VM (the guest script
// exercises the misc device and binds the platform driver); only the params template's own
// parameter runs get VMs of their own.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { detectKernelApi } from '../../src/core/authoring/detectKernelApi';
import { C_MODULE_TEMPLATES } from '../../src/core/authoring/templates/cTemplates';
import {
  availableTemplates,
  defaultContext,
  findTemplate,
  FRAGMENT_TEMPLATES,
  MODULE_TEMPLATES,
} from '../../src/core/authoring/templates/registry';
import { snippetToPlainText } from '../../src/core/authoring/templates/snippetText';
import { buildModule, type BuildResult } from '../../src/core/kbuild/build';
import { loadModule, type LoadOptions } from '../../src/core/qemu/loadRun';
import type { LoadVerdict } from '../../src/core/qemu/verdict';
import { REPO_ROOT, runRfl, type CliRun } from '../support/cli';
import {
  EXPECTED_FRAGMENT_TEMPLATES,
  EXPECTED_MODULE_TEMPLATES,
  expectationFor,
  fragmentsModule,
  FRAGMENTS_MODULE,
  guestScriptFor,
  KERNEL_LABELS,
  moduleNameFor,
  PARAM_OK,
  PARAM_TOO_LARGE,
  type FragmentsModule,
  type KernelLabel,
} from './templateCases';
import { mustRun, testKernel, type TestKernel } from './support';

const CASE_TIMEOUT_MS = 300_000;
const AUTHOR = 'Template Test <test@example.com>';

const scratchFolders: string[] = [];
function scratchFolder(label: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), `rfl-templates-${label}-`));
  scratchFolders.push(folder);
  return folder;
}
after(() => {
  for (const folder of scratchFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Console lines without the kernel's `[    1.234567] ` stamp. */
function consoleText(line: string): string {
  return line.replace(/^\[\s*\d+\.\d+\]\s?/, '').trimEnd();
}

/** `expected` occurs in `lines` in this order (other lines may come between). */
function assertInOrder(lines: readonly string[], expected: readonly string[], what: string): void {
  let from = 0;
  for (const wanted of expected) {
    const at = lines.indexOf(wanted, from);
    // The console from /init on (the boot log is long and beside the point).
    const shown = lines.slice(
      Math.max(
        0,
        lines.findIndex((line) => line.includes('@@rfl:init')),
      ),
    );
    assert.ok(
      at >= 0,
      `${what}: "${wanted}" is missing${from > 0 ? ` after "${lines[from - 1]}"` : ''} in the console:\n${shown.join('\n')}`,
    );
    from = at + 1;
  }
}

/** `source`, when given, is shown with line numbers on failure (the scratch folder is removed). */
function assertCleanBuild(build: BuildResult | undefined, what: string, source?: string): void {
  assert.ok(build, `${what} was not built`);
  const numbered = source
    ? `\n${source
        .split('\n')
        .map((line, index) => `${String(index + 1).padStart(4)} | ${line}`)
        .join('\n')}`
    : '';
  const shown =
    build.diagnostics
      .map((d) => `${d.severity}${d.code ? `[${d.code}]` : ''}: ${d.message} (${d.file ?? d.printedFile}:${d.line})`)
      .join('\n') + numbered;
  assert.equal(build.ok, true, `${what} does not build (${build.outcome}):\n${shown}`);
  // Built with CLIPPY=1: the kernel's own rustc and clippy lints, warnings included.
  assert.deepEqual(build.diagnostics, [], `${what} builds with warnings:\n${shown}`);
}

function assertModuleRan(verdict: LoadVerdict, name: string, logLines: readonly string[]): void {
  const module = verdict.modules.find((candidate) => candidate.name === name);
  assert.ok(module, `${name} was not loaded; modules: ${verdict.modules.map((m) => m.name).join(', ')}; ${verdict.summary}`);
  assert.equal(module.insmod?.ok, true, `insmod ${name}: ${JSON.stringify(module.insmod)}; ${verdict.summary}`);
  assert.equal(module.rmmod?.ok, true, `rmmod ${name}: ${JSON.stringify(module.rmmod)}; ${verdict.summary}`);
  assert.equal(module.leftInState, undefined);
  assert.deepEqual(module.logLines, logLines);
  const problems = verdict.problems.filter((problem) => problem.modules.includes(name));
  assert.deepEqual(
    problems.map((problem) => problem.title),
    [],
    `kernel problems in ${name}`,
  );
}

function assertPassed(verdict: LoadVerdict, label: string): void {
  assert.deepEqual(
    verdict.problems.map((problem) => `${problem.kind}: ${problem.title}`),
    [],
    'no oops, panic, BUG or WARN',
  );
  assert.equal(verdict.ok, true, verdict.summary);
  assert.equal(verdict.exitCode, 0);
  assert.equal(verdict.boot?.kernelRelease?.startsWith(`${label}.`), true, `booted ${verdict.boot?.kernelRelease}`);
}

interface BatchRun {
  /** `rfl new` for each template, by template id. */
  created: Map<string, { run: CliRun; dir: string }>;
  builds: Map<string, BuildResult>;
  /** The fragments module, or why it could not be put together. */
  fragments: FragmentsModule | Error;
  verdict: LoadVerdict;
  /** The guest console, timestamps removed. */
  console: string[];
  guestScript: string;
}

function defineTemplateTests(label: KernelLabel): void {
  const lookup = testKernel(label);
  if ('missing' in lookup) {
    if (mustRun()) {
      test(`Linux ${label} test kernel is available (templates)`, () => assert.fail(lookup.missing));
    } else {
      test(`Linux ${label} template tests`, { skip: lookup.missing }, () => undefined);
    }
    return;
  }
  const kernel: TestKernel = lookup.kernel;
  const { api } = detectKernelApi(kernel.kdir);
  const expected = EXPECTED_MODULE_TEMPLATES[label];
  const offered = availableTemplates(api, MODULE_TEMPLATES).map((template) => template.id);
  // Every template the kernel should take, and any it wrongly offers (their own tests then fail too).
  const toLoad = [...expected, ...offered.filter((id) => !expected.includes(id))];
  const load = (options: Partial<LoadOptions> & { moduleDir: string }) =>
    loadModule({ kdir: kernel.kdir, toolchain: kernel.toolchain, accel: 'tcg', ...options });

  // Creates, builds and loads every module once; each test below checks its part.
  let batchPromise: Promise<BatchRun> | undefined;
  const batch = () => (batchPromise ??= runBatch());
  async function runBatch(): Promise<BatchRun> {
    const parent = scratchFolder(label);
    const created = new Map<string, { run: CliRun; dir: string }>();
    for (const id of toLoad) {
      const dir = path.join(parent, moduleNameFor(id));
      const run = runRfl(['new', moduleNameFor(id), '--kdir', kernel.kdir, '--template', id, '--dir', dir, '--author', AUTHOR], {
        cwd: parent,
      });
      created.set(id, { run, dir });
    }
    const folders = new Map<string, string>(
      [...created].filter(([, entry]) => entry.run.status === 0).map(([id, entry]) => [id, entry.dir]),
    );
    // A template change that leaves no place for a fragment fails the fragments test only.
    let fragments: FragmentsModule | Error;
    try {
      fragments = fragmentsModule(api);
      const fragmentsDir = path.join(parent, FRAGMENTS_MODULE);
      mkdirSync(fragmentsDir);
      writeFileSync(path.join(fragmentsDir, `${FRAGMENTS_MODULE}.rs`), fragments.source);
      writeFileSync(path.join(fragmentsDir, 'Kbuild'), `obj-m := ${FRAGMENTS_MODULE}.o\n`);
      folders.set('fragments', fragmentsDir);
    } catch (error) {
      fragments = error instanceof Error ? error : new Error(String(error));
    }
    const builds = new Map<string, BuildResult>();
    await Promise.all(
      [...folders].map(async ([id, dir]) => {
        builds.set(id, await buildModule({ kdir: kernel.kdir, moduleDir: dir, toolchain: kernel.toolchain, clippy: true }));
      }),
    );

    // One VM for every module that built (the params template with its default).
    const batchDir = path.join(parent, 'batch');
    mkdirSync(batchDir);
    for (const [id, dir] of folders) {
      if (!builds.get(id)?.ok) continue;
      const name = id === 'fragments' ? FRAGMENTS_MODULE : moduleNameFor(id);
      copyFileSync(path.join(dir, `${name}.ko`), path.join(batchDir, `${name}.ko`));
    }
    // Exercises only what built, so one template's build failure fails its own test alone.
    const guestScript = guestScriptFor(toLoad.filter((id) => builds.get(id)?.ok));
    const guestFile = path.join(parent, 'guest.sh');
    writeFileSync(guestFile, guestScript);
    const consoleLines: string[] = [];
    const verdict = await load({
      moduleDir: batchDir,
      build: false,
      guestScript: guestFile,
      onEvent: (event) => event.type === 'output' && event.source === 'console' && consoleLines.push(consoleText(event.line)),
    });
    return { created, builds, fragments, verdict, console: consoleLines, guestScript };
  }

  describe(`module templates on Linux ${label}`, { concurrency: false }, () => {
    test('rfl new --list offers exactly the templates this kernel takes', () => {
      const run = runRfl(['new', '--list', '--kdir', kernel.kdir]);
      assert.equal(run.status, 0, run.stderr);
      const all = run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(/\s+/)[0]);
      // The C templates (tested in cTemplate.test.ts) come last, on every kernel.
      const cIds = C_MODULE_TEMPLATES.map((template) => template.id);
      assert.deepEqual(all.slice(-cIds.length), cIds);
      const listed = all.slice(0, -cIds.length);
      assert.deepEqual(listed, expected, `rfl new --list on Linux ${label}`);
      assert.deepEqual(listed, offered, 'the list is what unavailableReason allows');
      // The others are named on stderr, each with its reason.
      const refused = MODULE_TEMPLATES.filter((template) => !expected.includes(template.id));
      for (const template of refused) {
        assert.ok(
          run.stderr.includes(`${template.id} (${template.unavailableReason(api)})`),
          `${template.id} and its reason on stderr:\n${run.stderr}`,
        );
      }
      assert.equal(run.stderr.split('\n').filter((line) => line.startsWith('not for ')).length, refused.length, run.stderr);
    });

    test('rfl new refuses the templates this kernel lacks, names the reason and writes nothing', () => {
      const refused = MODULE_TEMPLATES.filter((template) => template.unavailableReason(api) !== undefined);
      assert.deepEqual(
        refused.map((template) => template.id),
        MODULE_TEMPLATES.map((template) => template.id).filter((id) => !expected.includes(id)),
      );
      const parent = scratchFolder(label);
      for (const template of refused) {
        const name = moduleNameFor(template.id);
        const run = runRfl(['new', name, '--kdir', kernel.kdir, '--template', template.id, '--author', AUTHOR], { cwd: parent });
        assert.equal(run.status, 2, `rfl new --template ${template.id}: exit ${run.status}\n${run.stdout}${run.stderr}`);
        assert.match(run.stderr, new RegExp(`the ${template.id} template does not fit Linux ${label.replace('.', '\\.')}\\.`));
        const reason = template.unavailableReason(api) ?? '';
        assert.ok(reason.length > 0 && run.stderr.includes(reason), `the reason "${reason}" in:\n${run.stderr}`);
        assert.equal(run.stdout, '');
        assert.deepEqual(readdirSync(parent), [], `rfl new --template ${template.id} wrote files`);
      }
    });

    for (const id of toLoad) {
      test(`${id} template: rfl new, builds clippy-clean, loads and runs`, { timeout: CASE_TIMEOUT_MS }, async () => {
        const run = await batch();
        const name = moduleNameFor(id);
        const entry = run.created.get(id);
        assert.ok(entry, `rfl new --template ${id} did not run`);
        assert.equal(entry.run.status, 0, `rfl new --template ${id}:\n${entry.run.stdout}${entry.run.stderr}`);
        assert.match(entry.run.stdout, new RegExp(`\\(${id} template, Linux ${label.replace('.', '\\.')}\\.`));
        for (const file of [`${name}.rs`, 'Kbuild', 'Makefile', '.gitignore', '.vscode/settings.json']) {
          assert.ok(existsSync(path.join(entry.dir, file)), `rfl new wrote no ${file}`);
        }
        assert.match(
          readFileSync(path.join(entry.dir, 'Makefile'), 'utf8'),
          new RegExp(`^KDIR \\?= ${kernel.kdir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
        );
        const template = findTemplate(id, MODULE_TEMPLATES);
        assert.ok(template, `no ${id} template in the registry`);
        const source = readFileSync(path.join(entry.dir, `${name}.rs`), 'utf8');
        // What the CLI wrote is the registry's template (if not, dist/cli.js is stale: npm run build).
        assert.equal(source, snippetToPlainText(template.body(api, defaultContext(name, AUTHOR))));
        assertCleanBuild(run.builds.get(id), `the ${id} module`, source);
        if (id === 'params') {
          // Loaded without a parameter in the batch: the default.
          assertModuleRan(run.verdict, name, [`${name}: init: count=3`, `${name}: exit: numbers [0, 1, 2]`]);
        } else {
          const expectation = expectationFor(id);
          assertModuleRan(run.verdict, name, expectation.logLines);
          if (expectation.consoleInOrder) assertInOrder(run.console, expectation.consoleInOrder, id);
        }
        if (id === 'misc-device' || id === 'platform-driver') {
          assert.equal(
            run.verdict.guest?.ok,
            true,
            `the guest script failed:\n${run.guestScript}\n${run.console.filter((line) => line.startsWith('guest: ')).join('\n')}`,
          );
        }
        if (id === 'platform-driver') {
          assert.ok(run.console.includes(`guest: rtc_cmos bound to ${name}`), 'the guest saw the driver bound');
          assert.ok(run.console.includes('guest: rtc_cmos unbound'));
        }
        assertPassed(run.verdict, label);
      });
    }

    if (toLoad.includes('params')) {
      test(
        `params template: count=${PARAM_OK} is taken, count=${PARAM_TOO_LARGE} fails init with EINVAL`,
        { timeout: CASE_TIMEOUT_MS },
        async () => {
          const run = await batch();
          const name = moduleNameFor('params');
          const dir = run.created.get('params')?.dir ?? '';
          assertCleanBuild(run.builds.get('params'), 'the params module');
          const taken = await load({ moduleDir: dir, build: false, params: `count=${PARAM_OK}` });
          assertModuleRan(taken, name, [`${name}: init: count=${PARAM_OK}`, `${name}: exit: numbers [0, 1, 2, 3, 4]`]);
          assertPassed(taken, label);

          const refused = await load({ moduleDir: dir, build: false, params: `count=${PARAM_TOO_LARGE}` });
          assert.equal(refused.ok, false);
          assert.equal(refused.exitCode, 1);
          assert.deepEqual(refused.bad, ['insmod-failed'], refused.summary);
          const module = refused.modules.find((candidate) => candidate.name === name);
          assert.ok(module, refused.summary);
          assert.equal(module.insmod?.errnoName, 'EINVAL', JSON.stringify(module?.insmod));
          assert.deepEqual(module.logLines, [
            `${name}: init: count=${PARAM_TOO_LARGE}`,
            `${name}: count ${PARAM_TOO_LARGE} is too large (at most 64)`,
          ]);
          assert.deepEqual(refused.problems, []);
        },
      );
    }

    test(
      'every fragment template this kernel takes, in one module: builds clippy-clean and loads',
      { timeout: CASE_TIMEOUT_MS },
      async () => {
        const run = await batch();
        const fragments = run.fragments;
        if (fragments instanceof Error) throw fragments;
        assert.deepEqual(fragments.inserted, EXPECTED_FRAGMENT_TEMPLATES[label]);
        assert.deepEqual(
          availableTemplates(api, FRAGMENT_TEMPLATES).map((template) => template.id),
          EXPECTED_FRAGMENT_TEMPLATES[label],
        );
        assert.equal(fragments.host, expected.includes('pinned') ? 'pinned' : 'minimal');
        assertCleanBuild(
          run.builds.get('fragments'),
          `the fragments module (${fragments.host} template with every fragment)`,
          fragments.source,
        );
        assertModuleRan(run.verdict, FRAGMENTS_MODULE, fragments.logLines);
        assertPassed(run.verdict, label);
      },
    );
  });
}

test('the CLI is built (dist/cli.js, which these tests run)', () => {
  assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'cli.js')), 'run npm run build first');
});

for (const label of KERNEL_LABELS) defineTemplateTests(label);
