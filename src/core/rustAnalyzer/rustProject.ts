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
// sets it). rust-analyzer runs a flycheck runnable only for a saved file whose crate has `build`
// information (1.97: flycheck.rs `explicit_check_command` gives no command for a workspace-wide
// check, global_state.rs `target_spec_for_file` needs `build`), so the module's crates get one:
// without it, saving a module file with a type error published nothing from the check in 90 s;
// with it, rustc's E0308 arrived about 17 s after the save (6.12 test kernel).
//
// The kernel's file lists the sysroot crates (core, alloc, std, proc_macro) among its own crates,
// where rust-analyzer does not treat them as the standard library: that is where the false E0599
// "no method" errors in `kernel`, `macros` and the `scripts/` crates came from. We move them into
// the project's `sysroot_project` (sysrootProject.ts) and add std's vendored `hashbrown`
// (stdVendor.ts). Measured with rust-analyzer 1.97.1 on the 6.12 test kernel: 381 errors in the
// kernel's crates before (116 E0599 in `kernel`), none after. Where kbuild compiles the kernel's
// proc macros with the configuration's cfgs (7.2), they get them here too (procMacroCfg.ts).
import path from 'node:path';
import { withConfigCfgsOnProcMacros } from './procMacroCfg';
import { withSysrootProject, type SysrootDependency } from './sysrootProject';

export interface RustProjectDep {
  crate: number;
  name: string;
}

export interface RustProjectCrate {
  display_name?: string;
  root_module: string;
  deps: RustProjectDep[];
  cfg?: string[];
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
  /**
   * The command rust-analyzer runs as its flycheck (`rfl check --message-format json ...`), and the
   * module's Kbuild or Makefile, named as the `build_file` of the crates in its folder.
   */
  flycheck?: { program: string; args: string[]; cwd: string; buildFile: string };
  /** Crates of the rustc library sources that the sysroot crates need (stdVendor.ts). */
  sysrootDependencies?: readonly SysrootDependency[];
  /** The kernel source tree whose proc-macro crates kbuild compiles with the configuration's cfgs (procMacroCfg.ts). */
  procMacroConfigTree?: string;
}

/** The kernel's project with its sysroot crates as a sysroot project, and our flycheck; see the file comment. */
export function fixRustProject(original: RustProject, options: FixOptions = {}): RustProject {
  const withSysroot = withSysrootProject(original, options.sysrootDependencies);
  const project: RustProject = options.procMacroConfigTree
    ? withConfigCfgsOnProcMacros(withSysroot, options.procMacroConfigTree)
    : { ...withSysroot };
  if (options.flycheck) {
    const { buildFile, ...command } = options.flycheck;
    const runnables = (original.runnables ?? []).filter((runnable) => runnable.kind !== 'flycheck');
    project.runnables = [...runnables, { ...command, kind: 'flycheck' }];
    const folder = path.dirname(buildFile);
    // A relative root_module (7.2's generator writes the module's so) is relative to the project file, in the module folder.
    project.crates = project.crates.map((krate) =>
      krate.is_workspace_member !== false &&
      path.resolve(folder, krate.root_module).startsWith(`${folder}${path.sep}`) &&
      krate.display_name
        ? { ...krate, build: { label: krate.display_name, build_file: buildFile, target_kind: 'lib' } }
        : krate,
    );
  }
  return project;
}
