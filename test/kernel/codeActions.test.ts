// Every module code action's output compiles, and loads, on the 6.1, 6.12 and 7.2 test kernels:
// the refactorings (implement Module / InPlaceModule with an init that builds every field, add a
// Drop / PinnedDrop exit, add a module! declaration) applied the way an editor does, one after the
// other on the re-parsed text, and the quick fixes of every fixable fixture of moduleMacroCases.ts.
// Per kernel, everything is built in one kbuild run and the loadable part loaded in one VM.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { detectKernelApi } from '../../src/core/authoring/detectKernelApi';
import type { KernelApi } from '../../src/core/authoring/kernelApi';
import { moduleActions } from '../../src/core/authoring/moduleActions';
import { checkModuleMacros, type ModuleFinding } from '../../src/core/authoring/moduleChecks';
import { loadModule } from '../../src/core/qemu/loadRun';
import type { LoadVerdict, ModuleVerdict } from '../../src/core/qemu/verdict';
import { createRustParser, type Parser } from '../../src/core/parse/rustParser';
import type { Fix } from '../../src/core/safety/findings';
import {
  applyFix,
  baseModule,
  buildBatch,
  KERNEL_LABELS,
  moduleFixtures,
  table,
  type BatchBuild,
  type KernelLabel,
} from './moduleMacroCases';
import { mustRun, testKernel } from './support';

const CASE_TIMEOUT_MS = 20 * 60_000;

const scratch: string[] = [];
after(() => {
  for (const folder of scratch.splice(0)) rmSync(folder, { recursive: true, force: true });
});

let parserPromise: Promise<Parser> | undefined;
const parser = () => (parserPromise ??= createRustParser());

async function findingsOf(text: string, api: KernelApi, fileName: string): Promise<ModuleFinding[]> {
  const tree = (await parser()).parse(text);
  assert.ok(tree, `${fileName} did not parse`);
  return checkModuleMacros({ root: tree.rootNode, text, api, fileName });
}

/** The refactorings offered with the cursor at the first occurrence of `at`. */
async function actionsAt(text: string, api: KernelApi, fileName: string, at: string): Promise<Fix[]> {
  const tree = (await parser()).parse(text);
  assert.ok(tree, `${fileName} did not parse`);
  const offset = text.indexOf(at);
  assert.ok(offset >= 0, `"${at}" is not in ${fileName}`);
  return moduleActions({ root: tree.rootNode, text, api, start: offset, end: offset, fileName });
}

/** An input, and the refactorings applied to it one after the other (each on the re-parsed result). */
interface RefactorCase {
  name: string;
  what: string;
  input: string;
  /** Where the cursor goes (first occurrence), and the title of the action to apply there. */
  steps: { at: string; title: RegExp }[];
  /** The module's log when loaded and unloaded. */
  logLines: string[];
}

/** (a) a plain struct of the usual field types, declared by module!, without Module impl or exit. */
function fieldsCase(api: KernelApi): RefactorCase {
  const name = 'ca_fields';
  const base = baseModule(api, name);
  const vec = api.vector === 'kvec' ? 'KVec<u8>' : 'Vec<u8>';
  const input = `${base.before}${base.block}
struct ${base.typeName} {
    count: u32,
    enabled: bool,
    bytes: ${vec},
    limit: Option<u32>,
}
`;
  return {
    name,
    what: `a struct of u32, bool, ${vec}, Option<u32>: Implement kernel::Module, then Add a Drop exit`,
    input,
    steps: [
      { at: `struct ${base.typeName}`, title: new RegExp(`^Implement kernel::Module for ${base.typeName}$`) },
      { at: `struct ${base.typeName}`, title: new RegExp(`^Add a Drop exit for ${base.typeName}$`) },
    ],
    logLines: [`${name}: init`, `${name}: exit`],
  };
}

