// Moves the rustc sysroot crates that the kernel's generator lists among its crates (core, alloc,
// std, proc_macro from `$(RUST_LIB_SRC)`) into the `sysroot_project` of rust-project.json, where
// rust-analyzer treats them as the standard library.
//
// Why: rust-analyzer gives every crate of `crates` a local origin, whatever its name
// (project-model workspace.rs `project_json_to_crate_graph`); only the crates of a sysroot get the
// "lang" origin (`CrateOrigin::Lang`). And it looks up the inherent methods of primitive types
// (`usize::wrapping_add`, `<*const T>::cast`, `[T]::len`, `str::trim`, reached through `String`
// and `Vec` too) only in crates of that origin (hir-ty method_resolution.rs
// `crates_containing_incoherent_inherent_impls`), and resolves core's non-lang traits such as
// `Debug` and `Eq` for the built-in derives only in a core of that origin (hir-def lang_item.rs
// `fill_non_lang_core_items`). With the kernel's file as written, rust-analyzer 1.97.1 reported 116
// false E0599 "no method" errors in `kernel`, 32 in `macros`, 15 in the `scripts/` crates, and
// E0277 "trait bound not satisfied" (`String: Eq`) in `bindings`, `uapi` and `scripts/` (381
// errors in all, 6.12 test kernel). With the same crates as its sysroot project: none of those.
//
// The other crates' dependencies on the moved crates go: rust-analyzer gives every crate the
// sysroot's `core` and `std` in the prelude (`std` is dropped again for `#![no_std]` crates),
// `alloc` through `extern crate alloc`, and `proc_macro` (project-model `SysrootPublicDeps`,
// `add_proc_macro_dep`); kept, a dependency named `core` on a local copy would shadow the sysroot's.
//
// `sysroot_src` must be named for rust-analyzer to read `sysroot_project` (project_json.rs); it is
// the library folder the kernel's generator took the crates from. `sysroot` stays: rust-analyzer
// finds the proc-macro server and the rustc for the target's cfgs there.
import path from 'node:path';
import type { RustProject, RustProjectCrate, RustProjectDep } from './rustProject';

/** A crate of the rustc library source that the sysroot crates need but the kernel does not list. */
export interface SysrootDependency {
  crate: { display_name: string; root_module: string; edition: string; cfg: string[]; is_workspace_member: false; is_proc_macro: false };
  /** The sysroot crates it depends on, by name. */
  deps: string[];
  /** The sysroot crate that depends on it, and under this crate's name. */
  usedBy: string;
}

/**
 * The library folder of the rustc sources the kernel's generator used (`$(RUST_LIB_SRC)`): where the
 * `core` crate it lists lives, `<library>/core/src/lib.rs`. Undefined when it lists none.
 */
export function sysrootLibrary(project: RustProject): string | undefined {
  const core = project.crates.find((krate) => krate.display_name === 'core' && krate.is_workspace_member === false);
  if (!core || !core.root_module.endsWith(`${path.sep}${path.join('core', 'src', 'lib.rs')}`)) return undefined;
  return path.dirname(path.dirname(path.dirname(core.root_module)));
}

function isUnder(file: string, folder: string): boolean {
  return file.startsWith(`${folder}${path.sep}`);
}

/**
 * The project with the crates of the rustc library folder (not workspace members) moved into
 * `sysroot_project`, with `dependencies` added to it; see the file comment. A project that already
 * has a sysroot project, or lists no sysroot `core`, is returned as it is.
 */
export function withSysrootProject(project: RustProject, dependencies: readonly SysrootDependency[] = []): RustProject {
  const library = sysrootLibrary(project);
  if (project.sysroot_project !== undefined || library === undefined) return project;
  const inSysroot = (krate: RustProjectCrate) => krate.is_workspace_member === false && isUnder(krate.root_module, library);
  const sysrootIndex = new Map<number, number>();
  const localIndex = new Map<number, number>();
  project.crates.forEach((krate, index) => {
    if (inSysroot(krate)) sysrootIndex.set(index, sysrootIndex.size);
    else localIndex.set(index, localIndex.size);
  });
  const remap = (deps: RustProjectDep[], index: Map<number, number>): RustProjectDep[] =>
    deps.flatMap((dep) => {
      const crate = index.get(dep.crate);
      return crate === undefined ? [] : [{ ...dep, crate }];
    });
  const sysrootCrates = project.crates.filter(inSysroot).map((krate) => ({ ...krate, deps: remap(krate.deps, sysrootIndex) }));
  const crates = project.crates.filter((krate) => !inSysroot(krate)).map((krate) => ({ ...krate, deps: remap(krate.deps, localIndex) }));
  addDependencies(sysrootCrates, dependencies);
  return { ...project, sysroot_src: library, sysroot_project: { crates: sysrootCrates }, crates };
}

/** Appends each dependency whose user is present, wired by name to the crates it needs and to its user. */
function addDependencies(crates: RustProjectCrate[], dependencies: readonly SysrootDependency[]): void {
  const byName = (name: string) => crates.findIndex((krate) => krate.display_name === name);
  for (const dependency of dependencies) {
    const user = crates[byName(dependency.usedBy)];
    const name = dependency.crate.display_name;
    if (!user || byName(name) >= 0) continue;
    const deps = dependency.deps.map((dep) => ({ crate: byName(dep), name: dep })).filter((dep) => dep.crate >= 0);
    user.deps = [...user.deps, { crate: crates.length, name }];
    crates.push({ ...dependency.crate, deps });
  }
}
