// `rfl new` / "New Module": a module folder ready for kbuild and the editor. Nothing existing is
// overwritten: if any of the files is already there, nothing is written and the caller is told which.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveToolchain, toolchainMakeVars } from '../toolchain/toolchain';
import { describeApi, type KernelApi } from './kernelApi';
import { defaultContext, findTemplate, MODULE_TEMPLATES, moduleNameProblem } from './templates/registry';
import { snippetToPlainText } from './templates/snippetText';

export interface NewModuleOptions {
  name: string;
  /** The folder to create (default: ./NAME). */
  dir: string;
  templateId: string;
  api: KernelApi;
  /** Written to .vscode/settings.json and the Makefile; undefined leaves both to be set later. */
  kdir: string | undefined;
  author?: string;
}

export interface NewModuleResult {
  dir: string;
  files: string[];
  /** The module source, to open in the editor. */
  source: string;
}

export class NewModuleError extends Error {}

export function planNewModule(options: NewModuleOptions): Map<string, string> {
  const problem = moduleNameProblem(options.name);
  if (problem) throw new NewModuleError(problem);
  const template = findTemplate(options.templateId, MODULE_TEMPLATES);
  if (!template) {
    throw new NewModuleError(`no template "${options.templateId}": choose one of ${MODULE_TEMPLATES.map((candidate) => candidate.id).join(', ')} (rfl new --list)`);
  }
  const reason = template.unavailableReason(options.api);
  if (reason) throw new NewModuleError(`the ${template.id} template does not fit ${describeApi(options.api)}: ${reason}. rfl new --list names the templates this kernel takes.`);
  const ctx = defaultContext(options.name, options.author);
  const files = new Map<string, string>();
  files.set(`${options.name}.rs`, snippetToPlainText(template.body(options.api, ctx)));
  files.set('Kbuild', `# kbuild reads this file for \`make -C KDIR M=$PWD\` (and rfl build / rfl load).\nobj-m := ${options.name}.o\n`);
  files.set('Makefile', makefile(options.kdir));
  files.set('.gitignore', ['*.o', '*.ko', '*.mod', '*.mod.c', '*.mod.o', '.*.cmd', '*.rmeta', 'Module.symvers', 'modules.order', '.tmp_versions/', 'rust-project.json', ''].join('\n'));
  const settings: Record<string, string> = {};
  if (options.kdir) settings['rustForLinux.kernelDir'] = options.kdir;
  files.set(path.join('.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return files;
}

function makefile(kdir: string | undefined): string {
  const toolchain = kdir ? toolchainMakeVars(resolveToolchain(kdir, {}, {})) : ['LLVM=1'];
  return `# Builds by hand; rfl build, rfl clippy and rfl load run the same kbuild command.
#   make                  build the module       make clippy        build with clippy's checks
#   make rust-analyzer    write rust-project.json  make clean
KDIR ?= ${kdir ?? '/lib/modules/$(shell uname -r)/build'}
# The toolchain the kernel was built with (a module must use the very same rustc).
KBUILD_ARGS ?= ${toolchain.join(' ')}

default:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_ARGS)

clippy:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_ARGS) CLIPPY=1

rust-analyzer:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_ARGS) rust-analyzer

clean:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_ARGS) clean

.PHONY: default clippy rust-analyzer clean
`;
}

export function createNewModule(options: NewModuleOptions): NewModuleResult {
  const files = planNewModule(options);
  const dir = path.resolve(options.dir);
  const clashes = [...files.keys()].filter((file) => existsSync(path.join(dir, file)));
  if (clashes.length > 0) {
    throw new NewModuleError(`${dir} already has ${clashes.join(', ')}: nothing was written. Choose another --dir or remove them.`);
  }
  for (const [file, text] of files) {
    const target = path.join(dir, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text, { flag: 'wx' });
  }
  return { dir, files: [...files.keys()], source: path.join(dir, `${options.name}.rs`) };
}
