// Files a kernel tree compiles only through `include!` (the bindgen output in rust/bindings/ and
// rust/uapi/): rustc checks them under the lint levels and cfg of the include site, so the linter
// does too. Which file includes which is found once per tree by scanning its rust/ folder for
// `include!` of a literal path or of `concat!(env!("OBJTREE"|"srctree"), "/path")`; the site itself
// is read again from the including file whenever that file changed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { StampedFiles, Stamps } from '../files/stampedFiles';
import { NavTree } from '../parse/navTree';
import type { CfgSet } from './kernelCfg';
import type { SafetyLinter } from './safetyLinter';
import { siteAt, type Site } from './site';

const INCLUDE =
  /include!\s*\(\s*(?:concat!\s*\(\s*env!\s*\(\s*"(?:OBJTREE|srctree|objtree)"\s*\)\s*,\s*"([^"\\]+)"\s*,?\s*\)|"([^"\\]+)")\s*,?\s*\)/g;

function rustFiles(folder: string, found: string[]): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) rustFiles(full, found);
    else if (entry.isFile() && entry.name.endsWith('.rs')) found.push(full);
  }
}

export class IncludeSites {
  /** Included file -> the file that includes it. */
  private includers: Map<string, string> | undefined;

  constructor(
    private readonly treeRoot: string,
    private readonly files: StampedFiles,
    private readonly cfg: CfgSet,
  ) {}

  /** The offsets of `include!` calls in `text` that name `target`. */
  private *includesOf(text: string, includer: string): Generator<{ target: string; offset: number }> {
    for (const match of text.matchAll(INCLUDE)) {
      const target = match[1] !== undefined ? path.join(this.treeRoot, match[1]) : path.resolve(path.dirname(includer), match[2]!);
      yield { target, offset: match.index };
    }
  }

  private find(): Map<string, string> {
    if (this.includers) return this.includers;
    const includers = new Map<string, string>();
    const files: string[] = [];
    rustFiles(path.join(this.treeRoot, 'rust'), files);
    for (const includer of files) {
      const text = readFileSync(includer, 'utf8');
      if (!text.includes('include!')) continue;
      for (const { target } of this.includesOf(text, includer)) includers.set(target, includer);
    }
    return (this.includers = includers);
  }

  /** The include site of `file`, or undefined when the tree includes it nowhere. */
  siteOf(file: string, linter: SafetyLinter, stamps: Stamps): Site | undefined {
    const includer = this.find().get(file);
    if (includer === undefined) return undefined;
    return this.files.fact(includer, `include:${file}`, (text) => this.siteIn(includer, text, file, linter), stamps);
  }

  private siteIn(includer: string, text: string, file: string, linter: SafetyLinter): Site | undefined {
    const offset = [...this.includesOf(text, includer)].find((site) => site.target === file)?.offset;
    if (offset === undefined) return undefined;
    const tree = linter.parse(text);
    try {
      let node = new NavTree(tree).root.descendantForIndex(offset);
      while (node.type !== 'macro_invocation' && node.parent) node = node.parent;
      return siteAt(node, includer, this.cfg);
    } finally {
      tree.delete();
    }
  }
}
