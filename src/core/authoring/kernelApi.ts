// What the Rust module API of one kernel looks like: the `module!` keys and literal kinds, the vector
// API, and which abstractions exist. Facts come from the kernel tree itself where it can tell
// (detectKernelApi.ts), else from the version number (the table below, from
// ../shared/reference/kernel-rust-api.md), else the newest API is assumed and the caller says so.
import type { KernelVersion } from '../kernel/kernelTree';

/** How a `module!` value is written. */
export type ModuleValueKind =
  | 'ident' // `type: Foo` (a path or type from 7.x on; an identifier before)
  | 'string' // `"x"`
  | 'byteString' // `b"x"` (6.1)
  | 'stringArray' // `["a", "b"]`
  | 'params'; // `{ name: i32 { default: 1, description: "…", }, }`

export interface ModuleKey {
  name: string;
  kind: ModuleValueKind;
  required: boolean;
}

export type VectorApi =
  | 'vecTryPush' // 6.1: `Vec<T>`, `v.try_push(x)?`
  | 'vecPushFlags' // 6.10: `Vec<T>`, `v.push(x, GFP_KERNEL)?`
  | 'kvec'; // 6.13 (6.12.y): `KVec<T>`, `v.push(x, GFP_KERNEL)?`

/** Where the facts came from, for messages ("Linux 6.12.117 (read from the tree)"). */
export type ApiSource = 'tree' | 'version' | 'assumed';

export interface KernelApi {
  /** `6.12.117`, or undefined when no kernel is configured. */
  version: string | undefined;
  source: ApiSource;
  /** Folder the facts were read from. */
  kdir?: string;
  /** `module!` keys in the order the macro enforces. */
  moduleKeys: ModuleKey[];
  vector: VectorApi;
  /** `pr_err!`, `pr_warn!`, … in the prelude (6.1 has only `pr_info!` and `pr_emerg!`). */
  allPrintMacros: boolean;
  /** `#[pin_data]`, `try_pin_init!`, `new_mutex!`, `kernel::sync::Mutex` (6.4). */
  pinInit: boolean;
  /** `kernel::InPlaceModule` (6.14). */
  inPlaceModule: boolean;
  /** `kernel::miscdevice` with `read_iter`/`write_iter` and `kernel::sync::global_lock!`. */
  miscDeviceIo: boolean;
  /** `kernel::platform::Driver` with `type Data<'bound>` and `module_platform_driver!`. */
  platformDriver: boolean;
  /** `#[kunit_tests(suite)]` for a module's own KUnit tests (6.15). */
  kunitTests: boolean;
  /** The parameter types `params:` accepts; empty when the key does not exist. */
  paramTypes: string[];
  /**
   * `module!` parses with `syn` (7.x): `type` may be a path, a `-` in `name` becomes `_`, and strings
   * may hold escapes or be raw. The 6.x macro takes one identifier and plain strings only.
   */
  synModuleMacro: boolean;
}

const NEWEST_KNOWN_MAJOR = 7;
const NEWEST_KNOWN_MINOR = 2;

export const PARAM_TYPES = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'isize', 'usize'];
export const REQUIRED_MODULE_KEYS = ['type', 'name', 'license'];

function key(name: string, kind: ModuleValueKind): ModuleKey {
  return { name, kind, required: REQUIRED_MODULE_KEYS.includes(name) };
}

/** `module!` keys by version, for trees whose macro source cannot be read. */
export function moduleKeysForVersion(major: number, minor: number): ModuleKey[] {
  const at = (m: number, n: number) => major > m || (major === m && minor >= n);
  const text: ModuleValueKind = at(6, 2) ? 'string' : 'byteString';
  const keys = [key('type', 'ident'), key('name', text)];
  if (!at(6, 17)) keys.push(key('author', text));
  if (at(6, 15)) keys.push(key('authors', 'stringArray'));
  keys.push(key('description', text), key('license', text));
  keys.push(key('alias', at(6, 4) ? 'stringArray' : text));
  if (at(6, 12)) keys.push(key('firmware', 'stringArray'));
  if (at(6, 13)) keys.push(key('imports_ns', 'stringArray'));
  if (at(6, 19)) keys.push(key('params', 'params'));
  return keys;
}

/** Versions where the table of `module!` keys changes: every key set some known kernel has. */
const KEY_TABLE_VERSIONS: readonly [number, number][] = [
  [6, 1],
  [6, 2],
  [6, 4],
  [6, 12],
  [6, 13],
  [6, 15],
  [6, 17],
  [6, 19],
  [NEWEST_KNOWN_MAJOR, NEWEST_KNOWN_MINOR],
];

/**
 * The `module!` keys that some known kernel accepts, in the order the macros enforce (that order
 * agrees across versions): what may be checked when no kernel is configured.
 */
export function moduleKeysOfAnyKernel(): ModuleKey[] {
  const merged: ModuleKey[] = [];
  for (const [major, minor] of KEY_TABLE_VERSIONS) {
    const keys = moduleKeysForVersion(major, minor);
    keys.forEach((key, index) => {
      const at = merged.findIndex((known) => known.name === key.name);
      // The newest kind wins; a new key goes right after its predecessor in this version's order.
      if (at !== -1) merged[at] = key;
      else merged.splice(index === 0 ? 0 : merged.findIndex((known) => known.name === keys[index - 1]!.name) + 1, 0, key);
    });
  }
  return merged;
}

/** The API a kernel of this version has, by the table; trees can correct it (detectKernelApi). */
export function apiForVersion(
  version: Pick<KernelVersion, 'version' | 'patchlevel'> & { text?: string },
  source: ApiSource = 'version',
): KernelApi {
  const { version: major, patchlevel: minor } = version;
  const at = (m: number, n: number) => major > m || (major === m && minor >= n);
  return {
    version: version.text,
    source,
    moduleKeys: moduleKeysForVersion(major, minor),
    vector: at(6, 13) ? 'kvec' : at(6, 10) ? 'vecPushFlags' : 'vecTryPush',
    allPrintMacros: at(6, 2),
    pinInit: at(6, 4),
    inPlaceModule: at(6, 14),
    // The templates were verified on 7.2; earlier 6.1x trees are judged by their own files.
    miscDeviceIo: at(7, 2),
    platformDriver: at(7, 2),
    kunitTests: at(6, 15),
    paramTypes: at(6, 19) ? [...PARAM_TYPES] : [],
    synModuleMacro: at(7, 0),
  };
}

/** The newest API this tool knows: what is assumed when no kernel is configured. */
export const NEWEST_KNOWN = { version: NEWEST_KNOWN_MAJOR, patchlevel: NEWEST_KNOWN_MINOR } as const;

export function newestApi(): KernelApi {
  return { ...apiForVersion(NEWEST_KNOWN, 'assumed'), version: undefined };
}

export function hasModuleKey(api: KernelApi, name: string): boolean {
  return api.moduleKeys.some((candidate) => candidate.name === name);
}

export function moduleKey(api: KernelApi, name: string): ModuleKey | undefined {
  return api.moduleKeys.find((candidate) => candidate.name === name);
}

/** "Linux 6.12.117 (read from /path)" / "the newest API (no kernel configured)". */
export function describeApi(api: KernelApi): string {
  if (api.source === 'assumed' || !api.version)
    return `the newest known API (Linux ${NEWEST_KNOWN.version}.${NEWEST_KNOWN.patchlevel}; no kernel configured)`;
  return `Linux ${api.version}${api.kdir ? ` (${api.kdir})` : ''}`;
}
