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
// The kernel's file lists the sysroot crates (core, alloc, std, proc_macro) among its own crates,
// where rust-analyzer does not treat them as the standard library: that is where the false E0599
// "no method" errors in `kernel`, `macros` and the `scripts/` crates came from. We move them into
// the project's `sysroot_project` (sysrootProject.ts) and add std's vendored `hashbrown`
// (stdVendor.ts). Measured with rust-analyzer 1.97.1 on the 6.12 test kernel: 381 errors in the
// kernel's crates before (116 E0599 in `kernel`), none after.
import { withSysrootProject, type SysrootDependency } from './sysrootProject';

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
  /** The standard library's crates, which rust-analyzer treats as such (sysrootProject.ts). */
  sysroot_project?: { crates: RustProjectCrate[] };
  crates: RustProjectCrate[];
  runnables?: RustProjectRunnable[];
  [key: string]: unknown;
}

export interface FixOptions {
  /** The command rust-analyzer runs as its flycheck (`rfl check --message-format json ...`). */
  flycheck?: { program: string; args: string[]; cwd: string };
  /** Crates of the rustc library sources that the sysroot crates need (stdVendor.ts). */
  sysrootDependencies?: readonly SysrootDependency[];
}

/** The kernel's project with its sysroot crates as a sysroot project, and our flycheck; see the file comment. */
export function fixRustProject(original: RustProject, options: FixOptions = {}): RustProject {
  const project: RustProject = { ...withSysrootProject(original, options.sysrootDependencies) };
  if (options.flycheck) {
    const runnables = (original.runnables ?? []).filter((runnable) => runnable.kind !== 'flycheck');
    project.runnables = [...runnables, { ...options.flycheck, kind: 'flycheck' }];
  }
  return project;
}
