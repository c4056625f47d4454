// What every editor must show for the workspace's fixtures with the README's settings (kernelDir on the
// fake kernel, safety_comment_style off). Columns are given as the text before the diagnostic, turned
// into the editor's own unit by the caller: Neovim counts bytes, Emacs characters.
import assert from 'node:assert/strict';
import { FAKE_KERNEL_KEY, MODULE_SOURCE, SAFETY_FIXED, SAFETY_SOURCE } from './workspace';
import type { EditorResult, ShownDiagnostic } from './runEditor';

export type ColumnUnit = (textBefore: string) => number;
export const byteColumns: ColumnUnit = (text) => Buffer.byteLength(text, 'utf8');
export const characterColumns: ColumnUnit = (text) => [...text].length;

const WARNING = 2;

/** Line and column of the first `needle` in `source`, the column as the text before it. */
function at(source: string, needle: string, unit: ColumnUnit): { line: number; column: number } {
  const lines = source.split('\n');
  const line = lines.findIndex((text) => text.includes(needle));
  assert.ok(line >= 0, `fixture has no ${needle}`);
  return { line, column: unit(lines[line]!.slice(0, lines[line]!.indexOf(needle))) };
}

function brief(diagnostics: readonly ShownDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.line}:${d.column} ${d.code} (severity ${d.severity})`);
}

/** The undocumented blocks, on the right line and column (one behind non-ASCII text), and nothing else. */
export function assertSafetyDiagnostics(result: EditorResult, unit: ColumnUnit): void {
  const expected = ['let v = unsafe', '"ä→🦀"; unsafe'].map((needle) => {
    const { line, column } = at(SAFETY_SOURCE, needle, unit);
    return `${line}:${column + unit(needle.slice(0, needle.indexOf('unsafe')))} undocumented_unsafe_blocks (severity ${WARNING})`;
  });
  // (The style hint has its own assertion: assertRuleOff.)
  const shown = result.safety!.initial.filter((d) => d.code !== 'safety_comment_style');
  assert.deepEqual(brief(shown), expected);
}

/** safety_comment_style is off in the README's configuration: never shown, not even at first. */
export function assertRuleOff(result: EditorResult): void {
  const shown = result.snapshots.filter((snapshot) => snapshot.diagnostics.some((d) => d.code === 'safety_comment_style'));
  assert.deepEqual(shown, [], 'safety_comment_style is off in the configuration, yet the editor showed it');
}

/** The first diagnostics the editor showed for each file already follow the configuration. */
export function assertFirstDiagnosticsConfigured(result: EditorResult): void {
  for (const [file, expected] of [
    ['safety.rs', result.safety!.initial],
    ['editor_tier.rs', result.module!.diagnostics],
  ] as const) {
    const first = result.snapshots.find((snapshot) => snapshot.file === file);
    assert.ok(first, `no diagnostics were ever shown for ${file}`);
    assert.deepEqual(brief(first.diagnostics), brief(expected), `the first diagnostics of ${file} were replaced later`);
  }
}

/** Both SAFETY quick fixes were offered and applied: the file content, and the diagnostics after them. */
export function assertQuickFixes(result: EditorResult): void {
  const safety = result.safety!;
  assert.ok(!safety.fix_error, `applying the quick fixes failed: ${safety.fix_error}`);
  assert.ok(safety.offered.includes('Add a `// SAFETY:` comment'), `offered: ${JSON.stringify(safety.offered)}`);
  assert.equal(safety.text, SAFETY_FIXED);
  // The placeholders are flagged until they are replaced; nothing else is left.
  assert.deepEqual(
    safety.final.map((d) => `${d.line} ${d.code}`),
    ['1 safety_comment_without_justification', '7 safety_comment_without_justification'],
  );
}

/** The module! check names the keys of the configured (fake) kernel, not the newest kernel's. */
export function assertModuleDiagnostics(result: EditorResult, unit: ColumnUnit): void {
  const { line, column } = at(MODULE_SOURCE, 'authors', unit);
  const diagnostics = result.module!.diagnostics;
  assert.deepEqual(
    brief(diagnostics).map((text) => text.replace(/ \(severity \d\)$/, '')),
    [`${line}:${column} module_unknown_key`],
  );
  assert.match(diagnostics[0]!.message, new RegExp(`unknown key "authors"\\. Valid keys are: \\[.*"${FAKE_KERNEL_KEY}"\\]`));
}
