// undocumented_unsafe_blocks: unsafe blocks and `unsafe impl`s with no SAFETY comment where clippy
// looks for one, with a quick fix that inserts `// SAFETY: ` where clippy will accept it.
import type { SyntaxNode } from '../parse/navTree';
import { findSafetyCommentAbove } from './commentScan';
import { clippySpan, indentationOf, nodeRange, position, type LintContext } from './context';
import type { Finding, Fix, TextRange } from './findings';
import { isLintAllowed } from './lintLevels';
import { isInQuotedTokens, isLintAllowedAtEveryUse, usesOf } from './macros';
import { bodySearchFirstLine, climbFrom, itemSearchFirstLine, statementLineAbove } from './placement';

export const SAFETY_PLACEHOLDER = 'TODO: explain why this is sound.';

/** An unsafe block as clippy sees it: a real block, or `unsafe {..}` tokens inside macro arguments. */
interface UnsafeBlockSite {
  keyword: SyntaxNode;
  /** The block itself, or the `{..}` token tree after the keyword. */
  end: SyntaxNode;
  /** The unsafe_block node, or the keyword for blocks in macro arguments. */
  anchor: SyntaxNode;
  inMacroArguments: boolean;
}

/**
 * Whether the block's text starts `unsafe {` and then a comment whose text starts with `SAFETY:`
 * (clippy 1.95+): `unsafe {\n    // SAFETY: ...\n    *p\n}`. Purely textual, as in clippy: a
 * comment between `unsafe` and `{` defeats it. `keyword` is the `unsafe` of the block.
 */
