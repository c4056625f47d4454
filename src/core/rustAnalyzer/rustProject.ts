// What `rfl rust-analyzer` changes in the rust-project.json that the kernel's
// scripts/generate_rust_analyzer.py writes (`make M=DIR rust-analyzer`), and why.
//
// The kernel's file already resolves the `kernel` crate, `bindings` and the prelude, and names the
// rustc's `sysroot`, where rust-analyzer finds the proc-macro server of the rustc that built the
// kernel's `macros` (`libexec/rust-analyzer-proc-macro-srv`), so `module!` expands. What it lacks is
// a check: with only a rust-project.json rust-analyzer shows no compiler errors at all
// (rust-analyzer#15963). We add a `flycheck` runnable, `rfl check --message-format json` for the
// module, so rust-analyzer shows the kernel's rustc and clippy verdicts; editors that predate
// runnables use `rust-analyzer.check.overrideCommand` with the same command (the VS Code client
// sets it).
//
// The kernel's file lists the sysroot crates (core, alloc, std, proc_macro) itself, from the rustc's
// library sources, as ordinary crates. Measured with rust-analyzer 1.97.1 on the 6.12 test kernel,
// that is where the false E0599 "no method" errors come from (inherent methods of primitives,
// `*const T::cast`, `usize::wrapping_add`, `String::trim`, go missing in `kernel`, `macros` and the
// `scripts/` crates). Leaving the sysroot to rust-analyzer instead (dropping the listed crates and
// naming `sysroot_src`) does not help on an offline machine: rust-analyzer 1.97 loads a sysroot
// through `cargo metadata` on library/Cargo.toml, which needs crates.io, falls back to `--no-deps`
// and loses the dependencies between core, alloc and std (worse: unresolved `format_args!`). So the
// crate list is kept as the kernel wrote it.

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

export interface FixOptions {
  /** The command rust-analyzer runs as its flycheck (`rfl check --message-format json ...`). */
  flycheck?: { program: string; args: string[]; cwd: string };
}

/** The kernel's project with our flycheck; see the file comment. */
export function fixRustProject(original: RustProject, options: FixOptions = {}): RustProject {
  const project: RustProject = { ...original };
  if (options.flycheck) {
    const runnables = (original.runnables ?? []).filter((runnable) => runnable.kind !== 'flycheck');
    project.runnables = [...runnables, { ...options.flycheck, kind: 'flycheck' }];
  }
  return project;
}