/** (b) a #[pin_data] struct with a pinned Mutex: InPlaceModule and PinnedDrop (6.14 and later). */
function pinnedInput(api: KernelApi): { name: string; typeName: string; input: string } {
  const name = 'ca_pinned';
  const base = baseModule(api, name);
  const input = `${base.before.replace('use kernel::prelude::*;', 'use kernel::{prelude::*, sync::Mutex};')}${base.block}
#[pin_data]
struct ${base.typeName} {
    #[pin]
    log: Mutex<KVec<u32>>,
    count: u32,
}
`;
  return { name, typeName: base.typeName, input };
}

function pinnedCase(api: KernelApi): RefactorCase {
  const { name, typeName, input } = pinnedInput(api);
  return {
    name,
    what: 'a #[pin_data] struct with #[pin] Mutex<KVec<u32>> and u32: Implement kernel::InPlaceModule, then Add a PinnedDrop exit',
    input,
    steps: [
      { at: `struct ${typeName}`, title: new RegExp(`^Implement kernel::InPlaceModule for ${typeName}$`) },
      { at: `struct ${typeName}`, title: new RegExp(`^Add a PinnedDrop exit for ${typeName}$`) },
    ],
    logLines: [`${name}: init`, `${name}: exit`],
  };
}

/** (c) a struct with a Module impl and no module!: Add a module! declaration, then the exit. */
function declareCase(): RefactorCase {
  const name = 'ca_declare';
  const input = `// SPDX-License-Identifier: GPL-2.0

//! A module without its declaration.

use kernel::prelude::*;

struct CaDeclare {
    started: bool,
}

impl kernel::Module for CaDeclare {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!("init\\n");
        Ok(CaDeclare { started: true })
    }
}
`;
  return {
    name,
    what: 'a struct with a Module impl but no module!: Add a module! declaration, then Add a Drop exit',
    input,
    steps: [
      { at: 'impl kernel::Module for CaDeclare', title: /^Add a module! declaration for CaDeclare$/ },
      { at: 'impl kernel::Module for CaDeclare', title: /^Add a Drop exit for CaDeclare$/ },
    ],
    logLines: [`${name}: init`, `${name}: exit`],
  };
}

function refactorCases(label: KernelLabel, api: KernelApi): RefactorCase[] {
  return [fieldsCase(api), ...(label === '7.2' ? [pinnedCase(api)] : []), declareCase()];
}

interface Outcome {
  name: string;
  /** The titles applied, in order. */
  applied: string[];
  text: string;
  /** What went wrong before the build (an action missing, findings left). */
  problem?: string;
}

async function applyRefactorings(testCase: RefactorCase, api: KernelApi): Promise<Outcome> {
  const fileName = `${testCase.name}.rs`;
  let text = testCase.input;
  const applied: string[] = [];
  for (const step of testCase.steps) {
    const actions = await actionsAt(text, api, fileName, step.at);
    const action = actions.find((candidate) => step.title.test(candidate.title));
    if (!action)
      return {
        name: testCase.name,
        applied,
        text,
        problem: `no action ${step.title} at "${step.at}"; offered: ${actions.map((candidate) => candidate.title).join(' | ') || 'none'}`,
      };
    text = applyFix(text, action);
    applied.push(action.title);
  }
  const left = await findingsOf(text, api, fileName);
  if (left.length > 0)
    return {
      name: testCase.name,
      applied,
      text,
      problem: `findings left: ${left.map((finding) => `${finding.check}: ${finding.message}`).join('; ')}`,
    };
  return { name: testCase.name, applied, text };
}

