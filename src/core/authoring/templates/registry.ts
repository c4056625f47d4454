// Every template: its name for `rfl new --template` and completion prefixes, what it needs from the
// kernel, and its text for a given kernel API. A template the kernel lacks the API for is not
// offered; `unavailableReason` says why, for `rfl new` and the docs.
import type { KernelApi } from '../kernelApi';
import {
  castComment,
  invariantComment,
  invariantsDocSection,
  kunitTestModule,
  mutexField,
  mutexInit,
  PRINT_LEVELS,
  printLine,
  safetyComment,
  safetyDocSection,
} from './fragmentTemplates';
import { printMacro, type TemplateContext } from './moduleParts';
import { miscDeviceModule, minimalModule, paramsModule, pinnedModule, platformDriverModule, vectorModule } from './moduleTemplates';

/** Where a template goes: a whole file, an item, a statement, a struct field or a comment line. */
export type TemplateScope = 'file' | 'statement' | 'field' | 'initializer' | 'comment';

export interface Template {
  /** `rfl new --template` name; completion prefix is `k` + id for modules (`kmodule`). */
  id: string;
  prefix: string;
  title: string;
  description: string;
  scope: TemplateScope;
  /** First release with the API the template uses (for messages). */
  since: string;
  /** Why this kernel cannot take the template; undefined when it can. */
  unavailableReason(api: KernelApi): string | undefined;
  /** The text in snippet syntax. */
  body(api: KernelApi, ctx: TemplateContext): string;
  /** Identical on every kernel: such templates are also contributed as static editor snippets. */
  versionIndependent?: boolean;
}

const always = (): undefined => undefined;

function needs(
  flag: keyof Pick<KernelApi, 'pinInit' | 'inPlaceModule' | 'miscDeviceIo' | 'platformDriver'>,
  what: string,
): (api: KernelApi) => string | undefined {
  return (api) => (api[flag] ? undefined : what);
}

export const MODULE_TEMPLATES: readonly Template[] = [
  {
    id: 'minimal',
    prefix: 'kmodule',
    title: 'Minimal module',
    description: 'module!, impl kernel::Module with init, impl Drop as the exit',
    scope: 'file',
    since: '6.1',
    unavailableReason: always,
    body: minimalModule,
  },
  {
    id: 'vector',
    prefix: 'kmodule-vector',
    title: 'Module with state in a vector',
    description: "a module that keeps numbers in the kernel's vector (KVec, or Vec before 6.13) and logs them on exit",
    scope: 'file',
    since: '6.1',
    unavailableReason: always,
    body: vectorModule,
  },
  {
    id: 'params',
    prefix: 'kmodule-params',
    title: 'Module with parameters',
    description: 'a u32 module parameter read with module_parameters::NAME.value(), checked in init',
    scope: 'file',
    since: '6.19',
    unavailableReason: (api) => (api.paramTypes.includes('u32') ? undefined : 'module! has no params key before Linux 6.19'),
    body: paramsModule,
  },
  {
    id: 'pinned',
    prefix: 'kmodule-pinned',
    title: 'In-place module with pin-init',
    description: 'kernel::InPlaceModule with #[pin_data], try_pin_init! and a Mutex, cleaned up in PinnedDrop',
    scope: 'file',
    since: '6.14',
    unavailableReason: (api) =>
      needs('inPlaceModule', 'kernel::InPlaceModule arrived in Linux 6.14')(api) ?? needs('pinInit', 'pin-init arrived in Linux 6.4')(api),
    body: pinnedModule,
  },
  {
    id: 'misc-device',
    prefix: 'kmodule-misc-device',
    title: 'Misc character device',
    description: '/dev/NAME backed by a mutex-protected buffer that user space writes and reads back (read_iter/write_iter)',
    scope: 'file',
    since: '7.2',
    unavailableReason: (api) =>
      needs(
        'miscDeviceIo',
        'kernel::miscdevice with read_iter/write_iter and global_lock! is not in this kernel (the template is verified on Linux 7.2)',
      )(api) ?? needs('inPlaceModule', 'kernel::InPlaceModule arrived in Linux 6.14')(api),
    body: miscDeviceModule,
  },
  {
    id: 'platform-driver',
    prefix: 'kmodule-platform-driver',
    title: 'Platform driver skeleton',
    description: 'kernel::platform::Driver with OF and ACPI match tables, probe and remove, module_platform_driver!',
    scope: 'file',
    since: '7.2',
    unavailableReason: needs(
      'platformDriver',
      "this kernel's kernel::platform::Driver differs from the one the template is written for (Linux 7.2, `type Data<'bound>`)",
    ),
    body: platformDriverModule,
  },
];

const printTemplates: Template[] = PRINT_LEVELS.map((level) => ({
  id: `pr_${level}`,
  prefix: `pr_${level}`,
  title: `pr_${level}! line`,
  description: `log at KERN_${level === 'err' ? 'ERR' : level.toUpperCase()} with the module name in front`,
  scope: 'statement' as const,
  since: level === 'info' ? '6.1' : '6.2',
  unavailableReason: (api: KernelApi) =>
    printMacro(api, level) ? undefined : `pr_${level}! arrived in Linux 6.2 (6.1 has pr_info! and pr_emerg!)`,
  body: (api: KernelApi) => printLine(api, level),
  ...(level === 'info' ? { versionIndependent: true } : {}),
}));

