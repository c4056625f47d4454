// `build` (and `build --rust-analyzer`, the VS Code `rust-analyzer` task): kbuild for an
// out-of-tree module, with rustc's diagnostics on their real files. The run is runKbuild (kbuild.ts).
import { BUILD_TIMEOUT_OPTION, KBUILD_OPTIONS, MODULE_DIR_ARGUMENT } from './kbuild';
import type { CommandSpec, OptionSpec } from './options';

export const BUILD_SPEC = {
  name: 'build',
  summary: 'build an out-of-tree Rust kernel module with kbuild',
  description:
    "Builds the out-of-tree module in MODULE_DIR with make -C KDIR M=MODULE_DIR LLVM=1 ..., printing rustc's messages with each path " +
    'resolved to the real file (absolute, kernel-tree-relative and module-relative paths alike).',
  arguments: [MODULE_DIR_ARGUMENT],
  options: [
    ...KBUILD_OPTIONS,
    BUILD_TIMEOUT_OPTION,
    { flag: 'rust-analyzer', help: 'run "make rust-analyzer" to write MODULE_DIR/rust-project.json' },
  ] as const satisfies readonly OptionSpec[],
  exitStatus: '0 built, 1 build failed, 2 usage error or no kernel folder',
} as const satisfies CommandSpec;