/** The quick fixes, as an editor user applies them: the expected one first, then the first fix of the first finding, until none is left. */
async function applyQuickFixes(id: string, source: string, firstFix: RegExp, api: KernelApi): Promise<Outcome> {
  const fileName = `${id}.rs`;
  let text = source;
  const applied: string[] = [];
  for (let step = 0; step < 8; step++) {
    const findings = await findingsOf(text, api, fileName);
    if (findings.length === 0) return { name: id, applied, text };
    const fixes = findings.flatMap((finding) => finding.fixes);
    const fix =
      step === 0
        ? fixes.find((candidate) => firstFix.test(candidate.title))
        : findings.find((finding) => finding.fixes.length > 0)?.fixes[0];
    if (!fix) {
      const problem =
        step === 0
          ? `no fix ${firstFix}; offered: ${fixes.map((candidate) => candidate.title).join(' | ') || 'none'}`
          : `findings without a fix: ${findings.map((finding) => `${finding.check}: ${finding.message}`).join('; ')}`;
      return { name: id, applied, text, problem };
    }
    text = applyFix(text, fix);
    applied.push(fix.title);
  }
  return { name: id, applied, text, problem: 'still findings after 8 fixes' };
}

/** Fixed fixtures also loaded in the VM (by slug): a file with every key added, and one with its Module impl generated. */
const LOADED_FIXTURES = ['_empty', '_no_module_impl'];

