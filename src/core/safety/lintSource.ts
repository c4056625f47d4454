// Entry point of the SAFETY analysis: one syntax tree in, findings out, sorted by position.
import { LineIndex } from '../parse/lineIndex';
import type { Tree } from '../parse/rustParser';
import { checkSafetyCommentText } from './commentStyle';
import { indexTree, type LintContext } from './context';
import type { Finding } from './findings';
import { checkSafetyDocs } from './safetyDocs';
import { checkUndocumentedUnsafe } from './undocumentedUnsafe';
import { checkUnnecessarySafetyComments } from './unnecessaryComment';

export function lintTree(tree: Tree, text: string, lines: LineIndex = new LineIndex(text)): Finding[] {
  const ctx: LintContext = { text, lines, root: tree.rootNode, index: indexTree(tree.rootNode) };
  const unsafeKeywords = ctx.index.unsafeKeywords;
  const findings = [
    ...checkUndocumentedUnsafe(ctx, unsafeKeywords),
    ...checkUnnecessarySafetyComments(ctx),
    ...checkSafetyDocs(ctx, unsafeKeywords),
    ...checkSafetyCommentText(ctx),
  ];
  return sortFindings(dedupe(findings));
}

/** rustc reports a diagnostic once even when a macro expands the same code several times. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}:${finding.range.start.line}:${finding.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      a.rule.localeCompare(b.rule),
  );
}
