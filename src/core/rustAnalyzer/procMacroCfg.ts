// Gives the kernel's proc-macro crates (`macros`, and on 7.x `pin_init_internal`,
// `zerocopy_derive`) the kernel configuration's cfgs when kbuild compiles them with those.
//
// Why: 7.2's rust/Makefile `cmd_rustc_procmacro` passes `@$(objtree)/include/generated/rustc_cfg`
// to rustc, and `macros` chooses code by them
// (`#[cfg(not(CONFIG_RUSTC_HAS_SPAN_FILE))]` in helpers.rs picks `Span::source_file()` for old
// rustc); the kernel's generator gives these crates only their own `--cfgs`. rust-analyzer 1.97.1
// then analysed the branch for old compilers and reported a false E0599 "no method `source_file`"
// in `macros` (7.2 test kernel). 6.12's `cmd_rustc_procmacro` passes no rustc_cfg, so nothing is
// added there: the Makefile of the tree at hand decides.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RustProject } from './rustProject';

/** The kernel source tree of the project: where its `kernel` crate lives (`<srctree>/rust/kernel/lib.rs`). */
export function kernelSourceTree(project: RustProject): string | undefined {
  const kernel = project.crates.find((krate) => krate.display_name === 'kernel');
  const suffix = `${path.sep}${path.join('rust', 'kernel', 'lib.rs')}`;
  return kernel?.root_module.endsWith(suffix) ? kernel.root_module.slice(0, -suffix.length) : undefined;
}

/** Whether `<srctree>/rust/Makefile` compiles proc macros with the configuration's cfgs (`cmd_rustc_procmacro` reads rustc_cfg). */
export function procMacrosTakeConfigCfgs(srctree: string): boolean {
  const makefile = path.join(srctree, 'rust', 'Makefile');
  if (!existsSync(makefile)) return false;
  // The recipe: `cmd_rustc_procmacro = \` and its continuation lines.
  const recipe = /^\s*cmd_rustc_procmacro\s*=((?:[^\n]*\\\n)*[^\n]*)/m.exec(readFileSync(makefile, 'utf8'))?.[1] ?? '';
  return recipe.includes('include/generated/rustc_cfg');
}

/**
 * The project with the `kernel` crate's cfgs (the generator's copy of include/generated/rustc_cfg)
 * added to the proc-macro crates of the kernel tree; see the file comment.
 */
export function withConfigCfgsOnProcMacros(project: RustProject, srctree: string): RustProject {
  const config = project.crates.find((krate) => krate.display_name === 'kernel')?.cfg;
  if (!config) return project;
  const kernelRust = `${path.join(srctree, 'rust')}${path.sep}`;
  return {
    ...project,
    crates: project.crates.map((krate) => {
      if (krate.is_proc_macro !== true || !krate.root_module.startsWith(kernelRust)) return krate;
      const own = krate.cfg ?? [];
      return { ...krate, cfg: [...own, ...config.filter((cfg) => !own.includes(cfg))] };
    }),
  };
}
