// The `--cfg` set of a configured kernel tree (`include/generated/rustc_cfg`, written by kbuild from
// .config), and the evaluation of `#[cfg(...)]` predicates against it, so that the linter skips code
// the kernel build never compiles, as clippy does. `test` is never set in a kernel build.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TreeSites } from './treeSites';

/** cfgs a kernel build never sets: `test` and the kernel's own `testlib` (host-side test builds only). */
const NEVER_SET: ReadonlySet<string> = new Set(['test', 'testlib', 'doctest', 'miri']);

/**
 * Whether rustc_cfg decides the name: the `CONFIG_` options, and the cfgs a kernel build never sets.
 * Others (`MODULE`, set only for objects built as modules; rustc's `target_arch`, `debug_assertions`,
 * ...) are not in the file, so their value is unknown and the code is kept.
 */
function known(name: string): boolean {
  return name.startsWith('CONFIG_') || NEVER_SET.has(name);
}

export class CfgSet {
  /** `NAME` for `--cfg=NAME`, `NAME=value` for `--cfg=NAME="value"`. */
  private readonly entries = new Set<string>();

  private treeSites: TreeSites | undefined;

  /** `root`: the kernel tree the set belongs to, if any. */
  constructor(
    rustcCfg: string,
    readonly root?: string,
  ) {
    for (const line of rustcCfg.split('\n')) {
      const match = /^--cfg=([A-Za-z_][A-Za-z0-9_]*)(?:="((?:[^"\\]|\\.)*)")?\s*$/.exec(line.trim());
      if (!match) continue;
      this.entries.add(match[2] === undefined ? match[1]! : `${match[1]}=${match[2]}`);
    }
  }

  /** Which item brings each file of the tree into its crate (`include!`, `mod x;`), found on demand. */
  get sites(): TreeSites | undefined {
    if (this.root === undefined) return undefined;
    return (this.treeSites ??= new TreeSites(this.root, this));
  }

  has(name: string, value?: string): boolean {
    return this.entries.has(value === undefined ? name : `${name}=${value}`);
  }

  /**
   * Evaluates the predicate of `#[cfg(PREDICATE)]`: `NAME`, `NAME = "value"`, `all(..)`, `any(..)`,
   * `not(..)`. Undefined for a predicate it cannot read (the code is then linted, as before).
   */
  evaluate(predicate: string): boolean | undefined {
    const tokens = predicate.match(/[A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*"|[(),=]/g) ?? [];
    let at = 0;
    const parse = (): boolean | undefined => {
      const name = tokens[at++];
      if (name === undefined || !/^[A-Za-z_]/.test(name)) return undefined;
      if (tokens[at] === '(' && (name === 'all' || name === 'any' || name === 'not')) {
        at++;
        const values: (boolean | undefined)[] = [];
        while (tokens[at] !== ')') {
          if (tokens[at] === undefined) return undefined;
          values.push(parse());
          if (tokens[at] === ',') at++;
        }
        at++;
        if (values.some((value) => value === undefined)) return undefined;
        if (name === 'not') return values.length === 1 ? !values[0] : undefined;
        return name === 'all' ? values.every(Boolean) : values.some(Boolean);
      }
      if (tokens[at] === '=') {
        const value = tokens[at + 1];
        if (value === undefined || !value.startsWith('"')) return undefined;
        at += 2;
        return known(name) ? this.has(name, value.slice(1, -1)) : undefined;
      }
      return known(name) ? this.has(name) : undefined;
    };
    const result = parse();
    return at === tokens.length ? result : undefined;
  }
}

const RUSTC_CFG = path.join('include', 'generated', 'rustc_cfg');

/** The cfg set of the configured kernel tree that holds `file`, if any (in-tree builds). */
export function kernelCfgFor(file: string, cache = new Map<string, CfgSet | null>()): CfgSet | undefined {
  const visited: string[] = [];
  let found: CfgSet | null = null;
  for (let folder = path.dirname(path.resolve(file)); ; folder = path.dirname(folder)) {
    const known = cache.get(folder);
    if (known !== undefined) {
      found = known;
      break;
    }
    visited.push(folder);
    const candidate = path.join(folder, RUSTC_CFG);
    if (existsSync(candidate) && existsSync(path.join(folder, 'Makefile'))) {
      found = new CfgSet(readFileSync(candidate, 'utf8'), folder);
      break;
    }
    if (path.dirname(folder) === folder) break;
  }
  for (const folder of visited) cache.set(folder, found);
  return found ?? undefined;
}
