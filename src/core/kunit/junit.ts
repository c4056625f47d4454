// JUnit XML for CI systems (GitLab, Jenkins, GitHub test-report actions): one <testsuite> per KUnit
// suite, one <testcase> per case. The element and attribute names are the common subset those
// readers share (Ant's JUnit report): failures as <failure>, kernel problems and timeouts as <error>,
// skipped and never-run cases as <skipped>, the case's own output in <system-out>.
import { countStatuses, type CaseResult, type SuiteResult } from './results';

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/** The first line of a message, for the `message` attribute (the whole text goes in the element). */
function headline(message: string | undefined, fallback: string): string {
  return (message ?? fallback).split('\n')[0] ?? fallback;
}

function testcase(suite: SuiteResult, one: CaseResult): string {
  const open = `    <testcase${attributes({ name: one.name, classname: suite.name, time: seconds(one.durationMs), file: one.file, line: one.line })}`;
  const body: string[] = [];
  const text = escapeXml(one.message ?? '');
  switch (one.status) {
    case 'failed':
      body.push(`      <failure${attributes({ message: headline(one.message, 'failed'), type: 'assertion' })}>${text}</failure>`);
      break;
    case 'error':
    case 'timeout':
      body.push(
        `      <error${attributes({ message: headline(one.message, one.status), type: one.status === 'timeout' ? 'timeout' : 'kernel' })}>${text}</error>`,
      );
      break;
    case 'skipped':
    case 'not-run':
      body.push(`      <skipped${attributes({ message: one.message ?? one.status })}/>`);
      break;
    case 'passed':
      break;
  }
  if (one.log.length > 0) body.push(`      <system-out>${escapeXml(one.log.join('\n'))}</system-out>`);
  return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
}

export interface JunitOptions {
  /** The name of the whole run (`<testsuites name>`), e.g. the module's name. */
  name: string;
  /** ISO 8601 start time of the run. */
  timestamp?: string;
  hostname?: string;
  totalMs?: number;
}

export function toJunitXml(suites: readonly SuiteResult[], options: JunitOptions): string {
  const totals = countStatuses(suites);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      name: options.name,
      tests: totals.total,
      failures: totals.failed,
      errors: totals.error + totals.timeout,
      skipped: totals.skipped + totals['not-run'],
      time: seconds(options.totalMs),
      timestamp: options.timestamp,
    })}>`,
  ];
  suites.forEach((suite, index) => {
    const counts = countStatuses([suite]);
    lines.push(
      `  <testsuite${attributes({
        name: suite.name,
        id: index,
        tests: counts.total,
        failures: counts.failed,
        errors: counts.error + counts.timeout + (suite.message ? 1 : 0),
        skipped: counts.skipped + counts['not-run'],
        time: seconds(suite.durationMs ?? suite.cases.reduce((sum, one) => sum + (one.durationMs ?? 0), 0)),
        timestamp: options.timestamp,
        hostname: options.hostname,
      })}>`,
    );
    if (suite.module) lines.push(`    <properties>\n      <property name="module" value="${escapeXml(suite.module)}"/>\n    </properties>`);
    for (const one of suite.cases) lines.push(testcase(suite, one));
    if (suite.message) lines.push(`    <system-err>${escapeXml(suite.message)}</system-err>`);
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
