// The crates.io crates that `std` is built from, when the rustc library sources carry them in
// `<library>/vendor/<name>-<version>` (Debian's rust-src does), as sysroot dependencies for
// rust-analyzer (see sysrootProject.ts).
//
// Why: the kernel's generator gives `std` only `core` and `alloc`. Without `hashbrown`, which
// `std::collections::HashMap` and `HashSet` wrap, rust-analyzer 1.97.1 cannot type
// `HashMap::new()` and reports false E0282 "type annotations needed" in the kernel's `macros`
// (vtable.rs) and `scripts/generate_rust_target.rs` (6 on the 6.12 test kernel; none with it).
// Only `hashbrown` is added: std's other dependencies (libc, cfg-if, the backtrace crates) shape no
// type that kernel or host crates use. rust-analyzer itself would read these through
// `cargo metadata` on the library's Cargo.toml, which needs crates.io.
//
// The version and features come from std's Cargo.toml and the vendored crate's own Cargo.toml (a
// small reader for the two keys needed, not a TOML parser).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SysrootDependency } from './sysrootProject';

/** The vendored crates of std that rust-analyzer needs, and the sysroot crates each depends on. */
const STD_VENDORED: readonly { name: string; deps: string[] }[] = [
  // Built for std against core and alloc (its `rustc-std-workspace-*` dependencies stand for them).
  { name: 'hashbrown', deps: ['core', 'alloc'] },
];

/** The inline table `name = { ... }` of a Cargo.toml, or undefined. */
function inlineTable(toml: string, name: string): string | undefined {
  return new RegExp(`^${escape(name)}\\s*=\\s*\\{([^}]*)\\}`, 'm').exec(toml)?.[1];
}

/** `text` matched literally in a regular expression. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The quoted strings of `key = [ ... ]` inside `text` (an array may span lines). */
function stringArray(text: string, key: string): string[] {
  const body = new RegExp(`(?:^|[\\s,{])"?${escape(key)}"?\\s*=\\s*\\[([^\\]]*)\\]`, 'm').exec(text)?.[1] ?? '';
  return [...body.matchAll(/["']([^"']*)["']/g)].map((match) => match[1] ?? '');
}

/** The `[section]` of a Cargo.toml, up to the next section header. */
function section(toml: string, name: string): string {
  const header = new RegExp(`^\\[${escape(name)}\\]\\s*$`, 'm').exec(toml);
  if (!header) return '';
  const body = toml.slice(header.index + header[0].length);
  const end = body.search(/^\[/m);
  return end < 0 ? body : body.slice(0, end);
}

/**
 * Cargo's feature closure: the features named and those they enable, as `feature="x"` cfgs.
 * `dep:x` and `x/y` (a dependency's feature) enable no feature of this crate, `x?/y` neither.
 */
function featureCfgs(features: string[], table: string): string[] {
  const enabled = new Set<string>();
  const visit = (feature: string) => {
    if (enabled.has(feature) || feature.includes('/') || feature.startsWith('dep:')) return;
    enabled.add(feature);
    stringArray(table, feature).forEach(visit);
  };
  features.forEach(visit);
  return [...enabled].sort().map((feature) => `feature="${feature}"`);
}

/** std's vendored dependencies under `library` that rust-analyzer needs (see the file comment); none without vendored sources. */
export function stdVendoredDependencies(library: string): SysrootDependency[] {
  const stdManifest = path.join(library, 'std', 'Cargo.toml');
  if (!existsSync(stdManifest)) return [];
  const std = readFileSync(stdManifest, 'utf8');
  return STD_VENDORED.flatMap(({ name, deps }) => {
    const entry = inlineTable(std, name);
    const version = entry && /version\s*=\s*"([^"]+)"/.exec(entry)?.[1];
    if (!entry || !version) return [];
    const folder = [path.join(library, 'vendor', `${name}-${version}`), path.join(library, 'vendor', name)].find((candidate) =>
      existsSync(path.join(candidate, 'Cargo.toml')),
    );
    const root = folder && path.join(folder, 'src', 'lib.rs');
    if (!folder || !root || !existsSync(root)) return [];
    const manifest = readFileSync(path.join(folder, 'Cargo.toml'), 'utf8');
    const features = [...stringArray(entry, 'features'), ...(/default-features\s*=\s*false/.test(entry) ? [] : ['default'])];
    return [
      {
        crate: {
          display_name: name,
          root_module: root,
          edition: /^edition\s*=\s*"([^"]+)"/m.exec(section(manifest, 'package'))?.[1] ?? '2015',
          cfg: featureCfgs(features, section(manifest, 'features')),
          is_workspace_member: false,
          is_proc_macro: false,
        },
        deps,
        usedBy: 'std',
      },
    ];
  });
}
