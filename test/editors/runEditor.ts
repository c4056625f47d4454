// Runs one headless editor with a driver script that writes what the editor shows to a JSON file: in
// its own process group (the language server it starts goes with it), bounded in time, with the
// workspace's empty home so no user configuration leaks in.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describeCommand, describeOutcome } from '../../src/core/process/describe';
import { runProcess } from '../../src/core/process/runProcess';
import type { Workspace } from './workspace';

/** Upper bound of one editor run; its waits for the server (RFL_EDITOR_WAIT_MS) are shorter. */
const RUN_TIMEOUT_MS = 90_000;
const WAIT_MS = 30_000;

/** One diagnostic as the editor shows it; `column` is in the editor's own unit (bytes, characters). */
export interface ShownDiagnostic {
  line: number;
  column: number;
  code: string;
  /** LSP numbering: 1 error, 2 warning, 3 information, 4 hint. */
  severity: number;
  message: string;
}

export interface EditorResult {
  editor: string;
  /** Our diagnostics after each change the editor saw, in order. */
  snapshots: { file: string; diagnostics: ShownDiagnostic[] }[];
  safety?: {
    initial: ShownDiagnostic[];
    offered: string[];
    /** Why applying the quick fixes failed (the driver then goes on with the other steps). */
    fix_error?: string | null;
    text: string;
    final: ShownDiagnostic[];
  };
  module?: { diagnostics: ShownDiagnostic[] };
  /** Check on save (nvim/check_driver.lua): rustc's diagnostics after the save, and after the fix. */
  check?: { shown: ShownDiagnostic[]; shown_after_ms: number; after_fix: ShownDiagnostic[] };
  /** How ending the session went (Emacs: M-x eglot-shutdown): the error it signalled, and whether the server still runs. */
  shutdown?: { error: string | null; alive: boolean };
  /** Milliseconds from the driver's start: first diagnostics of both files, quick fixes done, shut down. */
  timings?: { diagnostics?: number; fixed?: number; shutdown?: number };
  error?: string;
}

export interface EditorRun {
  result: EditorResult;
  durationMs: number;
}

/** The editor environment: an empty home, no RFL_KDIR (the kernel must come from the configuration). */
export function editorEnv(workspace: Workspace, resultFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: workspace.home,
    XDG_CONFIG_HOME: path.join(workspace.home, '.config'),
    XDG_DATA_HOME: path.join(workspace.home, '.local', 'share'),
    XDG_STATE_HOME: path.join(workspace.home, '.local', 'state'),
    XDG_CACHE_HOME: path.join(workspace.home, '.cache'),
    // The README's blocks start `node`: this one.
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    RFL_EDITOR_RESULT: resultFile,
    RFL_EDITOR_WAIT_MS: String(WAIT_MS),
    RFL_EDITOR_SAFETY_FILE: workspace.safetyFile,
    RFL_EDITOR_MODULE_FILE: workspace.moduleFile,
    ...extra,
  };
  delete env.RFL_KDIR;
  return env;
}

/** Runs the editor and returns the driver's result; fails with the editor's output when there is none. */
export async function runEditor(
  command: string,
  args: string[],
  workspace: Workspace,
  resultFile: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = RUN_TIMEOUT_MS,
): Promise<EditorRun> {
  const run = await runProcess(command, args, { cwd: workspace.moduleDir, env, timeoutMs });
  const what = describeCommand(command, args, workspace.moduleDir);
  if (!existsSync(resultFile)) {
    throw new Error(`${what} wrote no result (${describeOutcome(run, timeoutMs)}); its output:\n${run.tail}`);
  }
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as EditorResult;
  if (result.error) {
    const seen = result.snapshots.map(
      (snapshot) => `  ${snapshot.file}: ${snapshot.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`).join(', ') || 'none'}`,
    );
    throw new Error(
      `${result.editor}: the driver failed: ${result.error}\ndiagnostics it saw, in order:\n${seen.join('\n')}\noutput:\n${run.tail}`,
    );
  }
  if (run.exitCode !== 0) throw new Error(`${what} ended with ${describeOutcome(run, timeoutMs)}; output:\n${run.tail}`);
  return { result, durationMs: run.durationMs };
}

/** One line for the test log: the editor and where its time went. */
export function describeRun(run: EditorRun): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? '?' : (ms / 1000).toFixed(2));
  const { diagnostics, fixed, shutdown } = run.result.timings ?? {};
  const end = shutdown === undefined ? '' : `, server shut down after ${seconds(shutdown)} s`;
  return `${run.result.editor}: ${seconds(run.durationMs)} s in all; diagnostics shown after ${seconds(diagnostics)} s, quick fixes done after ${seconds(fixed)} s${end} (driver clock)`;
}
