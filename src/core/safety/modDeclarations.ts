// Which `mod x;` of a kernel tree declares a file, by Rust 2018's file rules
// (https://doc.rust-lang.org/reference/items/modules.html#module-source-filenames):
// `mod x;` in a crate root or a `mod.rs` file `D/f.rs` means `D/x.rs` or `D/x/mod.rs`; in any other
// module file `D/f.rs` it means `D/f/x.rs` or `D/f/x/mod.rs`; inside `mod a { ... }` the folder gains
// `a/`; `#[path = "p"]` names the file instead, relative to the declaring file's folder (to the
// inline modules' folder inside one).
//
// Bounded: only files that can declare the file by these rules are read (the `.rs` files of its
// folder and of the two folders above it, which hold the `D.rs` of non-mod-rs parents too), only
// those naming the module (or using `#[path`) are parsed, and each parse is kept while the file is
// unchanged. Not followed: `#[path]` on an inline module, and `mod x;` produced by a macro.
import path from 'node:path';
import type { StampedFiles, Stamps } from '../files/stampedFiles';
import { NavTree, type SyntaxNode } from '../parse/navTree';
import type { CfgSet } from './kernelCfg';
import type { SafetyLinter } from './safetyLinter';
import { siteAt, type Site } from './site';
import { outerAttributes } from './syntax';

/** A `mod x;` without a body, as its declaring file states it. */
interface ModItem {
  name: string;
  /** The inline modules around it, outermost first. */
  inline: string[];
  /** Its `#[path = "..."]`, if any. */
  pathAttribute: string | undefined;
  site: Site;
}

const PATH_ATTRIBUTE = /^#\[\s*path\s*=\s*"([^"\\]*)"\s*\]$/;

/** How many folders above the file's own may hold its declaring file. */
const FOLDERS_UP = 2;

function stem(file: string): string {
  return path.basename(file, '.rs');
}

/** The module name a file can be declared under without `#[path]`: `x` for `x.rs` and `x/mod.rs`. */
function moduleName(file: string): string {
  return path.basename(file) === 'mod.rs' ? path.basename(path.dirname(file)) : stem(file);
}

/** The files `item` of `declarer` may mean; `modRs`: the declarer is a crate root or a mod.rs file. */
function targetsOf(declarer: string, item: ModItem, modRs: boolean): string[] {
  const folder = path.dirname(declarer);
  const base = modRs ? folder : path.join(folder, stem(declarer));
  if (item.pathAttribute !== undefined) {
    return [item.inline.length === 0 ? path.resolve(folder, item.pathAttribute) : path.resolve(base, ...item.inline, item.pathAttribute)];
  }
  const dir = path.join(base, ...item.inline);
  return [path.join(dir, `${item.name}.rs`), path.join(dir, item.name, 'mod.rs')];
}

function collectModItems(container: SyntaxNode, inline: string[], declarer: string, cfg: CfgSet, found: ModItem[]): void {
  for (const child of container.namedChildren) {
    if (child.type !== 'mod_item') continue;
    const name = child.childForFieldName('name')?.text.replace(/^r#/, '');
    if (name === undefined) continue;
    const body = child.childForFieldName('body');
    if (body) {
      collectModItems(body, [...inline, name], declarer, cfg, found);
      continue;
    }
    const pathAttribute = outerAttributes(child)
      .map((attribute) => PATH_ATTRIBUTE.exec(attribute.text)?.[1])
      .find((value) => value !== undefined);
    found.push({ name, inline, pathAttribute, site: siteAt(child, declarer, cfg) });
  }
}

/** What a cheap scan of a text tells: the names of its `mod x;` items, and whether it uses `#[path]`. */
interface ModNames {
  names: Set<string>;
  usesPath: boolean;
}

function scanModNames(text: string): ModNames {
  const names = new Set<string>();
  for (const match of text.matchAll(/\bmod\s+(?:r#)?([A-Za-z_][A-Za-z0-9_]*)\s*;/g)) names.add(match[1]!);
  return { names, usesPath: text.includes('#[path') };
}

export class ModDeclarations {
  constructor(
    private readonly root: string,
    private readonly files: StampedFiles,
    private readonly cfg: CfgSet,
  ) {}

  /**
   * The `mod x;` that declares `file`, or undefined. `isModuleFile(other)` says whether another
   * file is itself a declared module (then its `mod` items live in its own folder `other/`), not a
   * crate root. Every file and folder read is recorded in `stamps`.
   */
  siteOf(file: string, linter: SafetyLinter, stamps: Stamps, isModuleFile: (other: string) => boolean): Site | undefined {
    const name = moduleName(file);
    for (const candidate of this.candidates(file, stamps)) {
      const scan = this.files.fact(candidate, 'modNames', scanModNames, stamps);
      if (!scan || !(scan.names.has(name) || scan.usesPath)) continue;
      const items = this.files.fact(candidate, 'modItems', (text) => this.parseModItems(candidate, text, linter), stamps) ?? [];
      const isModRsFile = path.basename(candidate) === 'mod.rs';
      for (const item of items) {
        const asRoot = targetsOf(candidate, item, true).includes(file);
        const asModule = !isModRsFile && targetsOf(candidate, item, false).includes(file);
        if (!asRoot && !asModule) continue;
        // A mod.rs file resolves like a crate root; any other file depends on whether it is one.
        const declared = isModRsFile ? false : isModuleFile(candidate);
        if ((asRoot && !declared) || (asModule && declared)) return item.site;
      }
    }
    return undefined;
  }

  /** The files that may declare `file`: the `.rs` files of its folder and the folders above it. */
  private candidates(file: string, stamps: Stamps): string[] {
    const found: string[] = [];
    let folder = path.dirname(file);
    for (let up = 0; up <= FOLDERS_UP; up++) {
      const relative = path.relative(this.root, folder);
      if (relative.startsWith('..') || path.isAbsolute(relative)) break;
      found.push(...this.files.rustFilesIn(folder, stamps).filter((candidate) => candidate !== file));
      if (folder === this.root) break;
      folder = path.dirname(folder);
    }
    return found;
  }

  private parseModItems(file: string, text: string, linter: SafetyLinter): ModItem[] {
    const items: ModItem[] = [];
    const tree = linter.parse(text);
    try {
      collectModItems(new NavTree(tree).root, [], file, this.cfg, items);
    } finally {
      tree.delete();
    }
    return items;
  }
}
