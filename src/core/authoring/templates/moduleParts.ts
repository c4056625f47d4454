// Pieces the module templates share, each written the way the target kernel spells it: the
// `module!` declaration (keys, order, literal kinds), the vector type and its push.
import { hasModuleKey, moduleKey, type KernelApi, type ModuleValueKind } from '../kernelApi';
import { placeholder } from './snippetText';

/** What a template is filled with; in snippets each becomes a placeholder with this default. */
export interface TemplateContext {
  /** Module name, `rust_hello` (also the file name and `name:`). */
  moduleName: string;
  /** Module type, `RustHello`. */
  typeName: string;
  author: string;
  description: string;
}

/** Placeholder indexes every module template uses, so the same field is linked everywhere. */
export const SLOT = { name: 1, type: 2, author: 3, description: 4 } as const;

export function slots(ctx: TemplateContext): { name: string; type: string; author: string; description: string } {
  return {
    name: placeholder(SLOT.name, ctx.moduleName),
    type: placeholder(SLOT.type, ctx.typeName),
    author: placeholder(SLOT.author, ctx.author),
    description: placeholder(SLOT.description, ctx.description),
  };
}

/** A text value for `key` as this kernel's macro wants it: `"x"`, `b"x"` or `["x"]`. */
export function moduleLiteral(api: KernelApi, key: string, text: string): string {
  return literalOfKind(moduleKey(api, key)?.kind, text);
}

/** `text` written as a value of this kind (a plain string for any other). */
export function literalOfKind(kind: ModuleValueKind | undefined, text: string): string {
  switch (kind) {
    case 'byteString':
      return `b"${text}"`;
    case 'stringArray':
      return `["${text}"]`;
    default:
      return `"${text}"`;
  }
}

/** The author line: `authors: [..]` where the kernel has it, else `author:`; none if neither. */
export function authorLine(api: KernelApi, author: string): string | undefined {
  if (hasModuleKey(api, 'authors')) return `authors: ["${author}"],`;
  if (hasModuleKey(api, 'author')) return `author: ${moduleLiteral(api, 'author', author)},`;
  return undefined;
}

/**
 * `module! { … }` (or another macro taking the same keys, such as `kernel::module_platform_driver!`)
 * with the keys in the order the kernel's macro enforces. `extra` lines (e.g. `params: { … }`) come last.
 */
export function moduleDeclaration(api: KernelApi, ctx: TemplateContext, options: { macro?: string; extra?: string } = {}): string {
  const s = slots(ctx);
  const lines = [
    `type: ${s.type},`,
    `name: ${moduleLiteral(api, 'name', s.name)},`,
    authorLine(api, s.author),
    `description: ${moduleLiteral(api, 'description', s.description)},`,
    `license: ${moduleLiteral(api, 'license', 'GPL')},`,
    options.extra,
  ].filter((line): line is string => line !== undefined);
  return `${options.macro ?? 'module!'} {\n${lines.map((line) => indent(line)).join('\n')}\n}`;
}

export function indent(text: string, levels = 1): string {
  const pad = '    '.repeat(levels);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** `KVec<T>` or `Vec<T>`. */
export function vecType(api: KernelApi, element: string): string {
  return api.vector === 'kvec' ? `KVec<${element}>` : `Vec<${element}>`;
}

export function vecNew(api: KernelApi): string {
  return api.vector === 'kvec' ? 'KVec::new()' : 'Vec::new()';
}

/** `v.push(x, GFP_KERNEL)?` or 6.1's `v.try_push(x)?`. */
export function vecPush(api: KernelApi, vector: string, value: string): string {
  return api.vector === 'vecTryPush' ? `${vector}.try_push(${value})?` : `${vector}.push(${value}, GFP_KERNEL)?`;
}

/** `pr_err!` where the prelude has it; 6.1 has only `pr_info!`/`pr_emerg!` there. */
export function printMacro(
  api: KernelApi,
  level: 'info' | 'err' | 'warn' | 'notice' | 'debug' | 'emerg' | 'alert' | 'crit',
): string | undefined {
  if (level === 'info' || level === 'emerg' || api.allPrintMacros) return `pr_${level}!`;
  return undefined;
}

export const SPDX = '// SPDX-License-Identifier: GPL-2.0';
