// `rfl new NAME [--kdir DIR] [--template T] [--dir DIR]` and `rfl new --list` (options in
// src/core/tasks/new.ts): a new module folder from the template that fits the kernel it will be built against.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { detectKernelApi } from '../../core/authoring/detectKernelApi';
import { describeApi } from '../../core/authoring/kernelApi';
import { createNewModule, NewModuleError } from '../../core/authoring/newModule';
import { C_MODULE_TEMPLATES } from '../../core/authoring/templates/cTemplates';
import { MODULE_TEMPLATES } from '../../core/authoring/templates/registry';
import { locateKernel } from '../../core/kernel/locate';
import { shellQuote } from '../../core/process/describe';
import { EXIT_OK, EXIT_SETUP } from '../../core/tasks/exitCodes';
import { NEW_SPEC } from '../../core/tasks/new';
import { readOptions, UsageError } from '../../core/tasks/options';
import type { CliCommand } from '../command';

/** `Name <email>` from git, when git and its settings are there. */
function gitAuthor(cwd: string): string | undefined {
  const read = (key: string) => {
    try {
      return execFileSync('git', ['config', '--get', key], {
        cwd,
        encoding: 'utf8',
        timeout: 2000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const name = read('user.name');
  const email = read('user.email');
  return name ? (email ? `${name} <${email}>` : name) : undefined;
}

export const newCommand: CliCommand = {
  spec: NEW_SPEC,
  async run(raw, positionals, io) {
    const values = readOptions(NEW_SPEC.options, raw);
    const located = locateKernel(values.kdir ? path.resolve(io.cwd, values.kdir) : undefined, io.cwd);
    const { api, note } = detectKernelApi(located?.kdir);
    if (values.kdir && !api.kdir) {
      // A kernel named on purpose that is not one is a mistake, not a reason to guess the API.
      io.stderr(
        `rfl new: ${note ?? `${values.kdir} is not a kernel folder`}. Pass the kernel's build folder (the one with .config), or leave --kdir out to use the newest API.\n`,
      );
      return EXIT_SETUP;
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
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'name the module: rfl new NAME' : `one module name, not ${positionals.length}`);
    const name = positionals[0] ?? '';
    if (values.dir === '') throw new UsageError('--dir wants a folder, not an empty string');
    try {
      const result = createNewModule({
        name,
        dir: path.resolve(io.cwd, values.dir ?? name),
        templateId: values.template,
        api,
        kdir: api.kdir,
        author: (values.author ?? gitAuthor(io.cwd)) || undefined,
      });
      io.stdout(
        `created ${result.dir} (${values.template} template, ${describeApi(api)}):\n${result.files.map((file) => `  ${file}`).join('\n')}\n`,
      );
      // load finds the kernel by itself only through $RFL_KDIR, an enclosing tree or the running kernel.
      // Quoted for the shell, so the line can be pasted as it is.
      const kdirOption = !api.kdir ? ' --kdir KERNEL_BUILD_DIR' : located?.source === 'option' ? ` --kdir ${shellQuote(api.kdir)}` : '';
      io.stdout(`next: rfl load${kdirOption} ${shellQuote(path.relative(io.cwd, result.dir) || '.')}\n`);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof NewModuleError) {
        io.stderr(`rfl new: ${error.message}\n`);
        return EXIT_SETUP;
      }
      throw error;
    }
  },
};
