// `rfl new` / "New Module": a module folder ready for kbuild and the editor. Nothing existing is
// overwritten: if any of the files is already there, nothing is written and the caller is told which;
// the files are written all or none (files/newFiles.ts), and every failure is a NewModuleError.
import path from 'node:path';
import { checkFolder, NewFilesError, occupiedPaths, writeNewFiles } from '../files/newFiles';
import { RUST_PROJECT_FILE } from '../kbuild/moduleLink';
import { resolveToolchain, toolchainMakeVars } from '../toolchain/toolchain';
import { describeApi, type KernelApi } from './kernelApi';
import { makeValueProblem, moduleMakefile } from './moduleMakefile';
import { C_MODULE_TEMPLATES, findCTemplate } from './templates/cTemplates';
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
  const ctx = defaultContext(options.name, options.author);
  const files = new Map<string, string>();
  const cTemplate = findCTemplate(options.templateId);
  if (cTemplate) {
    // C needs no Rust in the kernel: any kernel with a build folder takes it.
    files.set(`${options.name}.c`, cTemplate.source(ctx));
  } else {
    const template = findTemplate(options.templateId, MODULE_TEMPLATES);
    if (!template) {
      const ids = [...MODULE_TEMPLATES, ...C_MODULE_TEMPLATES].map((candidate) => candidate.id);
      throw new NewModuleError(`no template "${options.templateId}": choose one of ${ids.join(', ')} (rfl new --list)`);
    }
    const reason = template.unavailableReason(options.api);
    if (reason)
      throw new NewModuleError(
        `the ${template.id} template does not fit ${describeApi(options.api)}: ${reason}. rfl new --list names the templates this kernel takes.`,
      );
    files.set(`${options.name}.rs`, snippetToPlainText(template.body(options.api, ctx)));
  }
  files.set('Kbuild', `# kbuild reads this file for \`make -C KDIR M=$PWD\` (and rfl build / rfl load).\nobj-m := ${options.name}.o\n`);
  files.set('Makefile', makefileFor(options.kdir));
  files.set(
    '.gitignore',
    [
      '*.o',
      '*.ko',
      '*.mod',
      '*.mod.c',
      '*.mod.o',
      '.*.cmd',
      '*.rmeta',
      'Module.symvers',
      'modules.order',
      '.tmp_versions/',
      RUST_PROJECT_FILE,
      '',
    ].join('\n'),
  );
  const settings: Record<string, string> = {};
  if (options.kdir) settings['rustForLinux.kernelDir'] = options.kdir;
  files.set(path.join('.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  return files;
}

function makefileFor(kdir: string | undefined): string {
  const words = kdir ? toolchainMakeVars(resolveToolchain(kdir, {}, {})) : ['LLVM=1'];
  for (const [what, text] of [['kernel folder', kdir ?? ''], ...words.map((word) => ['recorded toolchain setting', word])]) {
    const problem = makeValueProblem(text!);
    if (problem) throw new NewModuleError(`the ${what} ${problem}: move or link it to a plain path and try again; nothing was written`);
  }
  return moduleMakefile(kdir, words);
}

export function createNewModule(options: NewModuleOptions): NewModuleResult {
  if (options.dir === '') throw new NewModuleError('the module folder is an empty path: name a folder');
  const files = planNewModule(options);
  const dir = path.resolve(options.dir);
  try {
    const clashes = checkFolder(dir) ? occupiedPaths(dir, files.keys()) : [];
    if (clashes.length > 0) {
      throw new NewModuleError(`${dir} already has ${clashes.join(', ')}: nothing was written. Choose another --dir or remove them.`);
    }
    writeNewFiles(dir, files);
  } catch (error) {
    if (error instanceof NewFilesError) throw new NewModuleError(error.message, { cause: error });
    throw error;
  }
  const source = [...files.keys()].find((file) => file === `${options.name}.c`) ?? `${options.name}.rs`;
  return { dir, files: [...files.keys()], source: path.join(dir, source) };
}
