// Rust v0 symbols in call traces (`_RNvXCs3reHC..._9panic_modNtB2_10TestModule...4init`) made
// readable (`<panic_mod::TestModule as kernel::Module>::init`) with binutils' c++filt, which
// understands Rust's v0 scheme. Optional: without c++filt the raw names stay.
import { runProcess } from '../process/runProcess';

const CRATE_HASH = /\[[0-9a-f]{16}\]/g;

export async function demangleLines(lines: readonly string[], signal?: AbortSignal): Promise<string[]> {
  if (lines.length === 0 || !lines.some((line) => line.includes('_R'))) return [...lines];
  const out: string[] = [];
  try {
    const result = await runProcess('c++filt', [], {
      cwd: '/',
      timeoutMs: 5000,
      stdin: `${lines.join('\n')}\n`,
      onStdoutLine: (line) => out.push(line.replace(CRATE_HASH, '')),
      signal,
    });
    return result.exitCode === 0 && out.length === lines.length ? out : [...lines];
  } catch {
    return [...lines];
  }
}
