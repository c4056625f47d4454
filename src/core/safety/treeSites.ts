// What a kernel tree's build decides for one of its files from outside it: the chain of items that
// bring the file into its crate (`include!` calls and `mod x;` declarations, up to the crate root)
// decides whether it is compiled at all and which lint levels it inherits. One per configured tree
// (CfgSet.sites); answers are cached and kept while the files they were read from are unchanged, so
// a language server asking on every keystroke costs a few `stat` calls every RECHECK_MS at most.
import path from 'node:path';
import { StampedFiles, stampsFresh, type Stamps } from '../files/stampedFiles';
import { IncludeSites } from './includeSites';
import { kbuildLints } from './kbuildLints';
import type { CfgSet } from './kernelCfg';
import { ModDeclarations } from './modDeclarations';
import type { SafetyLinter } from './safetyLinter';
import type { RuleLevels, Site } from './site';

/** How long an answer is trusted before the files it came from are checked for changes. */
const RECHECK_MS = 2_000;

export interface SiteVerdict {
  /** False when an item on the chain is under a false `#[cfg]` (e.g. `#[cfg(test)] mod tests;`). */
  compiled: boolean;
  /** The levels the chain sets, the nearest item's winning; rules it says nothing about are absent. */
  levels: RuleLevels;
  /** The declaring files, nearest first; empty for a crate root. */
  chain: string[];
  /** False when kbuild builds the file's crate without clippy (`skip_clippy` in rust/Makefile). */
  clippyRuns: boolean;
  /** The tree's `.clippy.toml` has `check-private-items = true` (doc lints on private items too). */
  checkPrivateItems: boolean;
}

interface Entry {
  /** Undefined for a file that nothing in the tree includes or declares (a crate root, or unknown). */
  verdict: SiteVerdict | undefined;
  /** Whether a `mod` item declares the file (then its own `mod x;` items resolve in its folder). */
  declaredByMod: boolean;
  stamps: Stamps;
  checkedAt: number;
}

export class TreeSites {
  private readonly files = new StampedFiles();
  private readonly includes: IncludeSites;
  private readonly mods: ModDeclarations;
  private readonly entries = new Map<string, Entry>();
  /** Files being looked up: a declaration cycle ends at the second visit. */
  private readonly pending = new Set<string>();

  /** `recheckMs`: how long an answer is trusted before its files are checked for changes. */
  constructor(
    private readonly root: string,
    cfg: CfgSet,
    private readonly recheckMs = RECHECK_MS,
  ) {
    this.includes = new IncludeSites(root, this.files, cfg);
    this.mods = new ModDeclarations(root, this.files, cfg);
  }

  /**
   * The verdict for `file`: its chain of declarations, under the levels of the tree's command line
   * and whether clippy runs on its crate at all (kbuildLints.ts). Undefined for a file that nothing
   * declares in a tree whose makefiles decide nothing.
   */
  verdict(file: string, linter: SafetyLinter): SiteVerdict | undefined {
    const resolved = path.resolve(file);
    const own = this.lookup(resolved, linter)?.verdict;
    const kbuild = kbuildLints(this.root, this.files, new Map());
    if (!kbuild) return own;
    const base = own ?? { compiled: true, levels: {}, chain: [], clippyRuns: true, checkPrivateItems: true };
    const crateRoot = base.chain.at(-1) ?? resolved;
    const inRust = !path.relative(path.join(this.root, 'rust'), crateRoot).startsWith('..');
    const built = !inRust || kbuild.rustMakefileSources === undefined || kbuild.rustMakefileSources.has(crateRoot);
    return {
      ...base,
      compiled: base.compiled && built,
      levels: { ...kbuild.commandLine, ...base.levels },
      clippyRuns: !kbuild.unclippedRoots.has(crateRoot),
      checkPrivateItems: kbuild.checkPrivateItems,
    };
  }

  private lookup(file: string, linter: SafetyLinter): Entry | undefined {
    const now = Date.now();
    const known = this.entries.get(file);
    // Trusted for recheckMs after the last check of its files (not after the last use: a user who
    // keeps typing must still see an edit of the declaring file on disk).
    if (known && now - known.checkedAt < this.recheckMs) return known;
    if (known && stampsFresh(known.stamps)) {
      known.checkedAt = now;
      return known;
    }
    if (this.pending.has(file)) return undefined;
    this.pending.add(file);
    try {
      const stamps: Stamps = new Map();
      const depend = (other: Entry | undefined): Entry | undefined => {
        for (const [name, stamp] of other?.stamps ?? []) stamps.set(name, stamp);
        return other;
      };
      const included = this.includes.siteOf(file, linter, stamps);
      const declared = included
        ? undefined
        : this.mods.siteOf(file, linter, stamps, (other) => depend(this.lookup(other, linter))?.declaredByMod ?? false);
      const site: Site | undefined = included ?? declared;
      const parent = site ? depend(this.lookup(site.declarer, linter))?.verdict : undefined;
      const verdict = site && {
        compiled: site.compiled && (parent?.compiled ?? true),
        levels: { ...parent?.levels, ...site.levels },
        chain: [site.declarer, ...(parent?.chain ?? [])],
        clippyRuns: true,
        checkPrivateItems: true,
      };
      const entry: Entry = { verdict, declaredByMod: declared !== undefined, stamps, checkedAt: now };
      this.entries.set(file, entry);
      return entry;
    } finally {
      this.pending.delete(file);
    }
  }
}