function hasLeadingInnerSafetyComment(ctx: LintContext, keyword: SyntaxNode): boolean {
  const start = keyword.startIndex;
  const head = ctx.text.slice(start, Math.min(ctx.text.length, start + 4096));
  // The regular expression reads no further than the blanks and comment marker after `{` and the tag.
  const examined = (/^unsafe\s*\{?\s*(?:\/\/|\/\*)?\s*/i.exec(head)?.[0].length ?? 0) + 'safety:'.length + 1;
  ctx.lines.touch(Math.min(ctx.text.length, start + examined));
  return /^unsafe\s*\{\s*(?:\/\/|\/\*)\s*safety:/i.test(head);
}

function isDocumentedBlock(ctx: LintContext, site: UnsafeBlockSite): boolean {
  const firstLine = bodySearchFirstLine(site.anchor);
  if (findSafetyCommentAbove(ctx.lines, firstLine, site.keyword.startPosition.row)) return true;
  if (hasLeadingInnerSafetyComment(ctx, site.keyword)) return true;
  const statementLine = statementLineAbove(ctx, site.anchor, site.inMacroArguments);
  return statementLine !== undefined && findSafetyCommentAbove(ctx.lines, firstLine, statementLine) !== undefined;
}

/** A fix that puts `// SAFETY: ` on its own line right above the code line, indented like it. */
export function insertSafetyCommentFix(ctx: LintContext, keyword: SyntaxNode, firstLine: number): Fix {
  const line = keyword.startPosition.row;
  const indent = indentationOf(ctx, line);
  const comment = `// SAFETY: ${SAFETY_PLACEHOLDER}`;
  if (line >= firstLine) {
    const at = position(line, 0);
    return {
      title: 'Add a `// SAFETY:` comment',
      edits: [{ range: { start: at, end: at }, newText: `${indent}${comment}\n` }],
      placeholder: placeholderRange(line, indent.length + '// SAFETY: '.length),
    };
  }
  // The code shares its line with the start of the function: clippy looks only below that line,
  // so break the line before `unsafe`.
  const at = position(line, keyword.startPosition.column);
  const innerIndent = `${indent}    `;
  return {
    title: 'Add a `// SAFETY:` comment',
    edits: [{ range: { start: at, end: at }, newText: `\n${innerIndent}${comment}\n${innerIndent}` }],
    placeholder: placeholderRange(line + 1, innerIndent.length + '// SAFETY: '.length),
  };
}

function placeholderRange(line: number, character: number): TextRange {
  return { start: position(line, character), end: position(line, character + SAFETY_PLACEHOLDER.length) };
}

function blockFinding(ctx: LintContext, site: UnsafeBlockSite): Finding {
  const start = position(site.keyword.startPosition.row, site.keyword.startPosition.column);
  const end = position(site.end.endPosition.row, site.end.endPosition.column);
  return {
    rule: 'undocumented_unsafe_blocks',
    message: 'unsafe block missing a safety comment',
    range: clippySpan(ctx, start, end),
    extent: { start, end },
    fixes: [insertSafetyCommentFix(ctx, site.keyword, bodySearchFirstLine(site.anchor))],
  };
}

function implFinding(ctx: LintContext, impl: SyntaxNode, firstLine: number): Finding {
  const extent = nodeRange(impl);
  return {
    rule: 'undocumented_unsafe_blocks',
    message: 'unsafe impl missing a safety comment',
    range: clippySpan(ctx, extent.start, extent.end),
    extent,
    fixes: [insertSafetyCommentFix(ctx, impl, firstLine)],
  };
}

/** Whether `unsafe` is the first token of a macro arm's expansion, so the expansion is the block. */
function isWholeExpansion(keyword: SyntaxNode): boolean {
  const armBody = keyword.parent;
  if (armBody?.parent?.type !== 'macro_rule') return false;
  // `unsafe` is an anonymous node: the arm's first token follows its opening delimiter (and comments).
  let first = armBody.child(1);
  while (first !== null && (first.type === 'line_comment' || first.type === 'block_comment')) first = first.nextSibling;
  return first?.id === keyword.id;
}

/** Whether every use of the macro sits in a statement with a SAFETY comment above it. */
function everyUseDocumented(ctx: LintContext, invocations: SyntaxNode[]): boolean {
  return invocations.every((invocation) => {
    const line = climbFrom(invocation, true);
    return line !== undefined && findSafetyCommentAbove(ctx.lines, bodySearchFirstLine(invocation), line) !== undefined;
  });
}

/**
 * `unsafe` inside a `macro_rules!` body: clippy sees it only in expansions, so only when the macro
 * is used, and then searches from the macro's first line down to the `unsafe` (or, when the
 * expansion is the unsafe block itself, above the statement at each call site).
 */
function checkMacroRulesUnsafe(ctx: LintContext, keyword: SyntaxNode, definition: SyntaxNode): Finding | undefined {
  const uses = usesOf(ctx, definition);
  if (uses.length === 0) return undefined;
  const next = keyword.nextSibling;
  const isBlock = next?.type === 'token_tree' && next.text.startsWith('{');
  const isImpl = next?.type === 'impl';
  if (!isBlock && !isImpl) return undefined;
  const firstLine = definition.startPosition.row + 1;
  if (findSafetyCommentAbove(ctx.lines, firstLine, keyword.startPosition.row)) return undefined;
  if (isBlock && hasLeadingInnerSafetyComment(ctx, keyword)) return undefined;
  if (isBlock && isWholeExpansion(keyword) && everyUseDocumented(ctx, uses)) return undefined;
  if (isLintAllowedAtEveryUse(ctx, 'undocumented_unsafe_blocks', definition)) return undefined;
  if (isBlock) return blockFinding(ctx, { keyword, end: next, anchor: keyword, inMacroArguments: true });
  const start = position(keyword.startPosition.row, keyword.startPosition.column);
  const lineEnd = ctx.lines.contentEnd(keyword.startPosition.row);
  return {
    rule: 'undocumented_unsafe_blocks',
    message: 'unsafe impl missing a safety comment',
    range: { start, end: position(keyword.startPosition.row, lineEnd) },
    fixes: [insertSafetyCommentFix(ctx, keyword, firstLine)],
  };
}

function enclosing(node: SyntaxNode, type: string): SyntaxNode | undefined {
  return node.closest(type) ?? undefined;
}

function isTraitImpl(impl: SyntaxNode): boolean {
  return impl.childForFieldName('trait') !== null;
}

export function checkUndocumentedUnsafe(ctx: LintContext, unsafeKeywords: SyntaxNode[]): Finding[] {
  const findings: Finding[] = [];

  for (const keyword of unsafeKeywords) {
    ctx.budget.check();
    const parent = keyword.parent;
    if (parent === null) continue;
    if (parent.type === 'unsafe_block') {
      const site = { keyword, end: parent, anchor: parent, inMacroArguments: false };
      if (!isDocumentedBlock(ctx, site) && !isLintAllowed('undocumented_unsafe_blocks', parent)) {
        findings.push(blockFinding(ctx, site));
      }
    } else if (parent.type === 'impl_item' && isTraitImpl(parent)) {
      const firstLine = itemSearchFirstLine(parent);
      if (firstLine === undefined) continue;
      if (findSafetyCommentAbove(ctx.lines, firstLine, parent.startPosition.row)) continue;
      if (isLintAllowed('undocumented_unsafe_blocks', parent)) continue;
      findings.push(implFinding(ctx, parent, firstLine));
    } else if (parent.type === 'token_tree') {
      if (isInQuotedTokens(keyword)) continue;
      const definition = enclosing(keyword, 'macro_definition');
      if (definition) {
        const finding = checkMacroRulesUnsafe(ctx, keyword, definition);
        if (finding) findings.push(finding);
        continue;
      }
      const next = keyword.nextSibling;
      if (next?.type !== 'token_tree' || !next.text.startsWith('{')) continue;
      const site = { keyword, end: next, anchor: keyword, inMacroArguments: true };
      if (!isDocumentedBlock(ctx, site) && !isLintAllowed('undocumented_unsafe_blocks', keyword)) {
        findings.push(blockFinding(ctx, site));
      }
    }
  }
  return findings;
}
