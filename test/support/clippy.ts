// Runs the real clippy on one plain-Rust file, with the kernel's lint set and configuration, and
// returns its SAFETY findings. Debian's rust-web-clippy installs it as /usr/bin/clippy-driver;
// CLIPPY_DRIVER overrides the path.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CLIPPY_DRIVER = process.env.CLIPPY_DRIVER ?? '/usr/bin/clippy-driver';

export const SAFETY_LINTS = [
  'undocumented_unsafe_blocks',
  'unnecessary_safety_comment',
  'missing_safety_doc',
  'unnecessary_safety_doc',
] as const;

export interface ClippyFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  message: string;
}

interface RustcSpan {
  is_primary: boolean;
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
}

export function clippyVersion(): string {
  return execFileSync(CLIPPY_DRIVER, ['--version'], { encoding: 'utf8', timeout: 30_000 }).trim();
}

export function runClippy(file: string): ClippyFinding[] {
  const work = mkdtempSync(path.join(tmpdir(), 'rfl-clippy-'));
  try {
    writeFileSync(path.join(work, 'clippy.toml'), 'check-private-items = true\n');
    const args = ['--edition', '2021', '--crate-type', 'lib', '--error-format', 'json', '--cap-lints', 'warn'];
    for (const lint of SAFETY_LINTS) args.push('-W', `clippy::${lint}`);
    args.push(file, '-o', path.join(work, 'out.rlib'));
    const run = spawnSync(CLIPPY_DRIVER, args, {
      encoding: 'utf8',
      env: { ...process.env, CLIPPY_CONF_DIR: work },
      timeout: 60_000,
    });
    if (run.error) throw new Error(`cannot run ${CLIPPY_DRIVER}: ${run.error.message}`, { cause: run.error });
    if (run.status !== 0) throw new Error(`clippy-driver failed on ${file} (exit ${run.status}):\n${run.stderr}`);
    const stderr = run.stderr;
    return parseClippyJson(stderr);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseClippyJson(output: string): ClippyFinding[] {
  const findings: ClippyFinding[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const diagnostic = JSON.parse(line) as { code?: { code?: string }; message: string; spans: RustcSpan[] };
    const code = diagnostic.code?.code ?? '';
    const rule = code.replace(/^clippy::/, '');
    if (!code.startsWith('clippy::') || !(SAFETY_LINTS as readonly string[]).includes(rule)) continue;
    const span = diagnostic.spans.find((s) => s.is_primary);
    if (!span) continue;
    findings.push({
      line: span.line_start,
      column: span.column_start,
      endLine: span.line_end,
      endColumn: span.column_end,
      rule,
      message: diagnostic.message,
    });
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}
