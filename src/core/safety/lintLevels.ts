// `#[allow(...)]`, `#[expect(...)]`, `#[warn(...)]`, `#[deny(...)]` and `#![...]` on the code around a
// finding, as rustc resolves them: the nearest enclosing node that names the lint (or one of its
// groups) decides, and on one node a later attribute overrides an earlier one.
import type { SyntaxNode } from '../parse/navTree';
import { RULES, type RuleName } from './rules';
import { outerAttributes } from './syntax';

export type Level = 'allow' | 'enable';

const LEVEL_OF_ATTRIBUTE: Readonly<Record<string, Level>> = {
  allow: 'allow',
  expect: 'allow',
  warn: 'enable',
  deny: 'enable',
  forbid: 'enable',
};

/** The lint names an attribute such as `allow(clippy::a, clippy::b, reason = "...")` lists. */
function attributeLevel(attributeItem: SyntaxNode): { level: Level; lints: string[] } | undefined {
  const attribute = attributeItem.namedChildren.find((child) => child?.type === 'attribute');
  const name = attribute?.namedChildren[0];
  const args = attribute?.namedChildren.find((child) => child?.type === 'token_tree');
  if (!name || !args) return undefined;
  const level = LEVEL_OF_ATTRIBUTE[name.text];
  if (!level) return undefined;
  const lints = args.text
    .slice(1, -1)
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .split(',')
    .map((entry) => entry.replace(/\s+/g, ''))
    .filter((entry) => entry.length > 0 && !entry.includes('='));
  return { level, lints };
}

function namesFor(rule: RuleName): Set<string> {
  return new Set([`clippy::${rule}`, ...RULES[rule].groups, 'warnings', rule]);
}

/** The level the attributes (in source order) set for one of `names`, the last one winning. */
function levelFrom(attributes: SyntaxNode[], names: Set<string>): Level | undefined {
  let result: Level | undefined;
  for (const attribute of attributes) {
    const parsed = attributeLevel(attribute);
    if (parsed && parsed.lints.some((lint) => names.has(lint))) result = parsed.level;
  }
  return result;
}

/** `#![...]` attributes: they can only open a file, module or block, so only the head is read. */
export function innerAttributes(container: SyntaxNode): SyntaxNode[] {
  const attributes: SyntaxNode[] = [];
  for (const node of container.children) {
    if (!node.isNamed) continue;
    const type = node.type;
    if (type === 'inner_attribute_item') attributes.push(node);
    else if (type !== 'line_comment' && type !== 'block_comment') break;
  }
  return attributes;
}

/** Whether the lint is allowed (or expected) at `node` by attributes in the source. */
export function isLintAllowed(rule: RuleName, node: SyntaxNode): boolean {
  // Every node passed on the way gets the answer: the findings of a deep `else if` chain then climb
  // it once, not once each.
  const climbed: SyntaxNode[] = [];
  const allowed = climbForLevel(rule, node, climbed);
  for (const passed of climbed) {
    let known = allowedAt.get(passed);
    if (!known) allowedAt.set(passed, (known = new Map()));
    known.set(rule, allowed);
  }
  return allowed;
}

const allowedAt = new WeakMap<SyntaxNode, Map<RuleName, boolean>>();

/** The level the attributes of `node` itself set (outer ones, a match arm's, and inner ones it opens). */
function levelOn(node: SyntaxNode, names: Set<string>): Level | undefined {
  const own = node.type === 'source_file' || node.type === 'declaration_list' || node.type === 'block' ? innerAttributes(node) : [];
  const childAttributes =
    node.type === 'match_arm' ? node.namedChildren.filter((child): child is SyntaxNode => child?.type === 'attribute_item') : [];
  return levelFrom([...outerAttributes(node), ...childAttributes, ...own], names);
}

function climbForLevel(rule: RuleName, node: SyntaxNode, climbed: SyntaxNode[]): boolean {
  const names = namesFor(rule);
  for (let current: SyntaxNode | null = node; current !== null; current = current.parent) {
    const known = allowedAt.get(current)?.get(rule);
    if (known !== undefined) return known;
    climbed.push(current);
    const level = levelOn(current, names);
    if (level) return level === 'allow';
  }
  return false;
}

/**
 * The level that attributes in this file set for the lint at `node`, or undefined when none does
 * (the level then comes from outside the file: the command line, or the item that declares or
 * includes it).
 */
export function declaredLevel(rule: RuleName, node: SyntaxNode): Level | undefined {
  const names = namesFor(rule);
  for (let current: SyntaxNode | null = node; current !== null; current = current.parent) {
    const level = levelOn(current, names);
    if (level) return level;
  }
  return undefined;
}
