// The edits behind the module quick fixes and refactorings: author ↔ authors, byte strings ↔
// strings, a Module impl that builds every field, a Drop/PinnedDrop exit, a module! declaration.
import type { LineIndex } from '../parse/lineIndex';
import type { Fix } from '../safety/findings';
import { hasModuleKey, moduleKey, type KernelApi, type ModuleKey } from './kernelApi';
import { dropImplCode, moduleDeclarationText, moduleImplText, moduleNameFromFile, usesInPlaceModule } from './moduleCode';
import type { ModuleFileFacts, StructInfo } from './moduleFile';
import type { ModuleEntry, ModuleInvocation, ValueShape } from './moduleMacro';
import { insertEdit, replaceEdit } from './textEdits';

function stringsOf(shape: ValueShape): string[] | undefined {
  if (shape.kind === 'string' || shape.kind === 'byteString') return [shape.value];
  if (shape.kind === 'array' && shape.elements.every((element) => element.kind === 'string' || element.kind === 'byteString')) {
    return shape.elements.map((element) => ('value' in element ? element.value : ''));
  }
  return undefined;
}

const escape = (text: string): string => text.replace(/["\\]/g, (char) => `\\${char}`);

/** `author: "A"` → `authors: ["A"]`, or the way back (several authors joined by commas). */
export function authorConversion(
  lines: LineIndex,
  entry: ModuleEntry,
  to: 'author' | 'authors',
  authorKind: ModuleKey['kind'] = 'string',
): Fix | undefined {
  const values = stringsOf(entry.value);
  if (!values || entry.key === to || (entry.key !== 'author' && entry.key !== 'authors')) return undefined;
  const start = entry.keyNode.startIndex;
  const end = entry.valueNodes[entry.valueNodes.length - 1]!.endIndex;
  if (to === 'authors') {
    return {
      title: 'Convert to authors: [..]',
      edits: [replaceEdit(lines, start, end, `authors: [${values.map((value) => `"${escape(value)}"`).join(', ')}]`)],
    };
  }
  const prefix = authorKind === 'byteString' ? 'b' : '';
  return { title: 'Convert to author: ".."', edits: [replaceEdit(lines, start, end, `author: ${prefix}"${escape(values.join(', '))}"`)] };
}

/** The author conversion this kernel needs for an entry it rejects. */
export function convertAuthorFix(lines: LineIndex, api: KernelApi, entry: ModuleEntry): Fix | undefined {
  if (entry.key === 'author' && hasModuleKey(api, 'authors')) return authorConversion(lines, entry, 'authors');
  if (entry.key === 'authors' && hasModuleKey(api, 'author'))
    return authorConversion(lines, entry, 'author', moduleKey(api, 'author')?.kind);
  return undefined;
}

/** Rewrites every string of the invocation to the kind the kernel wants (6.1: `b"…"`; later: `"…"`). */
export function literalsConversion(lines: LineIndex, invocation: ModuleInvocation, to: 'string' | 'byteString'): Fix | undefined {
  const edits = [];
  for (const entry of invocation.entries) {
    if (entry.key === 'params' || entry.key === 'type') continue;
    const literals =
      entry.valueNodes.length === 1 && entry.valueNodes[0]!.type === 'token_tree' ? entry.valueNodes[0]!.namedChildren : entry.valueNodes;
    for (const node of literals) {
      if (!node || node.type !== 'string_literal') continue;
      if (to === 'string' && node.text.startsWith('b"')) edits.push(replaceEdit(lines, node.startIndex, node.startIndex + 1, ''));
      if (to === 'byteString' && node.text.startsWith('"')) edits.push(insertEdit(lines, node.startIndex, 'b'));
    }
  }
  if (edits.length === 0) return undefined;
  return {
    title: to === 'string' ? 'Convert byte strings to strings (b"x" → "x")' : 'Convert strings to byte strings ("x" → b"x")',
    edits,
  };
}

/** The fix for a value of the wrong kind: convert literals, or wrap/unwrap an array. */
export function convertLiteralsFix(lines: LineIndex, invocation: ModuleInvocation, entry: ModuleEntry, key: ModuleKey): Fix | undefined {
  const value = entry.value;
  const start = entry.valueNodes[0]?.startIndex ?? 0;
  const end = entry.valueNodes[entry.valueNodes.length - 1]?.endIndex ?? 0;
  if (key.kind === 'string' && value.kind === 'byteString') return literalsConversion(lines, invocation, 'string');
  if (key.kind === 'byteString' && value.kind === 'string') return literalsConversion(lines, invocation, 'byteString');
  if (key.kind === 'stringArray' && (value.kind === 'string' || value.kind === 'byteString')) {
    return {
      title: `Make "${entry.key}" an array: ["${escape(value.value)}"]`,
      edits: [replaceEdit(lines, start, end, `["${escape(value.value)}"]`)],
    };
  }
  if ((key.kind === 'string' || key.kind === 'byteString') && value.kind === 'array' && value.elements.length === 1) {
    const only = stringsOf(value)?.[0];
    if (only === undefined) return undefined;
    const literal = `${key.kind === 'byteString' ? 'b' : ''}"${escape(only)}"`;
    return {
      title: `Use a single ${key.kind === 'byteString' ? 'byte string' : 'string'}: ${literal}`,
      edits: [replaceEdit(lines, start, end, literal)],
    };
  }
  return undefined;
}

/** Where new impls of a type go: after its last impl, else after the struct. */
function afterTypeItems(facts: ModuleFileFacts, struct: StructInfo): number {
  const impls = facts.impls.filter((impl) => impl.typeName === struct.name).map((impl) => impl.node.endIndex);
  return Math.max(struct.node.endIndex, ...impls);
}

/**
 * Undefined when the struct has pinned fields but the kernel has no InPlaceModule (before 6.14): a
 * Module is returned by value, so a pinned Mutex cannot be one of its fields.
 */
export function implementModuleFix(lines: LineIndex, api: KernelApi, struct: StructInfo): Fix | undefined {
  if (!usesInPlaceModule(struct, api) && struct.fields.some((field) => field.pinned)) return undefined;
  const trait = usesInPlaceModule(struct, api) ? 'kernel::InPlaceModule' : 'kernel::Module';
  return {
    title: `Implement ${trait} for ${struct.name}`,
    edits: [insertEdit(lines, struct.node.endIndex, `\n\n${moduleImplText(struct, api)}`)],
  };
}

export function addExitFix(lines: LineIndex, api: KernelApi, facts: ModuleFileFacts, struct: StructInfo): Fix {
  const code = dropImplCode(struct, api);
  const edits = [insertEdit(lines, afterTypeItems(facts, struct), `\n\n${code.implText}`)];
  if (code.pinDataAttribute && struct.pinData)
    edits.unshift(replaceEdit(lines, struct.pinData.startIndex, struct.pinData.endIndex, code.pinDataAttribute));
  const trait = code.pinDataAttribute !== undefined || code.implText.includes('PinnedDrop') ? 'PinnedDrop' : 'Drop';
  return { title: `Add a ${trait} exit for ${struct.name}`, edits };
}

export function addModuleDeclarationFix(
  lines: LineIndex,
  api: KernelApi,
  facts: ModuleFileFacts,
  typeName: string,
  fileName: string | undefined,
  fallbackOffset: number,
): Fix {
  const declaration = moduleDeclarationText(api, typeName, moduleNameFromFile(fileName, typeName));
  const struct = facts.structs.get(typeName);
  const edit =
    facts.afterUses > 0
      ? insertEdit(lines, facts.afterUses, `\n\n${declaration}`)
      : insertEdit(lines, struct?.startIndex ?? fallbackOffset, `${declaration}\n\n`);
  return { title: `Add a module! declaration for ${typeName}`, edits: [edit] };
}
