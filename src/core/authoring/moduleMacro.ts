// `module! { key: value, … }` (and the bus macros that forward their keys to it, such as
// `module_platform_driver!`) read from the syntax tree: each entry with its key, value kind and
// places, for the checks and the fixes. tree-sitter keeps a macro body as a flat token tree, so the
// entries are split here at the top-level commas.
import type { SyntaxNode } from '../parse/rustParser';

/** Macros whose body is a `module!` key list (`module_*_driver!` add their own `type`). */
const MODULE_MACROS = new Set([
  'module',
  'module_platform_driver',
  'module_pci_driver',
  'module_auxiliary_driver',
  'module_i2c_driver',
  'module_usb_driver',
]);

export type ValueShape =
  | { kind: 'ident'; text: string }
  | { kind: 'path'; text: string } // `a::B`, `Foo<T>`
  | { kind: 'string'; text: string; value: string }
  | { kind: 'byteString'; text: string; value: string }
  | { kind: 'cString'; text: string }
  | { kind: 'array'; elements: ValueShape[]; wellFormed: boolean }
  | { kind: 'braced'; node: SyntaxNode }
  | { kind: 'other'; text: string }
  | { kind: 'missing' };

export interface ModuleEntry {
  key: string;
  keyNode: SyntaxNode;
  value: ValueShape;
  valueNodes: SyntaxNode[];
  /** The comma after the value, if any. */
  comma: SyntaxNode | undefined;
  /** Whether `key` was followed by `:`. */
  colon: boolean;
  /** From the key to the comma (or the value's end). */
  startIndex: number;
  endIndex: number;
}

export interface ModuleInvocation {
  /** `module`, `module_platform_driver`, … */
  macro: string;
  node: SyntaxNode;
  body: SyntaxNode;
  entries: ModuleEntry[];
  /** Tokens that are not `key: value,` (a stray token where a key should be). */
  strays: SyntaxNode[];
}

function macroName(invocation: SyntaxNode): string | undefined {
  const name = invocation.childForFieldName('macro') ?? invocation.namedChild(0);
  if (!name) return undefined;
  return name.type === 'scoped_identifier' ? (name.childForFieldName('name')?.text ?? undefined) : name.text;
}

function isPunct(node: SyntaxNode, char: string): boolean {
  return node.childCount === 0 && node.type === char;
}

function stringValue(literal: string): string {
  const body = literal.replace(/^[bc]?"/, '').replace(/"$/, '');
  return body.replace(/\\(.)/g, '$1');
}

/** What kind of value a run of tokens is. */
export function valueShape(nodes: SyntaxNode[]): ValueShape {
  if (nodes.length === 0) return { kind: 'missing' };
  const text = nodes.map((node) => node.text).join('');
  if (nodes.length === 1) {
    const node = nodes[0]!;
    if (node.type === 'string_literal' || node.type === 'raw_string_literal') {
      // A raw byte string (br"…") is taken by no kernel: 6.1's macro wants `b"`, later ones strings.
      if (node.text.startsWith('br')) return { kind: 'other', text };
      if (node.text.startsWith('b')) return { kind: 'byteString', text, value: stringValue(node.text) };
      if (node.text.startsWith('c')) return { kind: 'cString', text };
      return {
        kind: 'string',
        text,
        value: node.type === 'raw_string_literal' ? node.text.replace(/^r#*"|"#*$/g, '') : stringValue(node.text),
      };
    }
    if (node.type === 'identifier' || node.type === 'type_identifier') return { kind: 'ident', text };
    if (node.type === 'token_tree') {
      const open = node.child(0)?.type;
      if (open === '{') return { kind: 'braced', node };
      if (open === '[') {
        const inner = node.children.slice(1, -1);
        const elements: ValueShape[] = [];
        let wellFormed = true;
        for (let i = 0; i < inner.length; i++) {
          const element = inner[i]!;
          elements.push(valueShape([element]));
          const next = inner[i + 1];
          if (next && isPunct(next, ',')) i++;
          else if (next) wellFormed = false;
        }
        return { kind: 'array', elements, wellFormed };
      }
    }
    return { kind: 'other', text };
  }
  if (
    nodes.every(
      (node) =>
        node.type === 'identifier' ||
        node.type === '::' ||
        node.type === '<' ||
        node.type === '>' ||
        node.type === 'crate' ||
        node.type === 'self' ||
        node.type === 'super',
    )
  ) {
    return { kind: 'path', text };
  }
  return { kind: 'other', text };
}

// Doc comments (three slashes, `//!`, and block comments opened with two stars or `/*!`) are
// `#[doc = "…"]` attributes inside a macro's input, not comments: the macro sees a `#` there.
export function isDocComment(node: SyntaxNode): boolean {
  return (
    (node.type === 'line_comment' || node.type === 'block_comment') &&
    node.children.some((child) => child?.type === 'outer_doc_comment_marker' || child?.type === 'inner_doc_comment_marker')
  );
}

/** Splits a `{ key: value, … }` token tree into entries. */
export function parseEntries(body: SyntaxNode): { entries: ModuleEntry[]; strays: SyntaxNode[] } {
  const tokens = body.children
    .slice(1, body.child(body.childCount - 1)?.type === '}' ? -1 : undefined)
    .filter((node): node is SyntaxNode => node !== null && (!node.type.includes('comment') || isDocComment(node)));
  const entries: ModuleEntry[] = [];
  const strays: SyntaxNode[] = [];
  let i = 0;
  while (i < tokens.length) {
    const keyNode = tokens[i]!;
    if (keyNode.childCount > 0 || isPunct(keyNode, ',') || isPunct(keyNode, ':')) {
      strays.push(keyNode);
      i++;
      continue;
    }
    i++;
    const colon = tokens[i] !== undefined && isPunct(tokens[i]!, ':');
    if (colon) i++;
    const valueNodes: SyntaxNode[] = [];
    while (i < tokens.length && !isPunct(tokens[i]!, ',')) {
      // `key:` after a value: the comma between the two entries is missing (no value has a lone `:`).
      const next = tokens[i + 1];
      if (valueNodes.length > 0 && tokens[i]!.childCount === 0 && next && isPunct(next, ':')) break;
      valueNodes.push(tokens[i++]!);
    }
    const comma = i < tokens.length && isPunct(tokens[i]!, ',') ? tokens[i++] : undefined;
    const last = comma ?? valueNodes[valueNodes.length - 1] ?? keyNode;
    entries.push({
      key: keyNode.text,
      keyNode,
      value: colon ? valueShape(valueNodes) : { kind: 'missing' },
      valueNodes,
      comma,
      colon,
      startIndex: keyNode.startIndex,
      endIndex: last.endIndex,
    });
  }
  return { entries, strays };
}

/** The identifier given as `type:`, if it is one. */
export function moduleType(invocation: ModuleInvocation): string | undefined {
  const value = invocation.entries.find((entry) => entry.key === 'type')?.value;
  return value?.kind === 'ident' ? value.text : undefined;
}

/** Every `module!`-style invocation at item level (where the macro may appear). */
export function findModuleInvocations(root: SyntaxNode): ModuleInvocation[] {
  const found: ModuleInvocation[] = [];
  for (const node of root.namedChildren) {
    if (!node || node.type !== 'macro_invocation') continue;
    const macro = macroName(node);
    const body = node.namedChildren.find((child) => child?.type === 'token_tree') ?? undefined;
    if (!macro || !MODULE_MACROS.has(macro) || !body || body.child(0)?.type !== '{') continue;
    found.push({ macro, node, body, ...parseEntries(body) });
  }
  return found;
}
