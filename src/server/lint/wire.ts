// Lint results as they cross from the lint worker to the protocol thread: plain data with string
// offsets, so that the protocol side can turn them into positions of any encoding and line
// convention. Core positions (lines by `\n`, UTF-16 columns) are converted here, with the core's
// own LineIndex of the linted text, and nowhere else.
import type { LineIndex } from '../../core/parse/lineIndex';
import type { ModuleCheck, ModuleFinding } from '../../core/authoring/moduleChecks';
import type { Finding, Fix, Position, TextRange } from '../../core/safety/findings';
import type { RuleName } from '../../core/safety/rules';
import type { OffsetRange } from '../text/lspLines';

export interface WireEdit {
  start: number;
  end: number;
  newText: string;
}

export interface WireFix {
  title: string;
  edits: WireEdit[];
  /**
   * Where the placeholder lies once the edits are applied, in core positions of that new text
   * (converted only when a client asks for it: it needs the edited text).
   */
  placeholder?: TextRange;
}

export interface WireFinding {
  /** The rule (SAFETY lint) or the module! check. */
  code: RuleName | ModuleCheck;
  kind: 'safety' | 'module';
  message: string;
  range: OffsetRange;
  /** The whole unsafe block or impl, where it differs from `range`. */
  extent?: OffsetRange;
  fixes: WireFix[];
}

export type LintOutcome =
  { kind: 'linted'; findings: WireFinding[] } | { kind: 'notLinted'; reason: string } | { kind: 'failed'; message: string; detail: string };

export function coreOffset(lines: LineIndex, position: Position): number {
  return Math.min(lines.lineStart(position.line) + position.character, lines.text.length);
}

function offsets(lines: LineIndex, range: TextRange): OffsetRange {
  return { start: coreOffset(lines, range.start), end: coreOffset(lines, range.end) };
}

function wireFix(lines: LineIndex, fix: Fix): WireFix {
  const edits = fix.edits.map((edit) => {
    const { start, end } = offsets(lines, edit.range);
    return { start, end, newText: edit.newText };
  });
  return fix.placeholder ? { title: fix.title, edits, placeholder: fix.placeholder } : { title: fix.title, edits };
}

export function wireSafetyFinding(lines: LineIndex, finding: Finding): WireFinding {
  const wire: WireFinding = {
    code: finding.rule,
    kind: 'safety',
    message: finding.message,
    range: offsets(lines, finding.range),
    fixes: finding.fixes.map((fix) => wireFix(lines, fix)),
  };
  if (finding.extent) wire.extent = offsets(lines, finding.extent);
  return wire;
}

export function wireModuleFinding(lines: LineIndex, finding: ModuleFinding): WireFinding {
  return {
    code: finding.check,
    kind: 'module',
    message: finding.message,
    range: offsets(lines, finding.range),
    fixes: finding.fixes.map((fix) => wireFix(lines, fix)),
  };
}
