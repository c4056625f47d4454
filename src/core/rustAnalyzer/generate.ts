// Writes MODULE_DIR/rust-project.json for the real rust-analyzer: the kernel's own generator
// (`make M=DIR rust-analyzer`, through kbuild like every build) and then fixRustProject, with what
// it needs from the files of the tree and of the rustc library sources.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildModule, type BuildResult } from '../kbuild/build';
import { RUST_PROJECT_FILE } from '../kbuild/moduleLink';
import { toolchainCliArgs, type Toolchain } from '../toolchain/toolchain';
import { kernelSourceTree, procMacrosTakeConfigCfgs } from './procMacroCfg';
import { fixRustProject, type RustProject } from './rustProject';
import { stdVendoredDependencies } from './stdVendor';
import { sysrootLibrary } from './sysrootProject';

export interface GenerateOptions {
  kdir: string;
  moduleDir: string;
  toolchain: Toolchain;
  outDir?: string | undefined;
  /** How to start `rfl` here: program and leading arguments (node and the CLI script). */
  rfl: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface GenerateResult {
  build: BuildResult;
  /** The project file, when it was written. */
  file?: string;
  /** The flycheck command (also rust-analyzer.check.overrideCommand for editors that want a setting). */
  checkCommand: string[];
  /** The last lines make printed, for a failure's message. */
  outputTail: string[];
}

/** `rfl check --message-format json` for this module, with the same kernel and tools. */
export function flycheckCommand(options: Pick<GenerateOptions, 'kdir' | 'moduleDir' | 'toolchain' | 'outDir' | 'rfl'>): string[] {
  return [
    ...options.rfl,
    'check',
    '--message-format',
    'json',
    '--kdir',
    options.kdir,
    ...(options.outDir ? ['--out-dir', options.outDir] : []),
    ...toolchainCliArgs(options.toolchain),
    options.moduleDir,
  ];
}

/** The module's kbuild file: Kbuild when there is one (kbuild reads it first), else its Makefile. */
function moduleBuildFile(moduleDir: string): string {
  const kbuild = path.join(moduleDir, 'Kbuild');
  return existsSync(kbuild) ? kbuild : path.join(moduleDir, 'Makefile');
}

export async function generateRustProject(options: GenerateOptions): Promise<GenerateResult> {
  const moduleDir = path.resolve(options.moduleDir);
  const checkCommand = flycheckCommand({ ...options, moduleDir });
  const output: string[] = [];
  const build = await buildModule({
    kdir: options.kdir,
    moduleDir,
    toolchain: options.toolchain,
    outDir: options.outDir,
    target: 'rust-analyzer',
    onLine: (line) => {
      output.push(line);
      if (output.length > 40) output.shift();
    },
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!build.ok) return { build, checkCommand, outputTail: output };
  const file = path.join(moduleDir, RUST_PROJECT_FILE);
  const original = JSON.parse(readFileSync(file, 'utf8')) as RustProject;
  const [program = 'rfl', ...args] = checkCommand;
  const library = sysrootLibrary(original);
  const srctree = kernelSourceTree(original);
  const project = fixRustProject(original, {
    ...(srctree !== undefined && procMacrosTakeConfigCfgs(srctree) ? { procMacroConfigTree: srctree } : {}),
    flycheck: { program, args, cwd: moduleDir, buildFile: moduleBuildFile(moduleDir) },
    sysrootDependencies: library ? stdVendoredDependencies(library) : [],
  });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(project, null, 2)}\n`);
  renameSync(temporary, file);
  return { build, file, checkCommand, outputTail: output };
}
