// Refactorings offered where the cursor is, for the module / init / exit pattern: implement the
// Module trait, add the exit (Drop or PinnedDrop), declare the module, and convert author ↔
// authors or byte strings ↔ strings when the target kernel accepts the other form.
import { LineIndex } from '../parse/lineIndex';
import type { SyntaxNode } from '../parse/rustParser';
import type { Fix } from '../safety/findings';
import { hasModuleKey, moduleKey, type KernelApi } from './kernelApi';
import { findModuleInvocations, moduleType, type ModuleInvocation } from './moduleMacro';
import { implementsTrait, readModuleFile, type ModuleFileFacts, type StructInfo } from './moduleFile';
import { addExitFix, addModuleDeclarationFix, authorConversion, implementModuleFix, literalsConversion } from './moduleFixes';
import { findKunitTests } from '../kunit/testSource';
import { moduleNameFromFile } from './moduleCode';
import { kunitTestModule } from './templates/fragmentTemplates';
import { defaultContext } from './templates/registry';
import { snippetToPlainText } from './templates/snippetText';
import { insertEdit } from './textEdits';

export interface ModuleActionInput {
  root: SyntaxNode;
  text: string;
  api: KernelApi;
  /** The cursor or selection, as offsets. */
  start: number;
  end: number;
  fileName?: string | undefined;
}

const within = (node: { startIndex: number; endIndex: number }, start: number, end: number) =>
  node.startIndex <= start && end <= node.endIndex;

function hasExit(facts: ModuleFileFacts, name: string): boolean {
  return implementsTrait(facts, name, 'Drop', 'PinnedDrop') !== undefined;
}

function structActions(lines: LineIndex, api: KernelApi, facts: ModuleFileFacts, struct: StructInfo): Fix[] {
  const fixes: Fix[] = [];
  const implement = implementsTrait(facts, struct.name, 'Module', 'InPlaceModule') ? undefined : implementModuleFix(lines, api, struct);
  if (implement) fixes.push(implement);
  if (!hasExit(facts, struct.name)) fixes.push(addExitFix(lines, api, facts, struct));
  return fixes;
}

function conversions(lines: LineIndex, api: KernelApi, invocation: ModuleInvocation, start: number, end: number): Fix[] {
  const fixes: Fix[] = [];
  const versioned = api.source !== 'assumed';
  const entry = invocation.entries.find((candidate) =>
    within({ startIndex: candidate.startIndex, endIndex: candidate.endIndex }, start, end),
  );
  if (entry?.key === 'author' && (!versioned || hasModuleKey(api, 'authors'))) {
    const fix = authorConversion(lines, entry, 'authors');
    if (fix) fixes.push({ ...fix, title: `${fix.title}${versioned ? '' : ' (Linux 6.15 and later)'}` });
  }
  if (entry?.key === 'authors' && (!versioned || hasModuleKey(api, 'author'))) {
    const fix = authorConversion(lines, entry, 'author', moduleKey(api, 'author')?.kind);
    if (fix) fixes.push({ ...fix, title: `${fix.title}${versioned ? '' : ' (before Linux 6.17)'}` });
  }
  const nameKind = moduleKey(api, 'name')?.kind;
  if (!versioned || nameKind === 'string') {
    const fix = literalsConversion(lines, invocation, 'string');
    if (fix) fixes.push({ ...fix, title: `${fix.title}${versioned ? '' : ' (Linux 6.2 and later)'}` });
  }
  if (!versioned || nameKind === 'byteString') {
    const fix = literalsConversion(lines, invocation, 'byteString');
    if (fix) fixes.push({ ...fix, title: `${fix.title}${versioned ? '' : ' (Linux 6.1)'}` });
  }
  return fixes;
}

export function moduleActions(input: ModuleActionInput): Fix[] {
  const { root, text, api, start, end } = input;
  const lines = new LineIndex(text);
  const facts = readModuleFile(root);
  const invocations = findModuleInvocations(root);
  const declared = new Set(invocations.map(moduleType).filter((name): name is string => name !== undefined));
  const fixes: Fix[] = [];
  const seen = new Set<string>();
  const add = (list: Fix[]) => {
    for (const fix of list) {
      if (seen.has(fix.title)) continue;
      seen.add(fix.title);
      fixes.push(fix);
    }
  };

  for (const invocation of invocations) {
    if (!within(invocation.node, start, end)) continue;
    if (invocation.macro === 'module')
      add(testModuleAction(lines, api, root, text, moduleNameFromFile(input.fileName, moduleType(invocation) ?? 'module')));
    const struct = invocation.macro === 'module' ? facts.structs.get(moduleType(invocation) ?? '') : undefined;
    if (struct) add(structActions(lines, api, facts, struct));
    add(conversions(lines, api, invocation, start, end));
  }
  for (const struct of facts.structs.values()) {
    if (declared.has(struct.name) && within({ startIndex: struct.startIndex, endIndex: struct.node.endIndex }, start, end))
      add(structActions(lines, api, facts, struct));
  }
  for (const impl of facts.impls) {
    if (!within(impl.node, start, end) || (impl.trait !== 'Module' && impl.trait !== 'InPlaceModule')) continue;
    if (invocations.length === 0) add([addModuleDeclarationFix(lines, api, facts, impl.typeName, input.fileName, impl.node.startIndex)]);
    const struct = facts.structs.get(impl.typeName);
    if (struct && !hasExit(facts, struct.name)) add([addExitFix(lines, api, facts, struct)]);
  }
  return fixes;
}

/** "Add a KUnit test module" on a module! of a kernel with #[kunit_tests] (6.15+), once per file. */
function testModuleAction(lines: LineIndex, api: KernelApi, root: SyntaxNode, text: string, moduleName: string): Fix[] {
  if (!api.kunitTests || findKunitTests(root).length > 0) return [];
  const body = snippetToPlainText(kunitTestModule(api, defaultContext(moduleName)));
  const separator = text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return [{ title: 'Add a KUnit test module (#[kunit_tests])', edits: [insertEdit(lines, text.length, `${separator}${body}\n`)] }];
}
