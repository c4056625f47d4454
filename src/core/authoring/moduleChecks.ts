// `module!` checked while typing, against the macro of the user's kernel: the same errors the proc
// macro gives at build time (unknown, duplicated, missing and misordered keys, the wrong kind of
// literal), plus a `type` that names nothing in the file and a module type without its Module impl.
// Each comes with a fix where one is clear. Without a configured kernel, only the checks that hold
// on every kernel are made, so an older kernel's spelling is never called an error.
import { LineIndex } from '../parse/lineIndex';
import type { SyntaxNode } from '../parse/rustParser';
import type { Fix, TextRange } from '../safety/findings';
import { moduleKey, moduleKeysOfAnyKernel, type KernelApi, type ModuleKey } from './kernelApi';
import {
  findModuleInvocations,
  isDocComment,
  moduleType,
  parseEntries,
  type ModuleEntry,
  type ModuleInvocation,
  type ValueShape,
} from './moduleMacro';
import { moduleNameFromFile } from './moduleCode';
import { implementsTrait, readModuleFile, type ModuleFileFacts } from './moduleFile';
import { convertAuthorFix, convertLiteralsFix, implementModuleFix } from './moduleFixes';
import { literalOfKind } from './templates/moduleParts';
import { endWithTrailingSpace, indentAt, insertEdit, rangeOf, replaceEdit, startWithLeadingSpace } from './textEdits';

export const MODULE_CHECKS = [
  'module_syntax',
  'module_unknown_key',
  'module_duplicate_key',
  'module_missing_key',
  'module_key_order',
  'module_value_kind',
  'module_param',
  'module_type_not_found',
  'module_missing_impl',
] as const;
export type ModuleCheck = (typeof MODULE_CHECKS)[number];

export interface ModuleFinding {
  check: ModuleCheck;
  message: string;
  range: TextRange;
  fixes: Fix[];
}

export interface ModuleCheckInput {
  root: SyntaxNode;
  text: string;
  api: KernelApi;
  lines?: LineIndex;
  /** The file's name, for a missing `name:` (module names follow file names). */
  fileName?: string | undefined;
}

interface Context extends Required<Omit<ModuleCheckInput, 'fileName'>> {
  fileName: string | undefined;
  facts: ModuleFileFacts;
  /** Facts that depend on the kernel version may be checked. */
  versioned: boolean;
  findings: ModuleFinding[];
}

const KIND_WORDS: Readonly<Record<ModuleKey['kind'], string>> = {
  ident: 'a type name',
  string: 'a string literal ("…")',
  byteString: 'a byte string literal (b"…")',
  stringArray: 'an array of strings (["…", …])',
  params: 'a parameter block ({ name: type { default: …, description: "…", }, })',
};

function report(ctx: Context, check: ModuleCheck, message: string, start: number, end: number, fixes: Fix[] = []): void {
  ctx.findings.push({ check, message, range: rangeOf(ctx.lines, start, end), fixes });
}

