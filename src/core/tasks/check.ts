// `check`: the kernel's rustc and clippy verdicts on a module (core/check), as rustc's text or as
// rustc's JSON lines for rust-analyzer's check.overrideCommand and other tools.
import { MESSAGE_FORMATS } from '../check/formatCheck';
import { BUILD_TIMEOUT_OPTION, KBUILD_OPTIONS, MODULE_DIR_ARGUMENT } from './kbuild';
import type { CommandSpec, OptionSpec } from './options';

export const CHECK_SPEC = {
  name: 'check',
  summary: "the kernel's rustc and clippy verdicts on a module (text or rustc JSON)",
  description:
    "Builds the module in MODULE_DIR with the kernel's own rustc and clippy (make CLIPPY=1: the kernel's flags and lint set) and reports every error, warning and clippy lint with rustc's notes and suggestions, on the real source files. Reuses what kbuild built: after the first check, only the compiler runs (the crates' commands kbuild recorded, compiling to metadata) until the kernel build, the toolchain or the module's Kbuild changes; a module unchanged since its last check is answered at once.",
  arguments: [MODULE_DIR_ARGUMENT],
  options: [
    {
      flag: 'message-format',
      value: 'FMT',
      default: 'human',
      choices: MESSAGE_FORMATS,
      help: 'human, or json: one rustc diagnostic JSON object per line on stdout, file names absolute (for rust-analyzer.check.overrideCommand)',
    },
    { flag: 'fresh', help: 'run the check even when nothing changed since the last check' },
    {
      flag: 'full',
      help: "run kbuild's whole module build (make CLIPPY=1) rather than replaying the compiler commands it recorded: also reports what only code generation, linking and modpost find",
    },
    ...KBUILD_OPTIONS,
    BUILD_TIMEOUT_OPTION,
  ] as const satisfies readonly OptionSpec[],
  exitStatus:
    '0 no errors or warnings, 1 errors or warnings, 2 usage error or the check could not run (no kernel build, wrong toolchain, make failed without a compiler message)',
} as const satisfies CommandSpec;
