// The guest console of a test run, read twice as it streams: as KTAP (the tests) and by the load
// loop's console parser (kernel problem reports), noting at which KTAP line each report began so a
// panic or oops can be put on the case that was running. Kept apart from the VM so that a recorded
// console can be replayed in the unit tests.
import { ConsoleParser } from '../qemu/consoleParser';
import { problemName, type ProblemVerdict } from '../qemu/verdict';
import { KtapParser } from './ktap';
import { buildResults, type ExpectedSuite, type KernelEvent, type RunStop, type SuiteResult } from './results';

export class KunitConsole {
  readonly ktap = new KtapParser();
  private readonly watcher = new ConsoleParser([]);
  /** The KTAP line count when each problem report of the watcher began. */
  private readonly problemLines: number[] = [];

  push(line: string, elapsedMs?: number): void {
    this.ktap.push(line, elapsedMs);
    this.watcher.push(line, elapsedMs ?? 0);
    while (this.problemLines.length < this.watcher.state.problems.length) this.problemLines.push(this.ktap.lineCount);
  }

  /** The problems this console showed, as the console parser read them (unresolved paths). */
  get problems(): ProblemVerdict[] {
    return this.watcher.state.problems;
  }

  /**
   * The results. `problems` are the load verdict's (the same reports, in the same order, with their
   * files resolved and call traces demangled); without them, this console's own are used.
   */
  results(
    problems: readonly ProblemVerdict[] = this.problems,
    expected?: readonly ExpectedSuite[],
    stop?: RunStop,
    resolveFile?: (printed: string) => string | undefined,
  ): SuiteResult[] {
    const events: KernelEvent[] = problems.map((problem, index) => ({
      atLine: this.problemLines[index] ?? Number.MAX_SAFE_INTEGER,
      kind: problemName(problem),
      title: problem.title,
      ...(problem.message ? { message: problem.message } : {}),
      ...((problem.file ?? problem.location?.printedFile) ? { file: problem.file ?? problem.location?.printedFile } : {}),
      ...(problem.location?.line ? { line: problem.location.line } : {}),
    }));
    return buildResults({
      tests: this.ktap.document().tests,
      ...(expected ? { expected } : {}),
      events,
      ...(stop ? { stop } : {}),
      ...(resolveFile ? { resolveFile } : {}),
    });
  }
}
