// `rfl compare`'s command line: usage errors exit 2 with the reason, the ready workload prints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MISC_DEVICE_WORKLOAD } from '../../src/core/compare/defaultWorkload';
import { runRfl } from '../support/cli';

describe('rfl compare command line', () => {
  it('refuses bad command lines with exit status 2 and says why', () => {
    const cases: [string[], RegExp][] = [
      [['compare', 'a', 'b'], /--workload FILE is required/],
      [['compare', '--workload', 'w.sh', 'a'], /two module folders, A_DIR and B_DIR \(got 1\)/],
      [['compare', '--workload', 'w.sh', '--format', 'pdf', 'a', 'b'], /--format: unknown format "pdf"; use one of text, json or html/],
      [['compare', '--workload', 'w.sh', '--rounds', '0', 'a', 'b'], /--rounds: wants a whole number from 1 to 1000, not "0"/],
      [['compare', '--print-workload', 'nope'], /--print-workload: unknown print-workload "nope"; use one of misc-device/],
      [['compare', '--workload', 'w.sh', '--kdir', '/nonexistent-kernel', 'a', 'b'], /rfl compare: /],
    ];
    for (const [args, message] of cases) {
      const run = runRfl(args);
      assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  it('prints the ready misc-device workload and lists compare in the overview', () => {
    const run = runRfl(['compare', '--print-workload', 'misc-device']);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, MISC_DEVICE_WORKLOAD);
    assert.match(runRfl(['--help']).stdout, /^ {2}compare \[options\] \[A_DIR\] \[B_DIR\] +run one workload against two modules/m);
  });
});
