// The item that brings a file into its crate (an `include!` call, or a `mod x;` declaration) and
// what it decides for that file: rustc checks an included or out-of-line module file as if its text
// stood at that item, so the item's `#[cfg]`, its `#[allow]`/`#[warn]` and everything around it in
// the declaring file (up to that file's own `#![allow(...)]`) apply inside.
import type { SyntaxNode } from '../parse/navTree';
import { isCompiledNode } from './cfgFilter';
import type { CfgSet } from './kernelCfg';
import { declaredLevel, type Level } from './lintLevels';
import { RULE_NAMES, type RuleName } from './rules';

export type RuleLevels = Partial<Record<RuleName, Level>>;

export interface Site {
  /** The file that holds the `include!` or `mod x;`. */
  declarer: string;
  /** Whether the item is compiled under the tree's cfg set, as far as its own file can tell. */
  compiled: boolean;
  /** The levels the declaring file sets at the item; rules it says nothing about are absent. */
  levels: RuleLevels;
}

export function siteAt(node: SyntaxNode, declarer: string, cfg: CfgSet): Site {
  const levels: RuleLevels = {};
  for (const rule of RULE_NAMES) {
    const level = declaredLevel(rule, node);
    if (level) levels[rule] = level;
  }
  return { declarer, compiled: isCompiledNode(node, cfg), levels };
}
