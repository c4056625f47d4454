// Kernel checks that clippy does not make, each a rule of its own:
// - safety_comment_without_justification: `// SAFETY:` alone, or followed only by TODO/FIXME;
// - safety_comment_style: the tag in capitals, the text a sentence (capital letter, final period),
//   as Documentation/rust/coding-guidelines.rst asks of kernel comments.
import { matchesInRegion, position, type LintContext } from './context';
import type { Finding } from './findings';

interface SafetyComment {
  line: number;
  /** Columns of the tag on its line. */
  tagStart: number;
  tag: string;
  /** Text after the tag, through the rest of the comment. */
  justification: string;
  lastLine: number;
}

const LINE_TAG = /^(\s*)\/\/(?![/!])\s*(safety:)/i;

function lineComments(ctx: LintContext): SafetyComment[] {
  const comments: SafetyComment[] = [];
  let lastLine = -1;
  for (const match of matchesInRegion(ctx, /safety:/gi)) {
    const line = ctx.lines.lineOf(match.index);
    if (line <= lastLine) continue;
    const text = ctx.lines.lineText(line);
    const tagMatch = LINE_TAG.exec(text);
    if (!tagMatch) continue;
    const tagStart = text.length - text.slice(tagMatch[0].length - tagMatch[2]!.length).length;
    const parts = [text.slice(tagStart + tagMatch[2]!.length)];
    let end = line;
    while (end + 1 < ctx.lines.lineCount) {
      const next = ctx.lines.lineText(end + 1).trimStart();
      if (!next.startsWith('//') || next.startsWith('///') || /^\/\/\s*[A-Z]+:/.test(next)) break;
      parts.push(next.replace(/^\/\/\s?/, ''));
      end++;
    }
    lastLine = end;
    comments.push({ line, tagStart, tag: tagMatch[2]!, justification: parts.join('\n').trim(), lastLine: end });
  }
  return comments;
}

const PLACEHOLDER_ONLY = /^(?:todo|fixme|xxx)\b/i;

function styleProblems(comment: SafetyComment): string[] {
  const problems: string[] = [];
  if (comment.tag !== 'SAFETY:') problems.push('write the tag as `SAFETY:`');
  const first = comment.justification[0] ?? '';
  if (first >= 'a' && first <= 'z') problems.push('start with a capital letter');
  if (!/[.!?]$/.test(comment.justification) && !comment.justification.endsWith('```')) {
    problems.push('end with a period');
  }
  return problems;
}

export function checkSafetyCommentText(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const comment of lineComments(ctx)) {
    const lineEnd = ctx.lines.contentEnd(comment.line);
    const range = { start: position(comment.line, comment.tagStart), end: position(comment.line, lineEnd) };
    if (comment.justification === '' || PLACEHOLDER_ONLY.test(comment.justification)) {
      findings.push({
        rule: 'safety_comment_without_justification',
        message: 'SAFETY comment without a justification: explain why the unsafe code is sound',
        range,
        fixes: [],
      });
      continue;
    }
    const problems = styleProblems(comment);
    if (problems.length > 0) {
      findings.push({
        rule: 'safety_comment_style',
        message: `SAFETY comment style: ${problems.join('; ')} (kernel comment style)`,
        range,
        fixes: [],
      });
    }
  }
  return findings;
}