export const FRAGMENT_TEMPLATES: readonly Template[] = [
  ...printTemplates,
  {
    id: 'safety',
    prefix: 'SAFETY',
    title: '// SAFETY: comment',
    description: 'why the unsafe block below is sound (required above every unsafe block)',
    scope: 'comment',
    since: '6.1',
    unavailableReason: always,
    body: safetyComment,
    versionIndependent: true,
  },
  {
    id: 'invariant',
    prefix: 'INVARIANT',
    title: '// INVARIANT: comment',
    description: "why a type's invariants hold after this code",
    scope: 'comment',
    since: '6.1',
    unavailableReason: always,
    body: invariantComment,
    versionIndependent: true,
  },
  {
    id: 'cast',
    prefix: 'CAST',
    title: '// CAST: comment',
    description: 'why a pointer cast is valid',
    scope: 'comment',
    since: '6.1',
    unavailableReason: always,
    body: castComment,
    versionIndependent: true,
  },
  {
    id: 'safety-doc',
    prefix: '# Safety',
    title: '# Safety doc section',
    description: 'the conditions callers of an unsafe fn must uphold',
    scope: 'comment',
    since: '6.1',
    unavailableReason: always,
    body: safetyDocSection,
    versionIndependent: true,
  },
  {
    id: 'invariants-doc',
    prefix: '# Invariants',
    title: '# Invariants doc section',
    description: 'what always holds for a type',
    scope: 'comment',
    since: '6.1',
    unavailableReason: always,
    body: invariantsDocSection,
    versionIndependent: true,
  },
  {
    id: 'mutex-field',
    prefix: 'kmutex-field',
    title: 'Mutex field',
    description: 'a #[pin] Mutex field of a #[pin_data] struct (use kernel::sync::Mutex)',
    scope: 'field',
    since: '6.4',
    unavailableReason: needs('pinInit', 'kernel::sync::Mutex and pin-init arrived in Linux 6.4'),
    body: mutexField,
  },
  {
    id: 'mutex-init',
    prefix: 'kmutex-init',
    title: 'Mutex initialiser',
    description: 'initialise a #[pin] Mutex field inside pin_init!/try_pin_init! (use kernel::new_mutex)',
    scope: 'initializer',
    since: '6.4',
    unavailableReason: needs('pinInit', 'kernel::sync::Mutex and pin-init arrived in Linux 6.4'),
    body: mutexInit,
  },
  {
    id: 'kunit-tests',
    prefix: 'ktest-module',
    title: 'KUnit test module',
    description:
      '#[kunit_tests(suite)] mod tests with one #[test]: run by `rfl test` or the Test Explorer when the module loads (kernel built with CONFIG_KUNIT=y)',
    scope: 'file',
    since: '6.15',
    unavailableReason: (api) => (api.kunitTests ? undefined : '#[kunit_tests] arrived in Linux 6.15'),
    body: kunitTestModule,
  },
];

export const ALL_TEMPLATES: readonly Template[] = [...MODULE_TEMPLATES, ...FRAGMENT_TEMPLATES];

export function availableTemplates(api: KernelApi, templates: readonly Template[] = ALL_TEMPLATES): Template[] {
  return templates.filter((template) => template.unavailableReason(api) === undefined);
}

export function findTemplate(id: string, templates: readonly Template[] = ALL_TEMPLATES): Template | undefined {
  return templates.find((template) => template.id === id);
}

/** `rust_hello` → `RustHello`. */
export function typeNameFor(moduleName: string): string {
  const camel = moduleName
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return /^[A-Za-z]/.test(camel) ? camel : `Module${camel}`;
}

/**
 * Rust's keywords, strict and reserved (all editions up to 2024), and `_`: a module name is used as a
 * file and crate name, and its type name (`self` -> `Self`) as an identifier, so neither may be one.
 * https://doc.rust-lang.org/reference/keywords.html
 */
const RUST_KEYWORDS = new Set(
  (
    'as break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return ' +
    'self Self static struct super trait true type unsafe use where while async await dyn abstract become box do final ' +
    'macro override priv typeof unsized virtual yield try gen _'
  ).split(' '),
);

/** A module name kbuild and `module!` accept: letters, digits and `_`, not starting with a digit. */
export function moduleNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return `"${name}" is not a valid module name: use letters, digits and _ (not starting with a digit), e.g. rust_hello`;
  const keyword = [name, typeNameFor(name)].find((word) => RUST_KEYWORDS.has(word));
  if (keyword)
    return `"${name}" cannot be a module name: ${keyword === name ? 'it is' : `its type name ${keyword} is`} a Rust keyword; choose another, e.g. rust_${name.replace(/^_+/, '') || 'hello'}`;
  if (name.length > 55) return `"${name}" is too long for a module name (at most 55 characters)`;
  return undefined;
}

export function defaultContext(moduleName: string, author = 'Your Name <you@example.com>'): TemplateContext {
  return { moduleName, typeName: typeNameFor(moduleName), author, description: `${moduleName} kernel module` };
}
