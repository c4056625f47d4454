// `rfl new NAME [--kdir DIR] [--template T] [--dir DIR]` and `rfl new --list`: a new module folder
// from the template that fits the kernel it will be built against.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { detectKernelApi } from '../../core/authoring/detectKernelApi';
import { describeApi } from '../../core/authoring/kernelApi';
import { createNewModule, NewModuleError } from '../../core/authoring/newModule';
import { C_MODULE_TEMPLATES } from '../../core/authoring/templates/cTemplates';
import { MODULE_TEMPLATES } from '../../core/authoring/templates/registry';
import { locateKernel } from '../../core/kernel/locate';
import { EXIT_OK, EXIT_USAGE_OR_IO, UsageError, type CliCommand, type CliIo } from '../command';

const DEFAULT_TEMPLATE = 'minimal';

const USAGE = `usage: rfl new NAME [options]
       rfl new --list [--kdir DIR]

Creates a module folder: NAME.rs from a template written for the kernel's API (NAME.c for the C
templates, c-*), Kbuild, a Makefile,
.vscode/settings.json naming the kernel folder, and .gitignore. Existing files are never overwritten.

options:
  --kdir DIR        kernel the module is for (default: $RFL_KDIR, an enclosing kernel tree, or
                    /lib/modules/$(uname -r)/build; without one the newest API is assumed)
  --template T      template (default: ${DEFAULT_TEMPLATE}); rfl new --list names those this kernel takes
  --dir DIR         folder to create (default: ./NAME)
  --author TEXT     module author (default: git's user.name <user.email>)
  --list            list the templates this kernel takes and exit
  -h, --help        show this help`;

/** `Name <email>` from git, when git and its settings are there. */
function gitAuthor(cwd: string): string | undefined {
  const read = (key: string) => {
    try {
      return execFileSync('git', ['config', '--get', key], { cwd, encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const name = read('user.name');
  const email = read('user.email');
  return name ? (email ? `${name} <${email}>` : name) : undefined;
}

export const newCommand: CliCommand = {
  name: 'new',
  summary: 'create a module folder from a template that fits the kernel',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        kdir: { type: 'string' },
        template: { type: 'string', default: DEFAULT_TEMPLATE },
        dir: { type: 'string' },
        author: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    }
    const located = locateKernel(values.kdir ? path.resolve(io.cwd, values.kdir) : undefined, io.cwd);
    const { api, note } = detectKernelApi(located?.kdir);
    if (values.kdir && !api.kdir) {
      // A kernel named on purpose that is not one is a mistake, not a reason to guess the API.
      io.stderr(`rfl new: ${note ?? `${values.kdir} is not a kernel folder`}. Pass the kernel's build folder (the one with .config), or leave --kdir out to use the newest API.\n`);
      return EXIT_USAGE_OR_IO;
    }
    if (note) io.stderr(`rfl new: ${note}; templates follow ${describeApi(api)}\n`);

    if (values.list) {
      const width = Math.max(...[...MODULE_TEMPLATES, ...C_MODULE_TEMPLATES].map((template) => template.id.length));
      for (const template of MODULE_TEMPLATES) {
        const reason = template.unavailableReason(api);
        if (reason) io.stderr(`not for ${describeApi(api)}: ${template.id} (${reason})\n`);
        else io.stdout(`${template.id.padEnd(width)}  ${template.description}\n`);
      }
      // C templates need nothing of the kernel's Rust API: every kernel takes them.
      for (const template of C_MODULE_TEMPLATES) io.stdout(`${template.id.padEnd(width)}  ${template.description}\n`);
      return EXIT_OK;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the module: rfl new NAME' : `one module name, not ${positionals.length}`);
    const name = positionals[0] ?? '';
    try {
      const result = createNewModule({
        name,
        dir: path.resolve(io.cwd, values.dir ?? name),
        templateId: values.template,
        api,
        kdir: api.kdir,
        ...(values.author ?? gitAuthor(io.cwd) ? { author: values.author ?? gitAuthor(io.cwd) } : {}),
      });
      io.stdout(`created ${result.dir} (${values.template} template, ${describeApi(api)}):\n${result.files.map((file) => `  ${file}`).join('\n')}\n`);
      // load finds the kernel by itself only through $RFL_KDIR, an enclosing tree or the running kernel.
      const kdirOption = !api.kdir ? ' --kdir KERNEL_BUILD_DIR' : located?.source === 'option' ? ` --kdir ${api.kdir}` : '';
      io.stdout(`next: rfl load${kdirOption} ${path.relative(io.cwd, result.dir) || '.'}\n`);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof NewModuleError) {
        io.stderr(`rfl new: ${error.message}\n`);
        return EXIT_USAGE_OR_IO;
      }
      throw error;
    }
  },
};
