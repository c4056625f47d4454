// `rust-analyzer`: writes MODULE_DIR/rust-project.json for the real rust-analyzer (core/rustAnalyzer).
import { BUILD_TIMEOUT_OPTION, KBUILD_OPTIONS, MODULE_DIR_ARGUMENT } from './kbuild';
import type { CommandSpec, OptionSpec } from './options';

export const RUST_ANALYZER_SPEC = {
  name: 'rust-analyzer',
  summary: 'write rust-project.json for rust-analyzer, with rfl check as its flycheck',
  description:
    'Writes MODULE_DIR/rust-project.json with the kernel\'s own generator (make M=MODULE_DIR rust-analyzer: the kernel crates, bindings, the prelude, and the sysroot whose proc-macro server expands module!) and adds "rfl check --message-format json" as rust-analyzer\'s flycheck. Prints the file, and the command for editors that set rust-analyzer.check.overrideCommand.',
  arguments: [MODULE_DIR_ARGUMENT],
  options: [...KBUILD_OPTIONS, BUILD_TIMEOUT_OPTION] as const satisfies readonly OptionSpec[],
  exitStatus: '0 written, 1 make rust-analyzer failed, 2 usage error or no kernel folder',
} as const satisfies CommandSpec;
