// What a kernel tree's makefiles decide about clippy for all its Rust code, read from the tree (it
// changes between releases, see ../shared/reference/editor-clients.md):
// - the lint levels on the command line: `rust_common_flags` in the top Makefile (`-Wclippy::all`,
//   `-Wclippy::undocumented_unsafe_blocks`, ...). They are the outermost level, below every attribute
//   in the source; a clippy lint they do not name keeps clippy's default (the restriction lints are
//   off: 6.1 enables none of the SAFETY lints but `missing_safety_doc`, through `clippy::style`);
// - the crates built without clippy: `$(obj)/X: private skip_clippy = 1` in rust/Makefile (core,
//   6.1's vendored alloc, 7.x's syn, quote, proc-macro2 and zerocopy). clippy sees none of their files;
// - whether clippy's doc lints look at private items (`check-private-items` in `.clippy.toml`);
// - the crate roots rust/Makefile compiles at all: other `.rs` files of rust/ that no `mod` or
//   `include!` reaches (7.2's vendored zerocopy/benches) are never built.
// A tree whose Makefile holds no `rust_common_flags` decides nothing (the files are linted as before).
import path from 'node:path';
import type { StampedFiles, Stamps } from '../files/stampedFiles';
import type { RuleLevels } from './site';
import { RULE_NAMES, RULES } from './rules';

export interface KbuildLints {
  /** The command line's level for each clippy rule, clippy's default where it names none. */
  commandLine: RuleLevels;
  /** The root files (absolute) of the crates kbuild compiles without clippy. */
  unclippedRoots: Set<string>;
  /**
   * The `.rs` files rust/Makefile names (crate roots and generated includes); a crate root in rust/
   * that is not among them is never compiled (7.2's zerocopy/benches). Undefined if it names none.
   */
  rustMakefileSources: Set<string> | undefined;
  /** `check-private-items = true` in the tree's `.clippy.toml` (6.12 has it; 6.1 has no such file). */
  checkPrivateItems: boolean;
}

const LEVEL_FLAG = /^-([WDAF])\s*((?:clippy::)?[a-z_]+)$/;

function commandLineLevels(makefile: string): RuleLevels | undefined {
  const lines = makefile.split('\n');
  const start = lines.findIndex((line) => /^\s*(?:export\s+)?rust_common_flags\s*:?=/.test(line));
  if (start === -1) return undefined;
  const flags: string[] = [];
  for (let at = start; at < lines.length; at++) {
    const line = lines[at]!;
    flags.push(...line.replace(/\\$/, '').split(/\s+/));
    if (!line.endsWith('\\')) break;
  }
  const levels: RuleLevels = {};
  for (const rule of RULE_NAMES) {
    const info = RULES[rule];
    if (!info.clippy) continue;
    // `warnings` is left out: `-Dwarnings` turns warnings into errors, it enables no allowed lint.
    const names = new Set([`clippy::${rule}`, ...info.groups]);
    let level: 'allow' | 'enable' | undefined = info.groups.includes('clippy::restriction') ? 'allow' : undefined;
    for (const flag of flags) {
      const match = LEVEL_FLAG.exec(flag);
      if (match && names.has(match[2]!)) level = match[1] === 'A' ? 'allow' : 'enable';
    }
    if (level) levels[rule] = level;
  }
  return levels;
}

function makefileSources(rustMakefile: string, rustFolder: string): Set<string> | undefined {
  const sources = new Set<string>();
  for (const match of rustMakefile.matchAll(/\$\((?:src|obj)\)\/([^\s:$]+\.rs)\b/g)) sources.add(path.join(rustFolder, match[1]!));
  return sources.size > 0 ? sources : undefined;
}

function unclippedRoots(rustMakefile: string, rustFolder: string): Set<string> {
  const roots = new Set<string>();
  // The target as written (`libsyn.rlib`, `$(libzerocopy_derive_name)`), matched to its own rule's source.
  for (const match of rustMakefile.matchAll(/^\$\(obj\)\/([^\s:]+)\s*:\s*private\s+skip_clippy\s*=\s*1\s*$/gm)) {
    const target = match[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const rule = new RegExp(`^\\$\\(obj\\)/${target}\\s*:\\s*\\$\\(src\\)/(\\S+\\.rs)`, 'm').exec(rustMakefile);
    if (rule) roots.add(path.join(rustFolder, rule[1]!));
  }
  return roots;
}

/** The tree's decisions, or undefined when its Makefile holds no `rust_common_flags`. Files read go into `stamps`. */
export function kbuildLints(root: string, files: StampedFiles, stamps: Stamps): KbuildLints | undefined {
  const commandLine = files.fact(path.join(root, 'Makefile'), 'rustCommonFlags', commandLineLevels, stamps);
  if (!commandLine) return undefined;
  const rustFolder = path.join(root, 'rust');
  const rustMakefile = path.join(rustFolder, 'Makefile');
  const unclipped = files.fact(rustMakefile, 'skipClippy', (text) => unclippedRoots(text, rustFolder), stamps);
  const sources = files.fact(rustMakefile, 'rustSources', (text) => makefileSources(text, rustFolder), stamps);
  const checkPrivateItems =
    files.fact(
      path.join(root, '.clippy.toml'),
      'checkPrivateItems',
      (text) => /^\s*check-private-items\s*=\s*true\b/m.test(text),
      stamps,
    ) ?? false;
  return { commandLine, unclippedRoots: unclipped ?? new Set(), rustMakefileSources: sources, checkPrivateItems };
}
