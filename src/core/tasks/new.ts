// `new`: a module folder from the template that fits the kernel it will be built against. Options;
// the run is the CLI's (src/cli/commands/new.ts), over src/core/authoring.
import type { CommandSpec, OptionSpec } from './options';

export const DEFAULT_TEMPLATE = 'minimal';

export const NEW_SPEC = {
  name: 'new',
  summary: 'create a module folder from a template that fits the kernel',
  description:
    "Creates a module folder: NAME.rs from a template written for the kernel's API (NAME.c for the C templates, c-*), Kbuild, a Makefile, .vscode/settings.json naming the " +
    'kernel folder, and .gitignore. Existing files are never overwritten. "rfl new --list" names the templates the kernel takes.',
  arguments: [{ name: 'NAME', help: 'the module name (not needed with --list)' }],
  options: [
    {
      flag: 'kdir',
      value: 'DIR',
      help: 'kernel the module is for (default: $RFL_KDIR, an enclosing kernel tree, or /lib/modules/$(uname -r)/build; without one the newest API is assumed)',
    },
    {
      flag: 'template',
      value: 'T',
      help: `template (default: ${DEFAULT_TEMPLATE}); rfl new --list names those this kernel takes`,
      default: DEFAULT_TEMPLATE,
    },
    { flag: 'dir', value: 'DIR', help: 'folder to create (default: ./NAME)' },
    { flag: 'author', value: 'TEXT', help: "module author (default: git's user.name <user.email>)" },
    { flag: 'list', help: 'list the templates this kernel takes and exit' },
  ] as const satisfies readonly OptionSpec[],
  exitStatus: '0 created (or listed), 2 usage error, a kernel folder that is not one, or a file in the way',
} as const satisfies CommandSpec;
