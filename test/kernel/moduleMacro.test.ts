// The module! diagnostics against the kernel's own macro, on the 6.1, 6.12 and 7.2 test kernels:
// for every fixture of moduleMacroCases.ts, checkModuleMacros flags it (any finding) exactly when
// kbuild refuses it. All fixtures of one kernel are built in one `make -k` run (see buildBatch).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { detectKernelApi } from '../../src/core/authoring/detectKernelApi';
import { checkModuleMacros, type ModuleFinding } from '../../src/core/authoring/moduleChecks';
import { createRustParser, type Parser } from '../../src/core/parse/rustParser';
import {
  buildBatch,
  KERNEL_LABELS,
  moduleFixtures,
  table,
  type BatchBuild,
  type KernelLabel,
  type ModuleFixture,
} from './moduleMacroCases';
import { mustRun, testKernel } from './support';

const BUILD_TIMEOUT_MS = 20 * 60_000;

const scratch: string[] = [];
after(() => {
  for (const folder of scratch.splice(0)) rmSync(folder, { recursive: true, force: true });
});

let parserPromise: Promise<Parser> | undefined;
const parser = () => (parserPromise ??= createRustParser());

function findingText(findings: readonly ModuleFinding[]): string {
  return findings.length === 0 ? '-' : findings.map((finding) => `${finding.check}@${finding.range.start.line + 1}`).join(', ');
}