function deleteEntryFix(ctx: Context, entry: ModuleEntry, title: string): Fix {
  const start = startWithLeadingSpace(ctx.text, entry.startIndex);
  return { title, edits: [replaceEdit(ctx.lines, start, endWithTrailingSpace(ctx.text, entry.endIndex), '')] };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function valueMatches(shape: ValueShape, key: ModuleKey, api: KernelApi): boolean {
  switch (key.kind) {
    case 'ident':
      return shape.kind === 'ident' || (shape.kind === 'path' && api.synModuleMacro);
    case 'string':
      return shape.kind === 'string';
    case 'byteString':
      return shape.kind === 'byteString';
    case 'stringArray':
      return shape.kind === 'array' && shape.wellFormed && shape.elements.every((element) => element.kind === 'string');
    case 'params':
      return shape.kind === 'braced';
  }
}

/** Whether some kernel accepts this value for this key (for checks without a known kernel). */
function plausibleOnSomeKernel(shape: ValueShape, key: string): boolean {
  if (key === 'type') return shape.kind === 'ident' || shape.kind === 'path';
  if (key === 'params') return shape.kind === 'braced';
  if (shape.kind === 'string' || shape.kind === 'byteString') return true;
  return shape.kind === 'array' && shape.elements.every((element) => element.kind === 'string');
}

function checkEntries(ctx: Context, invocation: ModuleInvocation): void {
  // Without a known kernel, only a key that no kernel takes is unknown, and the list says so.
  const keys = ctx.versioned ? ctx.api.moduleKeys : moduleKeysOfAnyKernel();
  const validList = `${ctx.versioned ? '' : '(on some kernel) '}${JSON.stringify(keys.map((key) => key.name)).replace(/,/g, ', ')}`;
  const seen = new Set<string>();
  for (const stray of invocation.strays) {
    if (isDocComment(stray)) {
      report(
        ctx,
        'module_syntax',
        `${invocation.macro}!: a doc comment here is a #[doc] attribute, which the macro does not take: use a plain comment (// or /* */)`,
        stray.startIndex,
        stray.endIndex,
        [
          {
            title: 'Make it a plain comment',
            edits: [
              replaceEdit(
                ctx.lines,
                stray.startIndex,
                stray.startIndex + 3,
                `${stray.text.slice(0, 2)}${stray.text[3] === ' ' ? '' : ' '}`,
              ),
            ],
          },
        ],
      );
    } else report(ctx, 'module_syntax', `${invocation.macro}!: expected a key here, such as \`name:\``, stray.startIndex, stray.endIndex);
  }
  for (const entry of invocation.entries) {
    const { key } = entry;
    if (!entry.colon) {
      report(
        ctx,
        'module_syntax',
        `${invocation.macro}!: expected \`:\` after the key "${key}"`,
        entry.keyNode.startIndex,
        entry.keyNode.endIndex,
      );
      continue;
    }
    if (entry.value.kind === 'missing')
      report(ctx, 'module_syntax', `${invocation.macro}!: the key "${key}" has no value`, entry.keyNode.startIndex, entry.keyNode.endIndex);
    else if (!entry.comma) {
      const end = entry.valueNodes[entry.valueNodes.length - 1]!.endIndex;
      report(
        ctx,
        'module_syntax',
        `${invocation.macro}!: expected \`,\` after the value of "${key}" (every key, the last one too, ends with a comma)`,
        entry.keyNode.startIndex,
        end,
        [{ title: 'Add the comma', edits: [insertEdit(ctx.lines, end, ',')] }],
      );
    }
    if (seen.has(key)) {
      report(
        ctx,
        'module_duplicate_key',
        `duplicated key "${key}". Keys can only be specified once.`,
        entry.keyNode.startIndex,
        entry.keyNode.endIndex,
        [deleteEntryFix(ctx, entry, `Remove this "${key}"`)],
      );
      continue;
    }
    seen.add(key);
    const known = moduleKey(ctx.api, key);
    if (!known) {
      // Keys of other kernels than the assumed newest are taken as they are (the checks below need this kernel's).
      if (!ctx.versioned && keys.some((candidate) => candidate.name === key)) continue;
      const fixes: Fix[] = [];
      const authorFix = convertAuthorFix(ctx.lines, ctx.api, entry);
      if (authorFix) fixes.push(authorFix);
      const near = keys.find((candidate) => !seen.has(candidate.name) && editDistance(candidate.name, key) <= 2);
      if (near && !authorFix)
        fixes.push({
          title: `Change to "${near.name}"`,
          edits: [replaceEdit(ctx.lines, entry.keyNode.startIndex, entry.keyNode.endIndex, near.name)],
        });
      fixes.push(deleteEntryFix(ctx, entry, `Remove "${key}"`));
      report(
        ctx,
        'module_unknown_key',
        `unknown key "${key}". Valid keys are: ${validList}.${ctx.versioned ? kernelNote(ctx) : ' Set rustForLinux.kernelDir (or --kdir) to check against your kernel.'}`,
        entry.keyNode.startIndex,
        entry.keyNode.endIndex,
        fixes,
      );
      continue;
    }
    if (entry.value.kind === 'missing') continue;
    const matches = ctx.versioned ? valueMatches(entry.value, known, ctx.api) : plausibleOnSomeKernel(entry.value, key);
    if (!matches) {
      const fix = convertLiteralsFix(ctx.lines, invocation, entry, known);
      const start = entry.valueNodes[0]!.startIndex;
      const end = entry.valueNodes[entry.valueNodes.length - 1]!.endIndex;
      const what =
        known.kind === 'ident' && entry.value.kind === 'path' ? 'a single identifier before the 7.x macro' : KIND_WORDS[known.kind];
      report(ctx, 'module_value_kind', `"${key}" takes ${what}${ctx.versioned ? kernelNote(ctx) : ''}`, start, end, fix ? [fix] : []);
    } else if (checkAscii(ctx, entry) && checkPlainStrings(ctx, entry, known)) {
      checkNameAndLicense(ctx, entry);
    }
    if (key === 'params' && entry.value.kind === 'braced') checkParams(ctx, entry.value.node);
  }
}

/**
 * Non-ASCII text: a byte string literal cannot hold it at all (6.1's `b"…"`), and the macro takes it
 * only in `description` and a single `author` (a string); `name`, `license` and every array element
 * (`authors`, `alias`, `firmware`, `imports_ns`) must be ASCII.
 */
function checkAscii(ctx: Context, entry: ModuleEntry): boolean {
  const literals = entry.value.kind === 'array' ? entry.value.elements : [entry.value];
  const nonAscii = literals.find(
    (literal) => (literal.kind === 'string' || literal.kind === 'byteString') && /[^\x00-\x7f]/.test(literal.value),
  );
  if (!nonAscii) return true;
  const start = entry.valueNodes[0]!.startIndex;
  const end = entry.valueNodes[entry.valueNodes.length - 1]!.endIndex;
  if (nonAscii.kind === 'byteString')
    report(ctx, 'module_value_kind', `"${entry.key}": a byte string literal (b"…") can only hold ASCII characters`, start, end);
  else if (entry.value.kind === 'array' || (entry.key !== 'description' && entry.key !== 'author'))
    report(ctx, 'module_value_kind', `"${entry.key}" must be ASCII`, start, end);
  else return true;
  return false;
}

/**
 * The 6.x macro reads string literals by hand and refuses raw strings ("Raw string literals are not
 * yet handled") and escapes ("Escape sequences in string literals not yet handled"); 7.x uses syn.
 */
function checkPlainStrings(ctx: Context, entry: ModuleEntry, known: ModuleKey): boolean {
  if (!ctx.versioned || ctx.api.synModuleMacro || (known.kind !== 'string' && known.kind !== 'stringArray')) return true;
  const literals = entry.valueNodes.flatMap((node) => (node.type === 'token_tree' ? node.namedChildren : [node]));
  const bad = literals.find(
    (node) =>
      node &&
      (node.type === 'raw_string_literal' || node.text.startsWith('r') || (node.type === 'string_literal' && node.text.includes('\\'))),
  );
  if (!bad) return true;
  const raw = bad.type === 'raw_string_literal' || bad.text.startsWith('r');
  report(
    ctx,
    'module_value_kind',
    `"${entry.key}": the module! macro of this kernel takes no ${raw ? 'raw strings' : 'escape sequences in strings'}${kernelNote(ctx)}`,
    bad.startIndex,
    bad.endIndex,
  );
  return false;
}

/** license_is_gpl_compatible() of include/linux/license.h. */
const GPL_COMPATIBLE = ['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL'];

/**
 * The name becomes part of Rust identifiers the macro generates (`__NAME_init`; 7.x turns `-` into
 * `_` first), so other characters fail on every kernel. Every Rust module uses the kernel crate,
 * whose symbols are GPL-only: modpost refuses a module whose license is not GPL-compatible.
 */
function checkNameAndLicense(ctx: Context, entry: ModuleEntry): void {
  const value = entry.value;
  if (value.kind !== 'string' && value.kind !== 'byteString') return;
  const node = entry.valueNodes[0]!;
  const nameCharacters = ctx.api.synModuleMacro || !ctx.versioned ? /[^A-Za-z0-9_-]/ : /[^A-Za-z0-9_]/;
  if (entry.key === 'name' && nameCharacters.test(value.value)) {
    report(
      ctx,
      'module_value_kind',
      `"name" becomes part of Rust identifiers: use only letters, digits and _`,
      node.startIndex,
      node.endIndex,
    );
  }
  if (entry.key === 'license' && !GPL_COMPATIBLE.includes(value.value)) {
    const prefix = value.kind === 'byteString' ? 'b' : '';
    report(
      ctx,
      'module_value_kind',
      `"license" must be GPL-compatible (${GPL_COMPATIBLE.map((license) => `"${license}"`).join(', ')}): the kernel crate's symbols are GPL-only, and modpost refuses a Rust module under another license`,
      node.startIndex,
      node.endIndex,
      [{ title: `Change to ${prefix}"GPL"`, edits: [replaceEdit(ctx.lines, node.startIndex, node.endIndex, `${prefix}"GPL"`)] }],
    );
  }
}

function kernelNote(ctx: Context): string {
  return ctx.api.version ? ` (module! of Linux ${ctx.api.version})` : '';
}

function checkMissingAndOrder(ctx: Context, invocation: ModuleInvocation): void {
  const present = invocation.entries.filter((entry) => entry.colon);
  const names = present.map((entry) => entry.key);
  const keys = ctx.api.moduleKeys;
  for (const required of keys.filter((key) => key.required)) {
    if (names.includes(required.name)) continue;
    report(ctx, 'module_missing_key', `missing required key "${required.name}"`, invocation.node.startIndex, invocation.body.startIndex, [
      missingKeyFix(ctx, invocation, required),
    ]);
  }
  // Order among the keys this kernel knows, first occurrence each (unknown ones are reported already).
  const order = keys.map((key) => key.name);
  const firsts = present.filter((entry, index) => order.includes(entry.key) && names.indexOf(entry.key) === index);
  const expected = [...firsts].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  const misplaced = firsts.findIndex((entry, index) => entry !== expected[index]);
  if (misplaced === -1) return;
  const entry = firsts[misplaced]!;
  const fixes: Fix[] = [];
  const reorder = reorderFix(ctx, invocation, firsts, expected);
  if (reorder) fixes.push(reorder);
  report(
    ctx,
    'module_key_order',
    `keys are not ordered as expected. Order them like: ${JSON.stringify(expected.map((candidate) => candidate.key)).replace(/,/g, ', ')}.`,
    entry.keyNode.startIndex,
    entry.keyNode.endIndex,
    fixes,
  );
}

/** Swaps entries' texts into the expected order; not offered when comments sit between them (they would move). */
function reorderFix(ctx: Context, invocation: ModuleInvocation, current: ModuleEntry[], expected: ModuleEntry[]): Fix | undefined {
  if (invocation.body.descendantsOfType(['line_comment', 'block_comment']).length > 0 || current.length !== invocation.entries.length)
    return undefined;
  const edits = current.map((entry, index) => {
    const target = expected[index]!;
    return replaceEdit(ctx.lines, entry.startIndex, entry.endIndex, ctx.text.slice(target.startIndex, target.endIndex));
  });
  return { title: 'Put the keys in the expected order', edits };
}

function missingKeyFix(ctx: Context, invocation: ModuleInvocation, key: ModuleKey): Fix {
  const order = ctx.api.moduleKeys.map((candidate) => candidate.name);
  const before = invocation.entries.find((entry) => order.indexOf(entry.key) > order.indexOf(key.name));
  const value =
    key.name === 'type'
      ? ([...ctx.facts.structs.keys()][0] ?? 'MyModule')
      : key.name === 'license'
        ? literalOfKind(key.kind, 'GPL')
        : literalOfKind(key.kind, moduleNameFromFile(ctx.fileName, moduleType(invocation) ?? 'my_module'));
  const line = `${key.name}: ${value},`;
  if (before) {
    const indent = indentAt(ctx.lines, before.startIndex);
    return { title: `Add "${line}"`, edits: [insertEdit(ctx.lines, before.startIndex, `${line}\n${indent}`)] };
  }
  const last = invocation.entries[invocation.entries.length - 1];
  const closing = invocation.body.endIndex - 1;
  const indent = last ? indentAt(ctx.lines, last.startIndex) : '    ';
  const after = last ? last.endIndex : invocation.body.startIndex + 1;
  return { title: `Add "${line}"`, edits: [insertEdit(ctx.lines, Math.min(after, closing), `\n${indent}${line}`)] };
}

function checkParams(ctx: Context, block: SyntaxNode): void {
  const { entries, strays } = parseEntries(block);
  for (const stray of strays)
    report(ctx, 'module_param', 'params: expected `NAME: TYPE { default: …, description: "…", },`', stray.startIndex, stray.endIndex);
  for (const param of entries) {
    const [typeNode, fields, ...rest] = param.valueNodes;
    if (!typeNode || !fields || fields.type !== 'token_tree' || rest.length > 0) {
      report(
        ctx,
        'module_param',
        `params: "${param.key}" should read \`${param.key}: TYPE { default: …, description: "…", },\``,
        param.keyNode.startIndex,
        param.endIndex,
      );
      continue;
    }
    if (!ctx.api.paramTypes.includes(typeNode.text)) {
      report(
        ctx,
        'module_param',
        `params: type ${typeNode.text} is not supported for "${param.key}"; use one of ${ctx.api.paramTypes.join(', ')}`,
        typeNode.startIndex,
        typeNode.endIndex,
      );
    }
    const inner = parseEntries(fields).entries.map((entry) => entry.key);
    for (const unknown of inner.filter((name) => name !== 'default' && name !== 'description')) {
      report(
        ctx,
        'module_param',
        `params: unknown key "${unknown}" in "${param.key}". Valid keys are: ["default", "description"].`,
        fields.startIndex,
        fields.endIndex,
      );
    }
    for (const missing of ['default', 'description'].filter((name) => !inner.includes(name))) {
      report(ctx, 'module_param', `params: missing required key "${missing}" in "${param.key}"`, fields.startIndex, fields.endIndex);
    }
    if (inner.includes('default') && inner.includes('description') && inner.indexOf('default') > inner.indexOf('description')) {
      report(
        ctx,
        'module_param',
        'params: keys are not ordered as expected. Order them like: ["default", "description"].',
        fields.startIndex,
        fields.endIndex,
      );
    }
  }
}

function checkType(ctx: Context, invocation: ModuleInvocation): void {
  const entry = invocation.entries.find((candidate) => candidate.key === 'type' && candidate.value.kind === 'ident');
  if (!entry || ctx.facts.openWorld) return;
  const name = entry.value.kind === 'ident' ? entry.value.text : '';
  const node = entry.valueNodes[0]!;
  if (!ctx.facts.knownTypeNames.has(name)) {
    const insertAt = invocation.node.endIndex;
    report(
      ctx,
      'module_type_not_found',
      `"${name}" names no type in this file: declare it (struct ${name}) or fix the name`,
      node.startIndex,
      node.endIndex,
      [{ title: `Add \`struct ${name};\``, edits: [insertEdit(ctx.lines, insertAt, `\n\nstruct ${name};`)] }],
    );
    return;
  }
  const struct = ctx.facts.structs.get(name);
  if (invocation.macro !== 'module' || !struct || implementsTrait(ctx.facts, name, 'Module', 'InPlaceModule')) return;
  const trait = struct.pinData && ctx.api.inPlaceModule ? 'kernel::InPlaceModule' : 'kernel::Module';
  const fix = implementModuleFix(ctx.lines, ctx.api, struct);
  report(
    ctx,
    'module_missing_impl',
    `"${name}" does not implement ${trait}, which module! needs (its init runs when the module loads)`,
    node.startIndex,
    node.endIndex,
    fix ? [fix] : [],
  );
}

export function checkModuleMacros(input: ModuleCheckInput): ModuleFinding[] {
  // Most files declare no module: skip reading the file's items for them (this runs on every edit).
  const invocations = findModuleInvocations(input.root);
  if (invocations.length === 0) return [];
  const ctx: Context = {
    ...input,
    fileName: input.fileName,
    lines: input.lines ?? new LineIndex(input.text),
    facts: readModuleFile(input.root),
    versioned: input.api.source !== 'assumed',
    findings: [],
  };
  for (const invocation of invocations) {
    checkEntries(ctx, invocation);
    checkMissingAndOrder(ctx, invocation);
    checkType(ctx, invocation);
  }
  return ctx.findings;
}
