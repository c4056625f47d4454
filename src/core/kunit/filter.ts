// `--filter SUITE[.CASE]`: KUnit's own glob filter (`kunit.filter_glob`, lib/kunit/executor.c), given
// on the kernel command line so that it applies to the module loaded later; the same globs select
// the source's cases here, so the cases that should have run can be named.
import type { ExpectedSuite } from './results';

/** Characters KUnit's filter takes that are also safe as one kernel command-line word. */
const FILTER = /^[\w*?[\]-]+(?:\.[\w*?[\]-]+)?$/;

export function validateFilter(filter: string): string | undefined {
  return FILTER.test(filter) ? undefined : `--filter wants SUITE or SUITE.CASE (globs * ? [] allowed, no spaces), not "${filter}"`;
}

/** The kernel's glob_match(): `*` any run, `?` one character, `[...]` a class. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = glob.indexOf(']', index + 2);
      if (end < 0) source += '\\[';
      else {
        source += `[${glob
          .slice(index + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        index = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** The suites and cases a filter selects, in run order (suites with no selected case dropped). */
export function selectTests(suites: readonly ExpectedSuite[], filter: string | undefined): ExpectedSuite[] {
  if (!filter) return suites.map((suite) => ({ ...suite, cases: [...suite.cases] }));
  const dot = filter.indexOf('.');
  const suiteGlob = globToRegExp(dot < 0 ? filter : filter.slice(0, dot));
  const caseGlob = dot < 0 ? undefined : globToRegExp(filter.slice(dot + 1));
  return suites
    .filter((suite) => suiteGlob.test(suite.name))
    .map((suite) => ({ ...suite, cases: suite.cases.filter((one) => !caseGlob || caseGlob.test(one.name)) }))
    .filter((suite) => suite.cases.length > 0);
}

/** The kernel command-line word that makes KUnit run only the filtered tests. */
export function filterKernelParameter(filter: string): string {
  return `kunit.filter_glob=${filter}`;
}

/**
 * The one KUnit filter that runs what an editor asked for: a single case, a single suite, or
 * (several suites, or cases of several suites) everything. Cases of one suite run the whole suite.
 */
export function filterForSelection(selection: readonly { suite: string; case?: string }[]): string | undefined {
  const suites = new Set(selection.map((item) => item.suite));
  if (suites.size !== 1) return undefined;
  const [suite] = suites as unknown as [string];
  const cases = new Set(selection.map((item) => item.case));
  if (cases.size === 1 && !cases.has(undefined)) return `${suite}.${[...cases][0]}`;
  return suite;
}
