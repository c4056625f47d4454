// What went wrong for a module in one turn, the way `rfl load` would judge it: insmod or rmmod
// failing, the module left loaded, and any kernel problem report (oops, WARN, BUG, panic, KASAN,
// a kmemleak report) printed while it was loaded. The workload's exit status is not a failure
// here: it is behaviour, compared between the modules.
import { describeStep, problemName, stepResult } from '../qemu/verdict';
import type { Turn } from './compareConsole';

/** kmemleak prints this when its scan finds unreferenced objects (kernels built with it). */
const LEAK_REPORT = /kmemleak: \d+ new suspected memory leaks/;

export function turnFailures(turn: Turn, name: string, cutShort: boolean): string[] {
  const state = turn.parser.state;
  const record = state.modules.get(name);
  const failures: string[] = [];
  for (const problem of state.problems) {
    const where = problem.location ? ` at ${problem.location.printedFile}:${problem.location.line}` : '';
    failures.push(`${problemName(problem)}${where}: ${problem.message ?? problem.title}`);
  }
  for (const line of turn.console) if (LEAK_REPORT.test(line)) failures.push(`memory leak reported: ${line.trim()}`);
  if (record?.insmod && record.insmod.rc !== 0) failures.push(`insmod: ${describeStep(stepResult(record.insmod))}`);
  if (record?.rmmod && record.rmmod.rc !== 0) failures.push(`rmmod: ${describeStep(stepResult(record.rmmod))}`);
  const left = state.procModules?.find((entry) => entry.name === name);
  if (left) failures.push(`left loaded (${left.state})`);
  if (cutShort) {
    const where = turn.parser.runningInsmod
      ? 'in insmod (init never returned)'
      : turn.parser.runningRmmod
        ? 'in rmmod (exit never returned)'
        : state.guestStartMs !== undefined && !state.guest
          ? 'while the workload ran'
          : 'mid-turn';
    failures.push(`the VM stopped ${where}`);
  }
  return failures;
}