function defineModuleMacroTests(label: KernelLabel): void {
  const lookup = testKernel(label);
  if ('missing' in lookup) {
    if (mustRun()) test(`Linux ${label} test kernel is available (module! checks)`, () => assert.fail(lookup.missing));
    else test(`Linux ${label} module! checks`, { skip: lookup.missing }, () => undefined);
    return;
  }
  const kernel = lookup.kernel;
  const { api } = detectKernelApi(kernel.kdir);
  const fixtures = moduleFixtures(label, api);

  interface Run {
    build: BatchBuild;
    findings: Map<string, ModuleFinding[]>;
  }
  let runPromise: Promise<Run> | undefined;
  const run = () => (runPromise ??= runAll());
  async function runAll(): Promise<Run> {
    const rust = await parser();
    const findings = new Map<string, ModuleFinding[]>();
    for (const fixture of fixtures) {
      const tree = rust.parse(fixture.source);
      assert.ok(tree, `${fixture.id} did not parse`);
      findings.set(fixture.id, checkModuleMacros({ root: tree.rootNode, text: fixture.source, api, fileName: `${fixture.id}.rs` }));
    }
    const parent = mkdtempSync(path.join(os.tmpdir(), `rfl-module-macro-${label}-`));
    scratch.push(parent);
    const build = await buildBatch(kernel, path.join(parent, 'fixtures'), new Map(fixtures.map((fixture) => [fixture.id, fixture.source])));
    return { build, findings };
  }

  const rows = (result: Run, only: (fixture: ModuleFixture) => boolean = () => true) =>
    fixtures.filter(only).map((fixture) => {
      const built = result.build.built.has(fixture.id);
      const findings = result.findings.get(fixture.id) ?? [];
      const agree = built === (findings.length === 0);
      const mark = agree ? (fixture.gap ? 'closed?' : '') : fixture.gap ? 'gap' : 'XX';
      return [
        mark,
        fixture.id,
        built ? 'builds' : 'fails',
        findingText(findings),
        built ? '' : (result.build.firstError.get(fixture.id) ?? '(no rustc error found)'),
      ];
    });
  const HEADER = ['', 'fixture', `Linux ${label}`, 'checkModuleMacros', "the compiler's first error"];

  describe(`module! checks against the macro of Linux ${label}`, { concurrency: false }, () => {
    test(`the fixtures (${fixtures.length}) cover both outcomes and the API was read from the tree`, () => {
      assert.equal(api.source, 'tree');
      assert.ok(fixtures.length >= 20, `${fixtures.length} fixtures`);
      assert.ok(fixtures.filter((fixture) => fixture.builds).length >= 5);
      assert.ok(fixtures.filter((fixture) => !fixture.builds).length >= 15);
      assert.equal(new Set(fixtures.map((fixture) => fixture.id)).size, fixtures.length);
    });

    test('make -k compiled every fixture on its own: a failure in one hid none of the others', { timeout: BUILD_TIMEOUT_MS }, async () => {
      const { build } = await run();
      const problems: string[] = [];
      for (const fixture of fixtures) {
        const { id } = fixture;
        if (!build.attempted.has(id)) problems.push(`${id}: kbuild never compiled it`);
        if (build.compiled.has(id) === build.makeFailed.has(id))
          problems.push(
            `${id}: object ${build.compiled.has(id) ? 'exists' : 'missing'}, make ${build.makeFailed.has(id) ? 'reported' : 'did not report'} a failure`,
          );
        if (!build.compiled.has(id) && !build.firstError.has(id)) problems.push(`${id}: failed without a rustc error on its own file`);
        // Compiled but not linked: only when modpost named it (the others were linked again without it).
        if (build.compiled.has(id) && !build.built.has(id) && !build.linkFailed.has(id))
          problems.push(`${id}: compiled, but not linked, and modpost did not name it`);
        if (build.built.has(id) && (!build.compiled.has(id) || build.linkFailed.has(id)))
          problems.push(`${id}: a .ko that should not exist`);
      }
      // Errors are on the fixtures' own files only, never on the kernel's.
      assert.deepEqual(problems, [], `${problems.join('\n')}\n\n${build.output}`);
    });

    test('each fixture builds or fails as written down for this kernel', { timeout: BUILD_TIMEOUT_MS }, async () => {
      const result = await run();
      const wrong = fixtures.filter((fixture) => result.build.built.has(fixture.id) !== fixture.builds);
      assert.deepEqual(
        wrong.map((fixture) => `${fixture.id}: expected to ${fixture.builds ? 'build' : 'fail'}`),
        [],
        table(
          HEADER,
          rows(result, (fixture) => wrong.includes(fixture)),
        ),
      );
    });

    test('checkModuleMacros flags a fixture exactly when the kernel refuses it', { timeout: BUILD_TIMEOUT_MS }, async () => {
      const result = await run();
      const all = rows(result);
      const disagreements = all.filter((row) => row[0] === 'XX' || row[0] === 'gap').map((row) => row[1]);
      const gaps = fixtures.filter((fixture) => fixture.gap);
      const summary =
        `Linux ${label}: ${all.length - disagreements.length}/${all.length} agree (${result.build.built.size} build, ${all.length - result.build.built.size} fail; ` +
        `${gaps.length} known gap${gaps.length === 1 ? '' : 's'}; ${Math.round(result.build.durationMs / 1000)} s of kbuild)`;
      const notes = gaps.map((fixture) => `gap ${fixture.id}: ${fixture.gap}`).join('\n');
      console.log(summary);
      // Exactly the known gaps disagree: a new disagreement is a checker bug, a gap that agrees was fixed.
      assert.deepEqual(
        disagreements,
        gaps.map((fixture) => fixture.id),
        `${summary}\n${table(HEADER, all)}\n${notes}`,
      );
    });

    test('the findings name the expected checks', { timeout: BUILD_TIMEOUT_MS }, async () => {
      const result = await run();
      const wrong = fixtures
        .map((fixture) => ({ fixture, got: (result.findings.get(fixture.id) ?? []).map((finding) => finding.check).sort() }))
        .filter(({ fixture, got }) => got.join() !== [...fixture.checks].sort().join());
      assert.deepEqual(
        wrong.map(({ fixture, got }) => `${fixture.id}: ${got.join(', ') || '-'} (expected ${fixture.checks.join(', ') || '-'})`),
        [],
        wrong
          .map(({ fixture }) =>
            (result.findings.get(fixture.id) ?? []).map((finding) => `${fixture.id}: ${finding.check}: ${finding.message}`).join('\n'),
          )
          .join('\n'),
      );
    });
  });
}

for (const label of KERNEL_LABELS) defineModuleMacroTests(label);
