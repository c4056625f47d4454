// What a module file declares, read from its syntax tree: structs with their fields and pin-init
// attributes, trait impls, imported names. The module checks and code actions work from these facts.
import { precedingAttributes } from '../parse/attributes';
import type { SyntaxNode } from '../parse/rustParser';

export interface FieldInfo {
  /** Undefined for tuple fields. */
  name: string | undefined;
  type: string;
  /** Has `#[pin]`. */
  pinned: boolean;
}

export interface StructInfo {
  name: string;
  node: SyntaxNode;
  /** The `#[pin_data]` / `#[pin_data(PinnedDrop)]` attribute, if any. */
  pinData: SyntaxNode | undefined;
  pinnedDropDeclared: boolean;
  shape: 'unit' | 'tuple' | 'named';
  fields: FieldInfo[];
  /** Where the struct's item starts, with its attributes and doc comments. */
  startIndex: number;
}

export interface ImplInfo {
  /** Last segment of the trait path (`Module` for `kernel::Module`); undefined for inherent impls. */
  trait: string | undefined;
  typeName: string;
  node: SyntaxNode;
}

export interface ModuleFileFacts {
  structs: Map<string, StructInfo>;
  impls: ImplInfo[];
  /** Types, enums, unions, type aliases and imported names: what a `type:` may name. */
  knownTypeNames: Set<string>;
  /** `mod x;` or item-level macros that may declare types: the file cannot see everything. */
  openWorld: boolean;
  /** End of the last `use` line, where new items go after (or 0). */
  afterUses: number;
}

function lastSegment(node: SyntaxNode | null): string | undefined {
  if (!node) return undefined;
  if (node.type === 'generic_type') return lastSegment(node.childForFieldName('type'));
  if (node.type === 'scoped_type_identifier' || node.type === 'scoped_identifier') return node.childForFieldName('name')?.text;
  return node.text;
}

function importedNames(use: SyntaxNode, into: Set<string>): void {
  const visit = (node: SyntaxNode) => {
    if (node.type === 'use_as_clause') {
      const alias = node.childForFieldName('alias');
      if (alias) into.add(alias.text);
      return;
    }
    if (node.type === 'identifier' && node.parent?.type !== 'scoped_identifier') into.add(node.text);
    if (node.type === 'scoped_identifier' && node.parent?.type !== 'scoped_identifier') {
      const name = node.childForFieldName('name');
      if (name) into.add(name.text);
      return;
    }
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(use);
}

function readStruct(node: SyntaxNode): StructInfo | undefined {
  const name = node.childForFieldName('name')?.text;
  if (!name) return undefined;
  const attributes = precedingAttributes(node);
  const pinData = attributes.find((attribute) => /^#\[\s*pin_data\b/.test(attribute.text));
  const body = node.childForFieldName('body');
  const fields: FieldInfo[] = [];
  let shape: StructInfo['shape'] = 'unit';
  if (body?.type === 'field_declaration_list') {
    shape = 'named';
    let pinned = false;
    for (const child of body.namedChildren) {
      if (!child) continue;
      if (child.type === 'attribute_item') pinned ||= /^#\[\s*pin\s*\]/.test(child.text);
      if (child.type === 'field_declaration') {
        fields.push({ name: child.childForFieldName('name')?.text, type: child.childForFieldName('type')?.text ?? '', pinned });
        pinned = false;
      }
    }
  } else if (body?.type === 'ordered_field_declaration_list') {
    shape = 'tuple';
    for (const child of body.namedChildren) {
      if (child && child.type !== 'attribute_item' && child.type !== 'visibility_modifier')
        fields.push({ name: undefined, type: child.text, pinned: false });
    }
  }
  return {
    name,
    node,
    pinData,
    pinnedDropDeclared: pinData !== undefined && /PinnedDrop/.test(pinData.text),
    shape,
    fields,
    startIndex: attributes[0]?.startIndex ?? node.startIndex,
  };
}

export function readModuleFile(root: SyntaxNode): ModuleFileFacts {
  const facts: ModuleFileFacts = { structs: new Map(), impls: [], knownTypeNames: new Set(), openWorld: false, afterUses: 0 };
  for (const node of root.namedChildren) {
    if (!node) continue;
    switch (node.type) {
      case 'struct_item': {
        const info = readStruct(node);
        if (info) {
          facts.structs.set(info.name, info);
          facts.knownTypeNames.add(info.name);
        }
        break;
      }
      case 'enum_item':
      case 'union_item':
      case 'type_item': {
        const name = node.childForFieldName('name')?.text;
        if (name) facts.knownTypeNames.add(name);
        break;
      }
      case 'use_declaration':
        importedNames(node, facts.knownTypeNames);
        facts.afterUses = node.endIndex;
        break;
      case 'impl_item': {
        const typeName = lastSegment(node.childForFieldName('type'));
        if (typeName) facts.impls.push({ trait: lastSegment(node.childForFieldName('trait')), typeName, node });
        break;
      }
      case 'mod_item':
        if (!node.childForFieldName('body')) facts.openWorld = true;
        break;
      case 'macro_invocation':
        if (!/^(?:kernel::)?(?:module|module_\w+_driver)\s*!/.test(node.text)) facts.openWorld = true;
        break;
      case 'macro_definition':
        facts.openWorld = true;
        break;
      default:
        break;
    }
  }
  return facts;
}

export function implementsTrait(facts: ModuleFileFacts, typeName: string, ...traits: string[]): ImplInfo | undefined {
  return facts.impls.find((impl) => impl.typeName === typeName && impl.trait !== undefined && traits.includes(impl.trait));
}
