// The clippy oracle, recorded: clippy's SAFETY findings for each fixture in test/fixtures/safety,
// stored in test/fixtures/safety/clippy-record.json with the clippy that produced them and a hash of
// each fixture. The fast tier compares the linter with the record (no clippy needed); the clippy tier
// (test/clippy/clippyAgreement.test.ts) checks the record against the live clippy and, with
// RFL_UPDATE_CLIPPY_RECORD=1 (`npm run clippy:record`), writes it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { version } from '../../package.json';
import { lintFile } from '../../src/core/lint/lintFiles';
import { formatResults } from '../../src/core/report/formats';
import type { SafetyLinter } from '../../src/core/safety/safetyLinter';
import { SAFETY_LINTS, type ClippyFinding } from './clippy';
import type { JsonFinding } from './cli';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'safety');
export const RECORD_FILE = path.join(FIXTURES, 'clippy-record.json');

export interface ClippyRecord {
  /** `clippy-driver --version` of the clippy that produced the findings. */
  clippy: string;
  fixtures: Record<string, { sha256: string; findings: ClippyFinding[] }>;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.rs'))
    .sort();
}

export function fixtureHash(name: string): string {
  return createHash('sha256')
    .update(readFileSync(path.join(FIXTURES, name)))
    .digest('hex');
}

export function readRecord(): ClippyRecord {
  return JSON.parse(readFileSync(RECORD_FILE, 'utf8')) as ClippyRecord;
}

export function writeRecord(record: ClippyRecord): void {
  writeFileSync(RECORD_FILE, `${JSON.stringify(record, null, 2)}\n`);
}

/** One line per finding; rustc reports a macro's finding once per expansion, we once: compare sets. */
export function findingKeys(findings: readonly { line: number; column: number; rule: string; message: string }[]): string[] {
  return [...new Set(findings.map((f) => `${f.line}:${f.column} ${f.rule}: ${f.message}`))].sort();
}

/** The linter's clippy-mirroring findings for one fixture, as `rfl lint --format json` prints them. */
export async function ourFindings(linter: SafetyLinter, name: string): Promise<JsonFinding[]> {
  const result = await lintFile(linter, path.join(FIXTURES, name));
  if (result.error) throw new Error(`${name}: ${result.error}`);
  const printed = JSON.parse(formatResults([result], 'json', version)) as JsonFinding[];
  return printed.filter((finding) => (SAFETY_LINTS as readonly string[]).includes(finding.rule));
}
