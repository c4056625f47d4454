// The human-readable verdict printed at the end of `rfl load` and of the VS Code `load` task.
import { formatDiagnostic } from '../kbuild/diagnostics';
import { describeStep, problemName, type LoadVerdict, type StepResult } from './verdict';

const seconds = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(2)} s`);
const row = (phase: string, status: string, ms: number | undefined, detail = '') =>
  `  ${phase.padEnd(9)} ${status.padEnd(5)} ${seconds(ms).padStart(8)}  ${detail}`.trimEnd();
const stepStatus = (step: StepResult | undefined) => (step === undefined ? '-' : step.ok ? 'ok' : 'FAIL');

export function formatVerdict(verdict: LoadVerdict): string {
  const lines: string[] = ['', `== rfl load verdict: ${verdict.summary}`];
  if (verdict.build) {
    lines.push(row('build', verdict.build.ok ? 'ok' : 'FAIL', verdict.build.durationMs, verdict.build.ok ? '' : verdict.build.outcome));
    for (const diagnostic of verdict.build.diagnostics.filter((d) => d.severity === 'error'))
      lines.push(`            ${formatDiagnostic(diagnostic)}`);
    if (verdict.build.hint) lines.push(...verdict.build.hint.split('\n').map((line) => `            ${line}`));
  }
  if (verdict.timings.initramfsMs !== undefined) lines.push(row('initramfs', 'ok', verdict.timings.initramfsMs));
  if (verdict.boot) {
    const accel = verdict.accel ? verdict.accel.toUpperCase() : '';
    lines.push(
      row(
        'boot',
        verdict.boot.ok ? 'ok' : 'FAIL',
        verdict.timings.bootMs,
        verdict.boot.ok ? `Linux ${verdict.boot.kernelRelease ?? '?'} (${accel})` : verdict.boot.detail,
      ),
    );
  }
  if (verdict.accelNote) lines.push(`            note: ${verdict.accelNote}`);
  for (const module of verdict.modules) {
    const label = module.isDependency ? `${module.name} (dependency)` : module.name;
    if (verdict.hungIn?.step === 'insmod' && verdict.hungIn.module === module.name) {
      lines.push(row('insmod', 'HANG', undefined, `${label}: init never returned; the VM was killed at the time limit`));
      continue;
    }
    lines.push(
      row(
        'insmod',
        stepStatus(module.insmod),
        module.insmod?.durationMs,
        `${label}${module.insmod && !module.insmod.ok ? `: ${describeStep(module.insmod)}` : ''}`,
      ),
    );
  }
  if (verdict.guest)
    lines.push(
      row('guest', stepStatus(verdict.guest), verdict.guest.durationMs, verdict.guest.ok ? '' : `exit status ${verdict.guest.rc}`),
    );
  for (const module of [...verdict.modules].reverse()) {
    if (!module.rmmod && !module.leftInState) continue;
    const detail =
      module.rmmod && !module.rmmod.ok
        ? `: ${describeStep(module.rmmod)}`
        : module.leftInState
          ? `: left loaded (${module.leftInState})`
          : '';
    lines.push(row('rmmod', module.rmmod ? stepStatus(module.rmmod) : 'FAIL', module.rmmod?.durationMs, `${module.name}${detail}`));
  }
  if (verdict.timings.exitMs !== undefined) lines.push(row('exit', 'ok', verdict.timings.exitMs));
  lines.push(row('total', verdict.ok ? 'PASS' : 'FAIL', verdict.timings.totalMs));

  const moduleLines = verdict.modules.flatMap((module) => module.logLines);
  if (moduleLines.length > 0) lines.push('', 'module log:', ...moduleLines.map((line) => `  ${line}`));
  for (const problem of verdict.problems) {
    const where = problem.file ?? problem.location?.printedFile;
    lines.push('', `${problemName(problem).toUpperCase()}: ${problem.title}`);
    if (problem.message) lines.push(`  message: ${problem.message}`);
    if (where && problem.location)
      lines.push(`  at ${where}:${problem.location.line}${problem.location.column ? `:${problem.location.column}` : ''}`);
    if (problem.modules.length) lines.push(`  module: ${problem.modules.join(', ')}`);
    if (problem.callTrace.length) lines.push('  call trace:', ...problem.callTrace.slice(0, 16).map((line) => `    ${line}`));
  }
  if (verdict.consoleTail?.length) lines.push('', 'last console lines:', ...verdict.consoleTail.map((line) => `  ${line}`));
  lines.push('');
  return lines.join('\n');
}
