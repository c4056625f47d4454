// Plain explanations for the kbuild failures people hit most with Rust modules.
import { readTreeRustcVersion } from './kernelTree';

/** One explanation with a fix, or undefined when the output shows nothing we recognise. */
export function explainBuildFailure(output: string, kdir: string): string | undefined {
  const e0514 = /error\[E0514\]: found crate `(\w+)` compiled by an incompatible version of rustc/.exec(output);
  if (e0514) {
    const treeRustc = readTreeRustcVersion(kdir) ?? /compiled by (rustc [^:]+?)(?::|\)\s*$)/m.exec(output)?.[1];
    const thisRustc = /please recompile that crate using this compiler \((rustc [^)]*\))/.exec(output)?.[1];
    return [
      `error E0514 means this module was compiled with a different rustc than the kernel tree${treeRustc ? ` (the tree: ${treeRustc}` : ''}${thisRustc ? `; this build: ${thisRustc})` : treeRustc ? ')' : ''}.`,
      'A module must be built with exactly the rustc (and clippy-driver) that built the kernel.',
      'Fix: pass the same compiler, e.g. --rustc /usr/bin/rustc (and --clippy-driver for clippy), or set RFL_RUSTC;',
      'a rustup toolchain first on PATH (~/.cargo/bin) is the usual cause.',
    ].join('\n');
  }
  if (/building multiple external modules is not supported/.test(output)) {
    return 'kbuild cannot take a module folder path with spaces; move the folder or let rfl build it through a link.';
  }
  if (
    /No rule to make target 'modules_prepare'|Makefile: No such file or directory|No targets specified and no makefile found/.test(output)
  ) {
    return `${kdir} does not look like a kernel build folder. Run "rfl kernel check --kdir ${kdir}", or prepare one with "rfl kernel prepare --source DIR_OR_TARBALL".`;
  }
  if (/ERROR: Kernel configuration is invalid|include\/generated\/autoconf\.h: No such file/.test(output)) {
    return `the kernel tree ${kdir} is not configured and built: build it first (rfl kernel prepare does both).`;
  }
  if (/rust\/[^\s]*\.rmeta|can't find crate for `kernel`/.test(output)) {
    return 'the kernel tree lacks the Rust metadata (rust/*.rmeta) that modules link against: build the tree itself with CONFIG_RUST=y first.';
  }
  return undefined;
}
