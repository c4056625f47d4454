// Records the toolkit keeps (sources.json, stamps, the recorded toolchain) are read by later runs and
// by runs at the same time: a reader must see the old file or the new one, never half of one. So
// each is written under a temporary name in the same folder and renamed over the old one.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, text: string): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** `value` as pretty JSON with a final newline, written atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Outcome of reading a JSON record that may be missing or damaged. */
export type JsonRecord<T> = { state: 'missing' } | { state: 'ok'; value: T } | { state: 'corrupt'; reason: string };

/**
 * Reads a JSON record; `valid` checks its shape. A damaged record is reported, not thrown, so the
 * caller can say so and rebuild it (these records are caches of facts that can be found again).
 */
export function readJsonRecord<T>(file: string, valid: (value: unknown) => value is T): JsonRecord<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'corrupt', reason: (error as Error).message };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { state: 'corrupt', reason: `not valid JSON (${(error as Error).message})` };
  }
  return valid(value) ? { state: 'ok', value } : { state: 'corrupt', reason: 'valid JSON of the wrong shape' };
}
