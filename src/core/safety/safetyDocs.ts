// missing_safety_doc and unnecessary_safety_doc: an unsafe fn or trait must document its contract in a
// `# Safety` section; a safe one must not have one. With the kernel's `check-private-items = true`,
// private items count too; methods of trait impls are exempt (the trait documents the contract).
import type { SyntaxNode } from '../parse/navTree';
import { indentationOf, matchesInRegion, position, type LintContext } from './context';
import { docNodes, docText, docTextOf, hasSafetyHeading } from './docComments';
import type { Finding, Fix } from './findings';
import { isLintAllowed } from './lintLevels';
import { isLintAllowedAtEveryUse } from './macros';
import {
  isAtItemLevel,
  isInTraitImpl,
  itemStartBefore,
  itemStartNode,
  macroItemDocs,
  readMacroItem,
  usedMacroDefinition,
} from './macroItems';
import { hasUnsafeKeyword, isTrivia } from './syntax';

export const SAFETY_DOC_PLACEHOLDER = 'TODO: state the conditions callers must uphold.';

function isFunction(node: SyntaxNode): boolean {
  return node.type === 'function_item' || node.type === 'function_signature_item';
}

/**
 * Functions clippy's doc lints look at: items with a body anywhere but in trait impls, and bodiless
 * declarations only in traits (those of extern blocks are foreign items, never checked).
 */
function isCheckedFunction(fn: SyntaxNode): boolean {
  const list = fn.parent?.type === 'declaration_list' ? fn.parent : undefined;
  const owner = list?.parent;
  if (fn.type === 'function_signature_item') return owner?.type === 'trait_item';
  if (owner?.type === 'foreign_mod_item') return false;
  if (owner?.type === 'impl_item' && owner.childForFieldName('trait') !== null) return false;
  return true;
}

