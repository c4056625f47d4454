// `clippy`: the kbuild build with CLIPPY=1, so clippy runs with the kernel's own lint set; its
// warnings come out on their real files like rustc's. The run is runKbuild (kbuild.ts).
import { BUILD_TIMEOUT_OPTION, KBUILD_OPTIONS, MODULE_DIR_ARGUMENT } from './kbuild';
import type { CommandSpec, OptionSpec } from './options';

export const CLIPPY_SPEC = {
  name: 'clippy',
  summary: 'run clippy on a kernel module through kbuild (CLIPPY=1)',
  description: "Builds the module in MODULE_DIR with CLIPPY=1 (clippy-driver must match the kernel's rustc).",
  arguments: [MODULE_DIR_ARGUMENT],
  options: [...KBUILD_OPTIONS, BUILD_TIMEOUT_OPTION] as const satisfies readonly OptionSpec[],
  exitStatus: '0 no clippy warnings, 1 warnings or build failure, 2 usage error',
} as const satisfies CommandSpec;
