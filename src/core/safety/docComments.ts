// The doc comment of an item, as rustdoc assembles it (`///` lines, `/** */` blocks and
// `#[doc = "..."]` attributes, common indentation removed), and whether it has a `# Safety` section,
// judged the way clippy does: a Markdown heading, outside code blocks, whose text is exactly `Safety`
// (or `Implementation Safety`). markdown-it follows CommonMark, as clippy's pulldown-cmark does.
import MarkdownIt from 'markdown-it';
import type { SyntaxNode } from '../parse/navTree';

const markdown = new MarkdownIt('commonmark');
const SAFETY_HEADINGS: ReadonlySet<string> = new Set(['Safety', 'SAFETY', 'Implementation safety', 'Implementation Safety']);

/** The doc comment and attribute nodes written before an item, in source order. */
export function docNodes(item: SyntaxNode): SyntaxNode[] {
  const nodes: SyntaxNode[] = [];
  for (let sibling = item.previousSibling; sibling !== null; sibling = sibling.previousSibling) {
    if (sibling.type === 'attribute_item' || isOuterDocComment(sibling)) nodes.unshift(sibling);
    else if (sibling.type === 'line_comment' || sibling.type === 'block_comment') continue;
    else break;
  }
  return nodes;
}

export function isOuterDocComment(node: SyntaxNode): boolean {
  return (
    (node.type === 'line_comment' || node.type === 'block_comment') &&
    node.children.some((child) => child?.type === 'outer_doc_comment_marker')
  );
}

function unindent(lines: string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(Math.min(common, line.length - line.trimStart().length)));
}

function blockDocLines(text: string): string[] {
  const lines = text
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n');
  // ` * ` gutters are stripped when every non-blank line has one, as rustdoc does.
  const gutter = lines.filter((line) => line.trim() !== '').every((line) => line.trimStart().startsWith('*'));
  return gutter ? lines.map((line) => line.replace(/^\s*\*/, '')) : lines;
}

function docAttributeText(text: string): string | undefined {
  const match = /^#\[\s*doc\s*=\s*"((?:[^"\\]|\\.)*)"\s*\]$/s.exec(text);
  return match ? match[1]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1') : undefined;
}

/** The Markdown text of an item's documentation. */
export function docText(item: SyntaxNode): string {
  return docTextOf(docNodes(item));
}

/**
 * The Markdown text of doc nodes: doc comments, `#[doc = ".."]` attribute items, or inside macro
 * bodies the `[doc = ".."]` token tree that follows a `#` token.
 */
export function docTextOf(nodes: SyntaxNode[]): string {
  const lines: string[] = [];
  for (const node of nodes) {
    if (node.type === 'line_comment') lines.push(node.text.replace(/^\/\/\//, '').replace(/\r?\n$/, ''));
    else if (node.type === 'block_comment') lines.push(...blockDocLines(node.text));
    else {
      const text = docAttributeText(node.type === 'token_tree' ? `#${node.text}` : node.text);
      if (text !== undefined) lines.push(...text.split('\n'));
    }
  }
  return unindent(lines).join('\n');
}

/** Whether the Markdown has a `# Safety` heading (any level, ATX or setext). */
export function hasSafetyHeading(doc: string): boolean {
  // Most docs never mention the word: skip the Markdown parse for them.
  if (!/safety/i.test(doc)) return false;
  // The common shapes need no Markdown parse: no code fence, block quote, heading in a list item,
  // setext underline or inline markup in a heading; then only an ATX line `# Safety` is a heading.
  const simple = !/^\s*(?:```|~~~|>|(?:[-*+]|\d+[.)])[ \t]+#)|^ {0,3}#.*[*_`<\[\\&]/m.test(doc) && !/^\s*(?:=+|-+)\s*$/m.test(doc);
  if (simple) return /^ {0,3}#{1,6}[ \t]+(?:Safety|SAFETY|Implementation [Ss]afety)(?:[ \t]+#*)?[ \t]*$/m.test(doc);
  const tokens = markdown.parse(doc, {});
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type !== 'heading_open') continue;
    const inline = tokens[i + 1];
    const texts = inline?.children?.filter((child) => child.type === 'text') ?? [];
    if (texts.some((child) => SAFETY_HEADINGS.has(child.content.trim()))) return true;
  }
  return false;
}