/** `#[doc(hidden)]` items are exempt, even with `check-private-items`. */
function isDocHidden(item: SyntaxNode): boolean {
  return docNodes(item).some((node) => node.type === 'attribute_item' && /^#\[\s*doc\s*\(\s*hidden\s*\)\s*\]$/.test(node.text));
}

/**
 * rustc's `def_span`: the item's header, from its first token to the end of its signature. Functions
 * keep their where clause (and a bodiless trait method its `;`); traits end before their where clause.
 */
function headerRange(item: SyntaxNode) {
  const start = position(item.startPosition.row, item.startPosition.column);
  let last: SyntaxNode | null = item.lastChild;
  while (
    last !== null &&
    (last.type === 'declaration_list' ||
      last.type === 'block' ||
      last.type.endsWith('comment') ||
      (item.type === 'trait_item' && last.type === 'where_clause'))
  ) {
    last = last.previousSibling;
  }
  const endNode = last ?? item;
  return { start, end: position(endNode.endPosition.row, endNode.endPosition.column) };
}

/** A fix that adds a `# Safety` section: appended to existing `///` docs, or as new docs above the item. */
function addSafetySectionFix(ctx: LintContext, item: SyntaxNode): Fix {
  const docs = docNodes(item);
  const lastDocLine = [...docs].reverse().find((node) => node.type === 'line_comment');
  const indent = indentationOf(ctx, item.startPosition.row);
  const section = [`${indent}/// # Safety`, `${indent}///`, `${indent}/// ${SAFETY_DOC_PLACEHOLDER}`];
  if (lastDocLine) {
    const at = position(lastDocLine.startPosition.row + 1, 0);
    return {
      title: 'Add a `# Safety` section to the docs',
      edits: [{ range: { start: at, end: at }, newText: `${indent}///\n${section.join('\n')}\n` }],
      placeholder: {
        start: position(at.line + 3, indent.length + 4),
        end: position(at.line + 3, indent.length + 4 + SAFETY_DOC_PLACEHOLDER.length),
      },
    };
  }
  const firstLine = docs[0]?.startPosition.row ?? item.startPosition.row;
  const at = position(firstLine, 0);
  return {
    title: 'Add a `# Safety` section to the docs',
    edits: [{ range: { start: at, end: at }, newText: `${section.join('\n')}\n` }],
    placeholder: {
      start: position(firstLine + 2, indent.length + 4),
      end: position(firstLine + 2, indent.length + 4 + SAFETY_DOC_PLACEHOLDER.length),
    },
  };
}

function missingFinding(ctx: LintContext, item: SyntaxNode): Finding {
  const header = headerRange(item);
  const isTrait = item.type === 'trait_item';
  return {
    rule: 'missing_safety_doc',
    message: isTrait ? 'docs for unsafe trait missing `# Safety` section' : "unsafe function's docs are missing a `# Safety` section",
    range: { start: header.start, end: header.end },
    fixes: [addSafetySectionFix(ctx, item)],
  };
}

function unnecessaryFinding(item: SyntaxNode): Finding {
  const header = headerRange(item);
  const isTrait = item.type === 'trait_item';
  return {
    rule: 'unnecessary_safety_doc',
    message: isTrait
      ? 'docs for safe trait have unnecessary `# Safety` section'
      : "safe function's docs have unnecessary `# Safety` section",
    range: { start: header.start, end: header.end },
    fixes: [],
  };
}

/**
 * The item a doc comment or attribute belongs to: the next sibling that is not trivia. Remembered
 * for every trivia node passed, so that a thousand doc lines above one item are walked once.
 */
function documentedItem(node: SyntaxNode): SyntaxNode | undefined {
  const passed = [node];
  let sibling = node.nextSibling;
  let item: SyntaxNode | null | undefined;
  for (; sibling !== null && isTrivia(sibling); sibling = sibling.nextSibling) {
    item = itemOfTrivia.get(sibling);
    if (item !== undefined) break;
    passed.push(sibling);
  }
  if (item === undefined) item = sibling;
  for (const trivia of passed) itemOfTrivia.set(trivia, item);
  return item ?? undefined;
}

const itemOfTrivia = new WeakMap<SyntaxNode, SyntaxNode | null>();

function enclosingDocNode(ctx: LintContext, offset: number): SyntaxNode | undefined {
  for (let node: SyntaxNode | null = ctx.root.descendantForIndex(offset); node !== null; node = node.parent) {
    if (node.type === 'line_comment' || node.type === 'block_comment' || node.type === 'attribute_item') return node;
  }
  return undefined;
}

/**
 * Functions and traits whose docs may have a Safety heading: found from the text, not the tree.
 * Every `Safety` (or `safety`, `SAFETY`) is a candidate, the heading test comes later: a pattern
 * for the heading shapes themselves (ATX `# Safety`, or setext `Safety` over a `---` line) needs
 * a look at the line before the word, and scanning lines back is quadratic on a file of one line.
 */
function itemsWithSafetyHeadingText(ctx: LintContext): SyntaxNode[] {
  const items = new Map<number, SyntaxNode>();
  for (const match of matchesInRegion(ctx, /[Ss]afety|SAFETY/g)) {
    // A plain `//` comment line documents nothing: skip it without asking the tree (a file of
    // `// SAFETY:` lines has one candidate per line). Its text cannot be a heading's either.
    const line = ctx.lines.lineOf(match.index);
    const head = ctx.lines.trimmedStart(line);
    if (head.startsWith('//') && !((head.startsWith('///') && !head.startsWith('////')) || head.startsWith('//!'))) continue;
    const docNode = enclosingDocNode(ctx, match.index);
    const item = docNode && documentedItem(docNode);
    if (item && (isFunction(item) || item.type === 'trait_item')) items.set(item.id, item);
  }
  return [...items.values()];
}

/**
 * `pub unsafe fn $name() {..}` in the body of a used `macro_rules!`: rustc checks every expansion,
 * and clippy reports at the definition.
 */
function checkMacroUnsafeFn(ctx: LintContext, keyword: SyntaxNode): Finding | undefined {
  const definition = usedMacroDefinition(ctx, keyword);
  if (!definition) return undefined;
  const item = readMacroItem(itemStartBefore(keyword));
  if (!item || !item.isUnsafe || item.keyword.text !== 'fn' || !isAtItemLevel(item) || isInTraitImpl(item)) {
    return undefined;
  }
  if (item.first.startIndex > keyword.startIndex) return undefined;
  const docs = macroItemDocs(item);
  if (!docs || hasSafetyHeading(docTextOf(docs)) || isLintAllowedAtEveryUse(ctx, 'missing_safety_doc', definition)) return undefined;
  const signatureEnd = item.body ? item.body.previousSibling : item.last;
  if (!signatureEnd) return undefined;
  const itemStart = itemStartNode(item.first).startPosition;
  return {
    rule: 'missing_safety_doc',
    message: "unsafe function's docs are missing a `# Safety` section",
    range: {
      start: position(itemStart.row, itemStart.column),
      end: position(signatureEnd.endPosition.row, signatureEnd.endPosition.column),
    },
    fixes: [],
  };
}

export function checkSafetyDocs(ctx: LintContext, unsafeKeywords: SyntaxNode[]): Finding[] {
  const findings: Finding[] = [];
  for (const keyword of unsafeKeywords) {
    ctx.budget.check();
    const parent = keyword.parent;
    if (parent?.type === 'token_tree') {
      const finding = checkMacroUnsafeFn(ctx, keyword);
      if (finding) findings.push(finding);
      continue;
    }
    const item = parent?.type === 'function_modifiers' ? parent.parent : parent?.type === 'trait_item' ? parent : null;
    if (!item || !(isFunction(item) || item.type === 'trait_item')) continue;
    if ((isFunction(item) && !isCheckedFunction(item)) || isDocHidden(item)) continue;
    if (hasSafetyHeading(docText(item)) || isLintAllowed('missing_safety_doc', item)) continue;
    findings.push(missingFinding(ctx, item));
  }
  for (const item of itemsWithSafetyHeadingText(ctx)) {
    if (hasUnsafeKeyword(item) || (isFunction(item) && !isCheckedFunction(item)) || isDocHidden(item)) continue;
    if (!hasSafetyHeading(docText(item)) || isLintAllowed('unnecessary_safety_doc', item)) continue;
    findings.push(unnecessaryFinding(item));
  }
  return findings;
}
