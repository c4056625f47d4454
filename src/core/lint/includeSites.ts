// Files a kernel tree compiles only through `include!` (the bindgen output in rust/bindings/ and
// rust/uapi/): rustc checks them under the lint levels and cfg of the include site, so the linter
// does too. The sites are found once per tree by scanning its rust/ folder for `include!` of a
// literal path or of `concat!(env!("OBJTREE"|"srctree"), "/path")`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NavTree } from '../parse/navTree';
import { isCompiledNode } from '../safety/cfgFilter';
import { isLintAllowed } from '../safety/lintLevels';
import { RULE_NAMES, type RuleName } from '../safety/rules';
import type { SafetyLinter } from '../safety/safetyLinter';
import type { CfgSet } from './kernelCfg';

const INCLUDE =
  /include!\s*\(\s*(?:concat!\s*\(\s*env!\s*\(\s*"(?:OBJTREE|srctree|objtree)"\s*\)\s*,\s*"([^"\\]+)"\s*,?\s*\)|"([^"\\]+)")\s*,?\s*\)/g;

interface Site {
  includer: string;
  offset: number;
}

/** What the include site decides for the included file. */
export interface IncludedFile {
  compiled: boolean;
  /** Rules allowed at the site (`#[allow]` on the call or around it). */
  allowed: Set<RuleName>;
}

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
  private sites: Map<string, Site> | undefined;

  constructor(private readonly treeRoot: string) {}

  private find(): Map<string, Site> {
    if (this.sites) return this.sites;
    const sites = new Map<string, Site>();
    const files: string[] = [];
    rustFiles(path.join(this.treeRoot, 'rust'), files);
    for (const includer of files) {
      const text = readFileSync(includer, 'utf8');
      if (!text.includes('include!')) continue;
      for (const match of text.matchAll(INCLUDE)) {
        const target = match[1] !== undefined ? path.join(this.treeRoot, match[1]) : path.resolve(path.dirname(includer), match[2]!);
        sites.set(target, { includer, offset: match.index });
      }
    }
    return (this.sites = sites);
  }

  /** The include site's verdict for `file`, or undefined when the tree includes it nowhere. */
  verdict(file: string, linter: SafetyLinter, cfg: CfgSet): IncludedFile | undefined {
    const site = this.find().get(path.resolve(file));
    if (!site) return undefined;
    const text = readFileSync(site.includer, 'utf8');
    const tree = linter.parse(text);
    try {
      let node = new NavTree(tree).root.descendantForIndex(site.offset);
      while (node.type !== 'macro_invocation' && node.parent) node = node.parent;
      const allowed = new Set(RULE_NAMES.filter((rule) => isLintAllowed(rule, node)));
      return { compiled: isCompiledNode(node, cfg), allowed };
    } finally {
      tree.delete();
    }
  }
}
