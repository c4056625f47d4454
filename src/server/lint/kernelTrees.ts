// The lint worker's view of kernel trees: a document whose file lies in a configured kernel tree
// (one with include/generated/rustc_cfg) is linted under the tree's cfg set and the verdict of the
// `include!` or `mod x;` that brings it into its crate, as `rfl lint` does. Looked up on every lint,
// so both answers are cached: the tree by folder, the verdict per file by the tree (treeSites.ts).
import { kernelCfgFor, type CfgSet } from '../../core/safety/kernelCfg';
import type { SafetyLinter } from '../../core/safety/safetyLinter';
import type { SiteVerdict } from '../../core/safety/treeSites';

export interface KernelLint {
  cfg: CfgSet;
  /** Undefined for a file nothing in the tree includes or declares (a crate root, a new file). */
  site: SiteVerdict | undefined;
}

export class KernelTrees {
  private cfgs = new Map<string, CfgSet | null>();

  of(file: string, linter: SafetyLinter): KernelLint | undefined {
    const cfg = kernelCfgFor(file, this.cfgs);
    return cfg && { cfg, site: cfg.sites?.verdict(file, linter) };
  }

  /** Forgets every tree (a reconfigured kernel has a new rustc_cfg). */
  reset(): void {
    this.cfgs = new Map();
  }
}
