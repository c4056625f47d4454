// Reads the module API of a kernel tree. The version number gives a first answer; the tree's own
// files then correct it, because stable lines get backports (Debian's 6.12.117 has `KVec`, which
// arrived in 6.13): the `module!` keys come from rust/macros/module.rs, the rest from which files
// and items rust/kernel/ holds.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readKernelVersion } from '../kernel/kernelTree';
import { apiForVersion, newestApi, REQUIRED_MODULE_KEYS, type KernelApi, type ModuleKey, type ModuleValueKind } from './kernelApi';

export interface DetectedApi {
  api: KernelApi;
  /** Why the tree could not tell (the API then comes from the version, or is assumed). */
  note?: string;
}

/** An O= build folder points at its sources through the `source` link kbuild makes. */
function sourceDir(kdir: string): string {
  const link = path.join(kdir, 'source');
  return existsSync(path.join(link, 'rust')) ? link : kdir;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const OLD_STYLE_PARSERS: Readonly<Record<string, ModuleValueKind>> = {
  expect_ident: 'ident',
  expect_byte_string: 'byteString',
  expect_string: 'string',
  expect_string_ascii: 'string',
  expect_string_array: 'stringArray',
};

/**
 * `module!` keys from the macro's source. Up to 6.x the macro lists `EXPECTED_KEYS` and parses each
 * key with an `expect_*` helper; the `syn` rewrite (7.x) declares them in `parse_ordered_fields!`.
 */
export function parseModuleKeys(source: string): ModuleKey[] | undefined {
  // (7.x's parse_ordered_fields! also defines EXPECTED_KEYS, from `stringify!`: no names in quotes.)
  const oldList = /const EXPECTED_KEYS: &\[&str\] =\s*&\[([^\]]*)\]/.exec(source)?.[1] ?? '';
  const names = [...oldList.matchAll(/"(\w+)"/g)].map((match) => match[1] ?? '');
  if (names.length > 0) {
    const required = /const REQUIRED_KEYS: &\[&str\] = &\[([^\]]*)\]/.exec(source)?.[1];
    const requiredNames = required ? [...required.matchAll(/"(\w+)"/g)].map((match) => match[1]) : REQUIRED_MODULE_KEYS;
    return names.map((name) => {
      const parser = new RegExp(`"${name}" => [^\\n]*?(expect_\\w+)\\(`).exec(source)?.[1] ?? '';
      return { name, kind: OLD_STYLE_PARSERS[parser] ?? 'string', required: requiredNames.includes(name) };
    });
  }
  const start = source.indexOf('impl Parse for ModuleInfo');
  if (start === -1) return undefined;
  const body = source.slice(start, source.indexOf('Ok(ModuleInfo', start));
  const keys: ModuleKey[] = [];
  // `type as type_ [required] => input.parse()?,` or `authors => { … bracketed!(…) … },`
  const field = /^\s*(\w+)(?: as \w+)?\s*(\[required\])?\s*=>\s*(\{[\s\S]*?\n\s*\},|[^\n]*,)/gm;
  for (const match of body.matchAll(field)) {
    const [, name = '', required, parser = ''] = match;
    if (name === 'from') continue;
    const kind: ModuleValueKind =
      name === 'type' ? 'ident' : parser.includes('bracketed!') ? 'stringArray' : parser.includes('braced!') ? 'params' : 'string';
    keys.push({ name, kind, required: required !== undefined });
  }
  return keys.length > 0 ? keys : undefined;
}

/** `"i8" => …PARAM_OPS_I8` arms of `param_ops_path`. */
export function parseParamTypes(source: string): string[] {
  const start = source.indexOf('fn param_ops_path');
  if (start === -1) return [];
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/"(\w+)" =>/g)].map((match) => match[1] ?? '');
}

export function detectKernelApi(kdir: string | undefined): DetectedApi {
  if (!kdir) return { api: newestApi(), note: 'no kernel folder is configured (rustForLinux.kernelDir or --kdir)' };
  const version = readKernelVersion(kdir);
  if (!version) return { api: newestApi(), note: `${kdir} has no kernel Makefile with VERSION/PATCHLEVEL` };
  const api: KernelApi = { ...apiForVersion(version), kdir };
  const src = sourceDir(kdir);
  const rust = (relative: string) => path.join(src, 'rust', relative);
  const moduleRs = readIfExists(rust('macros/module.rs'));
  if (moduleRs === undefined) {
    return {
      api,
      note: `${kdir} has no rust/macros/module.rs (a tree without Rust support?): using the Linux ${version.text} API by version`,
    };
  }
  const keys = parseModuleKeys(moduleRs);
  if (keys) api.moduleKeys = keys;
  api.synModuleMacro = moduleRs.includes('parse_ordered_fields!');
  api.paramTypes = keys?.some((candidate) => candidate.name === 'params') ? parseParamTypes(moduleRs) : [];
  api.vector = existsSync(rust('kernel/alloc/kvec.rs'))
    ? 'kvec'
    : existsSync(rust('kernel/alloc/vec_ext.rs'))
      ? 'vecPushFlags'
      : 'vecTryPush';
  api.allPrintMacros = /macro_rules! pr_err/.test(readIfExists(rust('kernel/print.rs')) ?? '');
  api.pinInit = existsSync(rust('kernel/sync/lock/mutex.rs')) && (existsSync(rust('kernel/init.rs')) || existsSync(rust('pin-init')));
  api.inPlaceModule = /pub trait InPlaceModule/.test(readIfExists(rust('kernel/lib.rs')) ?? '');
  api.miscDeviceIo =
    /fn write_iter/.test(readIfExists(rust('kernel/miscdevice.rs')) ?? '') && existsSync(rust('kernel/sync/lock/global.rs'));
  api.platformDriver = /type Data<'bound>/.test(readIfExists(rust('kernel/platform.rs')) ?? '');
  api.kunitTests = existsSync(rust('macros/kunit.rs'));
  api.source = 'tree';
  return keys
    ? { api }
    : { api, note: `could not read the module! keys from ${rust('macros/module.rs')}: using those of Linux ${version.text} by version` };
}
