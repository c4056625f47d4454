// Reads a Rust source file for linting, turning the ways a file can be unusable into clear outcomes:
// too large, binary, or not UTF-8 (linted best-effort with replacement characters, and said so).
import { readFile, stat } from 'node:fs/promises';

export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

export type SourceRead = { kind: 'text'; text: string; warning?: string } | { kind: 'skipped'; reason: string };

const BINARY_PROBE_BYTES = 8192;

/** Describes why text that an editor holds cannot be linted, or undefined when it can. */
export function unlintableTextReason(text: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string | undefined {
  if (text.length > maxBytes) {
    return `file is ${size(text.length)}, above the ${size(maxBytes)} lint limit; not linted`;
  }
  if (text.slice(0, BINARY_PROBE_BYTES).includes('\0')) return 'file looks binary (it holds NUL bytes); not linted';
  return undefined;
}

/** `10.5 MB`; sizes under 0.1 MB in KB or bytes, so that a tiny limit does not read `0.0 MB`. */
function size(bytes: number): string {
  if (bytes >= 0.1 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  const whole = Math.floor(bytes);
  return `${whole} byte${whole === 1 ? '' : 's'}`;
}

function firstInvalidUtf8Offset(bytes: Buffer): number {
  // Decoding prefixes with a strict decoder finds the first bad byte without a hand-written UTF-8 parser.
  let low = 0;
  let high = bytes.length;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  // `low` bytes decode as a stream, but may end inside an unfinished sequence that starts the error.
  for (let start = low; start >= Math.max(0, low - 3); start--) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, start));
      return start;
    } catch {
      // Still inside the unfinished sequence: step back.
    }
  }
  return low;
}

export async function readSource(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<SourceRead> {
  const info = await stat(path);
  if (!info.isFile()) return { kind: 'skipped', reason: 'not a regular file' };
  if (info.size > maxBytes) {
    return { kind: 'skipped', reason: `file is ${size(info.size)}, above the ${size(maxBytes)} lint limit (--max-file-size)` };
  }
  const bytes = await readFile(path);
  if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
    return { kind: 'skipped', reason: 'file looks binary (it holds NUL bytes)' };
  }
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    return {
      kind: 'text',
      text: new TextDecoder('utf-8').decode(bytes),
      warning: `not valid UTF-8 (first bad byte at offset ${offset}); rustc will reject it; linted with U+FFFD in place of the bad bytes`,
    };
  }
}