function defineCodeActionTests(label: KernelLabel): void {
  const lookup = testKernel(label);
  if ('missing' in lookup) {
    if (mustRun()) test(`Linux ${label} test kernel is available (code actions)`, () => assert.fail(lookup.missing));
    else test(`Linux ${label} code actions`, { skip: lookup.missing }, () => undefined);
    return;
  }
  const kernel = lookup.kernel;
  const { api } = detectKernelApi(kernel.kdir);
  const cases = refactorCases(label, api);
  const fixable = moduleFixtures(label, api).filter((fixture) => fixture.firstFix);

  interface Run {
    refactored: Outcome[];
    fixed: Outcome[];
    build: BatchBuild;
    verdict: LoadVerdict | undefined;
    loaded: string[];
  }
  let runPromise: Promise<Run> | undefined;
  const run = () => (runPromise ??= runAll());
  async function runAll(): Promise<Run> {
    const refactored = await Promise.all(cases.map((testCase) => applyRefactorings(testCase, api)));
    const fixed = await Promise.all(fixable.map((fixture) => applyQuickFixes(fixture.id, fixture.source, fixture.firstFix!, api)));
    const parent = mkdtempSync(path.join(os.tmpdir(), `rfl-code-actions-${label}-`));
    scratch.push(parent);
    const dir = path.join(parent, 'modules');
    const build = await buildBatch(kernel, dir, new Map([...refactored, ...fixed].map((outcome) => [outcome.name, outcome.text])));
    // One VM: the refactored modules and two fixed fixtures.
    const loaded = [
      ...refactored.map((outcome) => outcome.name),
      ...fixed.filter((outcome) => LOADED_FIXTURES.some((slug) => outcome.name.endsWith(slug))).map((outcome) => outcome.name),
    ].filter((name) => build.built.has(name));
    let verdict: LoadVerdict | undefined;
    if (loaded.length > 0) {
      const loadDir = path.join(parent, 'load');
      mkdirSync(loadDir);
      for (const name of loaded) copyFileSync(path.join(dir, `${name}.ko`), path.join(loadDir, `${name}.ko`));
      verdict = await loadModule({ kdir: kernel.kdir, moduleDir: loadDir, toolchain: kernel.toolchain, accel: 'tcg', build: false });
    }
    return { refactored, fixed, build, verdict, loaded };
  }

  const buildProblem = (build: BatchBuild, outcome: Outcome) => {
    if (outcome.problem) return outcome.problem;
    if (build.built.has(outcome.name)) return undefined;
    return `does not build: ${build.firstError.get(outcome.name) ?? '(no error found)'}`;
  };

  describe(`module code actions on Linux ${label}`, { concurrency: false }, () => {
    for (const testCase of cases) {
      test(`${testCase.what}: builds, loads, logs init and exit`, { timeout: CASE_TIMEOUT_MS }, async () => {
        const result = await run();
        const outcome = result.refactored.find((candidate) => candidate.name === testCase.name)!;
        assert.equal(outcome.problem, undefined, `${outcome.problem}\n${outcome.text}`);
        assert.equal(outcome.applied.length, testCase.steps.length);
        const problem = buildProblem(result.build, outcome);
        assert.equal(problem, undefined, `${problem}\n---- ${testCase.name}.rs ----\n${outcome.text}`);
        const verdict = result.verdict;
        assert.ok(verdict, 'nothing was loaded');
        const module = verdict.modules.find((candidate) => candidate.name === testCase.name);
        assert.ok(module, `${testCase.name} was not loaded: ${verdict.summary}`);
        assert.equal(module.insmod?.ok, true, `insmod ${testCase.name}: ${JSON.stringify(module.insmod)}; ${verdict.summary}`);
        assert.equal(module.rmmod?.ok, true, `rmmod ${testCase.name}: ${JSON.stringify(module.rmmod)}; ${verdict.summary}`);
        assert.deepEqual(module.logLines, testCase.logLines);
        assert.deepEqual(
          verdict.problems.filter((candidate) => candidate.modules.includes(testCase.name)).map((candidate) => candidate.title),
          [],
        );
      });
    }

    if (label === '6.12') {
      test('a pinned Mutex field on a kernel without InPlaceModule: no Implement action (a Module is moved), a PinnedDrop exit is offered', async () => {
        const { typeName, input } = pinnedInput(api);
        assert.equal(api.inPlaceModule, false);
        const titles = (await actionsAt(input, api, 'ca_pinned.rs', `struct ${typeName}`)).map((action) => action.title);
        assert.deepEqual(titles, [`Add a PinnedDrop exit for ${typeName}`]);
      });
    }

    test(
      `the quick fixes of the ${fixable.length} fixable module! fixtures leave no finding and build`,
      { timeout: CASE_TIMEOUT_MS },
      async () => {
        const result = await run();
        assert.ok(fixable.length >= 12, `${fixable.length} fixable fixtures`);
        const rows = result.fixed.map((outcome) => [
          buildProblem(result.build, outcome) ? 'XX' : '',
          outcome.name,
          outcome.applied.join(' → '),
          buildProblem(result.build, outcome) ?? 'builds',
        ]);
        const bad = rows.filter((row) => row[0] === 'XX');
        console.log(`Linux ${label}: ${rows.length - bad.length}/${rows.length} fixable fixtures fixed and built`);
        const texts = result.fixed
          .filter((outcome) => buildProblem(result.build, outcome))
          .map((outcome) => `---- ${outcome.name}.rs ----\n${outcome.text}`)
          .join('\n');
        assert.deepEqual(
          bad.map((row) => row[1]),
          [],
          `${table(['', 'fixture', 'fixes applied', 'result'], rows)}\n${texts}`,
        );
      },
    );

    test('fixed fixtures load: every key added to module! {}, and a generated Module impl', { timeout: CASE_TIMEOUT_MS }, async () => {
      const result = await run();
      const verdict = result.verdict;
      assert.ok(verdict, 'nothing was loaded');
      for (const slug of LOADED_FIXTURES) {
        const name = result.fixed.find((outcome) => outcome.name.endsWith(slug))?.name;
        assert.ok(name && result.loaded.includes(name), `no fixed fixture *${slug} was loaded`);
        const module: ModuleVerdict | undefined = verdict.modules.find((candidate) => candidate.name === name);
        assert.ok(module, `${name} is not in the verdict: ${verdict.summary}`);
        assert.equal(module.insmod?.ok, true, `insmod ${name}: ${JSON.stringify(module.insmod)}; ${verdict.summary}`);
        assert.equal(module.rmmod?.ok, true);
        assert.deepEqual(module.logLines, [`${name}: init`, `${name}: exit`]);
      }
      assert.deepEqual(
        verdict.problems.map((problem) => `${problem.kind}: ${problem.title}`),
        [],
        'no oops, panic, BUG or WARN',
      );
      assert.equal(verdict.ok, true, verdict.summary);
      assert.equal(verdict.boot?.kernelRelease?.startsWith(`${label}.`), true, `booted ${verdict.boot?.kernelRelease}`);
    });
  });
}

for (const label of KERNEL_LABELS) defineCodeActionTests(label);
