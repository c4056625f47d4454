// One test run: check that the kernel can run `#[kunit_tests]`, find the module's tests in its source,
// then the build-and-load loop (build, initramfs, boot, insmod: KUnit runs the module's suites while
// it loads, rmmod) with KUnit's filter on the kernel command line, reading the KTAP off the console
// as it streams. The results name every selected case: those KTAP reported, the one running when the
// kernel stopped (hang, panic, cancel), and those never reached.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheDirs, cacheRoot as defaultCacheRoot } from '../cache/cachePaths';
import { collectRustFiles } from '../files/collectRustFiles';
import { resolveDiagnosticPath, type PathContext } from '../kbuild/diagnostics';
import { kbuildModulePath } from '../kbuild/moduleLink';
import { createRustParser } from '../parse/rustParser';
import { LoadSetupError, loadModule, type LoadEvent, type LoadOptions } from '../qemu/loadRun';
import type { LoadVerdict } from '../qemu/verdict';
import { filterKernelParameter, selectTests, validateFilter } from './filter';
import { kunitSupport } from './kernelSupport';
import { KunitConsole } from './kunitConsole';
import { allPassed, type ExpectedSuite, type RunStop, type SuiteResult } from './results';
import { findKunitTests } from './testSource';

export interface TestRunOptions extends Omit<LoadOptions, 'onEvent'> {
  /** `SUITE` or `SUITE.CASE`, globs allowed (KUnit's filter_glob). */
  filter?: string;
  onEvent?: (event: LoadEvent) => void;
}

export interface TestRun {
  /**
   * 0 every selected case passed (skips allowed), 1 otherwise, 2 when the kernel did not boot.
   * Setup problems (a kernel that cannot run the tests, a filter matching nothing) throw LoadSetupError.
   */
  exitCode: number;
  suites: SuiteResult[];
  /** The kernel's KTAP as printed (timestamps dropped). */
  ktap: string[];
  /** What the build-and-load loop concluded (build, boot, kernel problems, timings). */
  verdict: LoadVerdict;
  /** One line on what happened beyond the cases (build failed, no KTAP, the module failed to load). */
  notes: string[];
}

/** The `#[kunit_tests]` suites of every Rust file in the module folder, with their files and lines. */
export async function findModuleTests(moduleDir: string): Promise<ExpectedSuite[]> {
  const { files } = await collectRustFiles([moduleDir]);
  const parser = await createRustParser();
  try {
    const suites: ExpectedSuite[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (!text.includes('kunit_tests')) continue;
      const tree = parser.parse(text);
      if (!tree) continue;
      for (const suite of findKunitTests(tree.rootNode)) {
        suites.push({ name: suite.name, cases: suite.cases.map((one) => ({ name: one.name, file, line: one.line })) });
      }
      tree.delete();
    }
    return suites;
  } finally {
    parser.delete();
  }
}

export async function runTests(options: TestRunOptions): Promise<TestRun> {
  const support = kunitSupport(options.kdir);
  if (!support.ok) throw new LoadSetupError(support.reason);
  if (options.filter !== undefined) {
    const problem = validateFilter(options.filter);
    if (problem) throw new LoadSetupError(problem);
  }
  const moduleDir = path.resolve(options.moduleDir);
  const declared = await findModuleTests(moduleDir);
  const expected = selectTests(declared, options.filter);
  if (declared.length > 0 && expected.length === 0) {
    const names = declared.flatMap((suite) => suite.cases.map((one) => `${suite.name}.${one.name}`));
    throw new LoadSetupError(`no test matches --filter ${options.filter}; the tests here are: ${names.join(', ')}`);
  }

  const guestConsole = new KunitConsole();
  const verdict = await loadModule({
    ...options,
    moduleDir,
    append: [...(options.append ?? []), ...(options.filter ? [filterKernelParameter(options.filter)] : [])],
    onEvent: (event) => {
      if (event.type === 'output' && event.source === 'console') guestConsole.push(event.line, event.elapsedMs);
      options.onEvent?.(event);
    },
  });

  const root = options.cacheRoot ?? defaultCacheRoot();
  const paths: PathContext = {
    kdir: options.kdir,
    moduleDir,
    moduleAliases: [kbuildModulePath(moduleDir, cacheDirs.links(root))].filter((alias) => alias !== moduleDir),
    outDir: options.outDir,
  };
  const stop = runStop(verdict, options.timeoutMs);
  const suites = guestConsole.results(verdict.problems, expected, stop, (printed) => resolveDiagnosticPath(printed, paths));
  const notes = runNotes(verdict, guestConsole.ktap.document().found, declared.length);
  // A kernel that never reached /init is no verdict on the tests: exit 2, like an unusable kernel.
  const kernelFailed = verdict.boot !== undefined && !verdict.boot.ok && !verdict.cancelled;
  const exitCode = kernelFailed ? 2 : allPassed(suites) && notes.length === 0 ? 0 : 1;
  return { exitCode, suites, ktap: guestConsole.ktap.ktapLines, verdict, notes };
}

function runStop(verdict: LoadVerdict, timeoutMs: number | undefined): RunStop | undefined {
  if (verdict.cancelled) return { status: 'error', message: 'cancelled: the VM was killed while this case ran' };
  if (verdict.timedOut) {
    const seconds = Math.round((timeoutMs ?? 60_000) / 1000);
    return {
      status: 'timeout',
      message: `timed out after ${seconds} s while this case ran (the kernel never finished it); the VM was killed`,
    };
  }
  const fatal = verdict.problems.find((problem) => problem.kind === 'kernel-panic');
  if (fatal) return { status: 'error', message: `the kernel died while this case ran: ${fatal.title}` };
  return undefined;
}

function runNotes(verdict: LoadVerdict, ktapFound: boolean, declaredSuites: number): string[] {
  const notes: string[] = [];
  if (verdict.build && !verdict.build.ok) notes.push(verdict.summary.replace(/^FAIL: /, ''));
  else if (verdict.boot && !verdict.boot.ok) notes.push(`boot failed: ${verdict.boot.detail ?? 'unknown'}`);
  else if (!ktapFound && !verdict.timedOut && !verdict.cancelled) {
    notes.push(
      declaredSuites === 0
        ? 'the module declares no #[kunit_tests] module and KUnit printed no results'
        : 'KUnit printed no results although the source declares tests (was the module built for this kernel?)',
    );
  }
  for (const module of verdict.modules) {
    if (module.insmod && !module.insmod.ok && !verdict.timedOut)
      notes.push(`insmod ${module.name} failed (the module's init failed; its tests may not have run)`);
  }
  return notes;
}
