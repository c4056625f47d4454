// What `rfl rust-analyzer` changes in the rust-project.json that the kernel's
// scripts/generate_rust_analyzer.py writes (`make M=DIR rust-analyzer`), and why.
//
// The kernel's file lists the sysroot crates itself (core, alloc, std, proc_macro, from the rustc's
// library sources) and also names the `sysroot`. rust-analyzer, given a `sysroot`, loads that
// sysroot's crates on its own and adds them as dependencies of every crate
// (https://rust-analyzer.github.io/book/non_cargo_based_projects.html), so the kernel's crates see
// two `core`s: inherent methods of primitives and traits of one copy do not apply to the types of
// the other, and rust-analyzer reports `E0599` "no method named ... found" throughout the `kernel`
// crate and the `scripts/` host crates (whose `std` is then a bare copy of library/std without its
// own dependencies). Dropping the listed copies leaves one sysroot, loaded the way rust-analyzer
// expects; the proc-macro server is then found in that same sysroot (`libexec/` of the rustc that
// built the kernel's `macros`), so `module!` expands.
//
// It also adds a `flycheck` runnable: `rfl check --message-format json` for the module, so that
// rust-analyzer shows the kernel's rustc and clippy verdicts (with only a rust-project.json it shows
// no compiler errors at all, rust-analyzer#15963). Editors that predate runnables use
// `rust-analyzer.check.overrideCommand` with the same command (the VS Code client sets it).

export interface RustProjectDep {
  crate: number;
  name: string;
}

export interface RustProjectCrate {
  display_name?: string;
  root_module: string;
  deps: RustProjectDep[];
  is_workspace_member?: boolean;
  is_proc_macro?: boolean;
  proc_macro_dylib_path?: string;
  [key: string]: unknown;
}

export interface RustProjectRunnable {
  program: string;
  args: string[];
  cwd: string;
  kind: string;
}

export interface RustProject {
  sysroot?: string;
  sysroot_src?: string;
  crates: RustProjectCrate[];
  runnables?: RustProjectRunnable[];
  [key: string]: unknown;
}

/** The sysroot crates the kernel's script lists; rust-analyzer supplies them from `sysroot`. */
const SYSROOT_CRATES = new Set(['core', 'alloc', 'std', 'proc_macro', 'test']);

/** Whether a crate is one of the listed sysroot copies (by name and by its root in a `library/` tree). */
function isListedSysrootCrate(crate: RustProjectCrate, sysrootSrc: string | undefined): boolean {
  if (!crate.display_name || !SYSROOT_CRATES.has(crate.display_name)) return false;
  const root = crate.root_module;
  return (sysrootSrc !== undefined && root.startsWith(`${sysrootSrc.replace(/\/+$/, '')}/`)) || /\/library\/[a-z_]+\/src\/lib\.rs$/.test(root);
}

export interface FixOptions {
  /** The command rust-analyzer runs as its flycheck (`rfl check --message-format json ...`). */
  flycheck?: { program: string; args: string[]; cwd: string };
}

export interface FixedProject {
  project: RustProject;
  /** The names of the sysroot crates that were dropped (for the summary). */
  dropped: string[];
}

/** The kernel's project with one sysroot and our flycheck; see the file comment. */
export function fixRustProject(original: RustProject, options: FixOptions = {}): FixedProject {
  const sysrootSrc = original.sysroot_src;
  // Without `sysroot` rust-analyzer would not supply the sysroot crates: keep the list as it is.
  const drop = original.sysroot ? original.crates.map((crate) => isListedSysrootCrate(crate, sysrootSrc)) : original.crates.map(() => false);
  const newIndex: number[] = [];
  let next = 0;
  for (const dropped of drop) newIndex.push(dropped ? -1 : next++);
  const crates = original.crates
    .filter((_crate, index) => !drop[index])
    .map((crate) => ({
      ...crate,
      deps: crate.deps.flatMap((dep) => {
        const index = newIndex[dep.crate];
        return index === undefined || index < 0 ? [] : [{ ...dep, crate: index }];
      }),
    }));
  const project: RustProject = { ...original, crates };
  if (options.flycheck) {
    const runnables = (original.runnables ?? []).filter((runnable) => runnable.kind !== 'flycheck');
    project.runnables = [...runnables, { ...options.flycheck, kind: 'flycheck' }];
  }
  return { project, dropped: original.crates.filter((_crate, index) => drop[index]).map((crate) => crate.display_name ?? crate.root_module) };
}
