// The argument array for one kbuild call on an out-of-tree module:
//   make -C KDIR M=MODULE_DIR [O=OUT] LLVM=1 RUSTC=... [CLIPPY=1] [EXTRA...] [TARGET]
// Kept as data so the CLI, the VS Code task provider and the tests build exactly the same command.
import os from 'node:os';
import { toolchainMakeVars, type Toolchain } from '../toolchain/toolchain';

export type KbuildTarget = 'modules' | 'clean' | 'rust-analyzer';

export interface KbuildRequest {
  kdir: string;
  moduleDir: string;
  toolchain: Toolchain;
  /** `O=`: the kernel was built out of its source tree, into this folder. */
  outDir?: string | undefined;
  clippy?: boolean;
  target?: KbuildTarget;
  /** `-jN`; defaults to the number of CPUs. */
  jobs?: number;
}

export function kbuildMakeArgs(request: KbuildRequest): string[] {
  // make receives M= as one argv word, but kbuild pastes it (since 6.13 its resolved real path) into
  // shell recipes unquoted: callers pass a plain folder here (see kbuildModulePath in moduleLink.ts).
  const args = ['-C', request.kdir, `M=${request.moduleDir}`];
  if (request.outDir) args.push(`O=${request.outDir}`);
  args.push(`-j${request.jobs ?? Math.max(1, os.availableParallelism())}`);
  args.push(...toolchainMakeVars(request.toolchain));
  if (request.clippy) args.push('CLIPPY=1');
  const target = request.target ?? 'modules';
  if (target !== 'modules') args.push(target);
  return args;
}
