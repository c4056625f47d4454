// The module! fixtures of moduleMacro.test.ts (and the quick-fix half of codeActions.test.ts): for
// each test kernel, a correct module (the 'minimal' template for that kernel's API) and mutations of
// its `module!` block. What each kernel's macro makes of every fixture is written out by hand below,
// from rust/macros/module.rs of that kernel, so a change in the checker or in a fixture shows up as
// a disagreement rather than being absorbed.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type ModuleCheck } from '../../src/core/authoring/moduleChecks';
import type { KernelApi } from '../../src/core/authoring/kernelApi';
import { MODULE_TEMPLATES, typeNameFor } from '../../src/core/authoring/templates/registry';
import { snippetToPlainText } from '../../src/core/authoring/templates/snippetText';
import { kbuildMakeArgs } from '../../src/core/kbuild/makeArgs';
import { runProcess } from '../../src/core/process/runProcess';
import type { Toolchain } from '../../src/core/toolchain/toolchain';
import type { Fix } from '../../src/core/safety/findings';

export type KernelLabel = '6.1' | '6.12' | '7.2';
export const KERNEL_LABELS: readonly KernelLabel[] = ['6.1', '6.12', '7.2'];

type PerKernel<T> = Readonly<Record<KernelLabel, T>>;

export interface ModuleFixture {
  /** `f03_order_license`: the file (`f03_order_license.rs`), the kbuild object and the module name. */
  id: string;
  what: string;
  source: string;
  /** Whether this kernel's module! (and rustc) accepts the file: written by hand per kernel. */
  builds: boolean;
  /** The checks the findings must name, exactly (empty when the file builds). */
  checks: readonly ModuleCheck[];
  /**
   * The quick fixes turn the file into one without findings that builds; `firstFix` matches the
   * title of the fix applied first (codeActions.test.ts).
   */
  firstFix?: RegExp;
  /**
   * A known disagreement, and why: the kernel refuses the file but checkModuleMacros cannot tell. The
   * test requires the disagreement, so fixing the checker shows up here.
   */
  gap?: string;
}

/** How a kernel spells the pieces of `module!` (6.1: byte strings, `author`; 7.2: `authors: [..]`). */
interface Dialect {
  label: KernelLabel;
  /** The kernel's text literal: `b"x"` on 6.1, `"x"` later. */
  str(text: string): string;
  /** The right author line for this kernel. */
  author(text: string): string;
}

function dialectOf(label: KernelLabel): Dialect {
  const bytes = label === '6.1';
  return {
    label,
    str: (text) => (bytes ? `b"${text}"` : `"${text}"`),
    author: (text) => (label === '7.2' ? `authors: ["${text}"],` : `author: ${bytes ? 'b' : ''}"${text}",`),
  };
}

const AUTHOR = 'Fixture Author <fixture@example.com>';

/** The 'minimal' template for this kernel, split around its `module!` block. */
export function baseModule(api: KernelApi, id: string): { before: string; block: string; after: string; typeName: string } {
  const template = MODULE_TEMPLATES.find((candidate) => candidate.id === 'minimal');
  if (!template) throw new Error('no minimal template');
  const typeName = typeNameFor(id);
  const text = snippetToPlainText(template.body(api, { moduleName: id, typeName, author: AUTHOR, description: `${id} fixture` }));
  const start = text.indexOf('module! {');
  const end = text.indexOf('\n}\n', start) + 3;
  if (start === -1 || end < 3) throw new Error(`no module! block in the minimal template:\n${text}`);
  return { before: text.slice(0, start), block: text.slice(start, end), after: text.slice(end), typeName };
}

/** A `module!` block from its lines (each indented by four spaces). */
function block(lines: readonly string[]): string {
  return `module! {\n${lines.map((line) => (line === '' ? '' : `    ${line}`)).join('\n')}\n}\n`;
}

interface FixtureSpec {
  slug: string;
  what: string;
  /** The kernels it is made for (default: all). */
  only?: readonly KernelLabel[];
  /** The module! lines, from the base lines (type, name, author, description, license). */
  lines(base: BaseLines, d: Dialect, id: string, typeName: string): string[];
  /** Replaces the items after module! (default: the template's). */
  items?(after: string, typeName: string): string;
  builds: PerKernel<boolean>;
  checks?: Partial<PerKernel<readonly ModuleCheck[]>>;
  firstFix?: Partial<PerKernel<RegExp>>;
  gap?: Partial<PerKernel<string>>;
}

interface BaseLines {
  type: string;
  name: string;
  author: string;
  description: string;
  license: string;
}

const ALL: PerKernel<boolean> = { '6.1': true, '6.12': true, '7.2': true };
const NONE: PerKernel<boolean> = { '6.1': false, '6.12': false, '7.2': false };
const same = <T>(value: T): PerKernel<T> => ({ '6.1': value, '6.12': value, '7.2': value });

const withoutModuleImpl = (after: string): string => after.replace(/impl kernel::Module for \w+ \{[\s\S]*?\n\}\n\n/, '');

const VALID_PARAM = ['params: {', '    count: u32 {', '        default: 3,', '        description: "how many",', '    },', '},'];

const SPECS: readonly FixtureSpec[] = [
  {
    slug: 'base',
    what: "the 'minimal' template as it is",
    lines: (b) => [b.type, b.name, b.author, b.description, b.license],
    builds: ALL,
  },
  {
    slug: 'order_name_first',
    what: 'name before type',
    lines: (b) => [b.name, b.type, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_key_order']),
    firstFix: same(/^Put the keys in the expected order$/),
  },
  {
    slug: 'order_license',
    what: 'license before description',
    lines: (b) => [b.type, b.name, b.author, b.license, b.description],
    builds: NONE,
    checks: same(['module_key_order']),
    firstFix: same(/^Put the keys in the expected order$/),
  },
  {
    slug: 'dup_name',
    what: 'name given twice',
    lines: (b) => [b.type, b.name, b.name, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_duplicate_key']),
    firstFix: same(/^Remove this "name"$/),
  },
  {
    slug: 'dup_description',
    what: 'description (optional) given twice',
    lines: (b) => [b.type, b.name, b.author, b.description, b.description, b.license],
    builds: NONE,
    checks: same(['module_duplicate_key']),
    firstFix: same(/^Remove this "description"$/),
  },
  {
    slug: 'missing_type',
    what: 'no type',
    lines: (b) => [b.name, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_missing_key']),
    firstFix: same(/^Add "type: F\d+MissingType,"$/),
  },
  {
    slug: 'missing_name',
    what: 'no name',
    lines: (b) => [b.type, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_missing_key']),
    firstFix: same(/^Add "name: b?"f\d+_missing_name","$/),
  },
  {
    slug: 'missing_license',
    what: 'no license',
    lines: (b) => [b.type, b.name, b.author, b.description],
    builds: NONE,
    checks: same(['module_missing_key']),
    firstFix: same(/^Add "license: b?"GPL","$/),
  },
  {
    slug: 'empty',
    what: 'module! {} (every required key missing)',
    lines: () => [],
    builds: NONE,
    checks: same(['module_missing_key', 'module_missing_key', 'module_missing_key']),
    firstFix: same(/^Add "type: F\d+Empty,"$/),
  },
  {
    slug: 'unknown_key',
    what: 'a key no kernel has (version)',
    lines: (b, d) => [b.type, b.name, b.author, b.description, b.license, `version: ${d.str('1.0')},`],
    builds: NONE,
    checks: same(['module_unknown_key']),
    firstFix: same(/^Remove "version"$/),
  },
  {
    slug: 'licence',
    what: 'license misspelled licence (unknown, and license missing)',
    lines: (b) => [b.type, b.name, b.author, b.description, b.license.replace('license', 'licence')],
    builds: NONE,
    checks: same(['module_unknown_key', 'module_missing_key']),
    firstFix: same(/^Change to "license"$/),
  },
  {
    slug: 'author',
    what: 'author: "…" (a single author, the kernel\'s string kind)',
    lines: (b, d) => [b.type, b.name, `author: ${d.str(AUTHOR)},`, b.description, b.license],
    builds: { '6.1': true, '6.12': true, '7.2': false },
    checks: { '7.2': ['module_unknown_key'] },
    firstFix: { '7.2': /^Convert to authors: \[\.\.\]$/ },
  },
  {
    slug: 'authors',
    what: 'authors: ["…", "…"]',
    lines: (b) => [b.type, b.name, `authors: ["${AUTHOR}", "Second Author"],`, b.description, b.license],
    builds: { '6.1': false, '6.12': false, '7.2': true },
    checks: { '6.1': ['module_unknown_key'], '6.12': ['module_unknown_key'] },
    firstFix: { '6.1': /^Convert to author: "\.\."$/, '6.12': /^Convert to author: "\.\."$/ },
  },
  {
    slug: 'authors_empty',
    what: 'authors: []',
    only: ['7.2'],
    lines: (b) => [b.type, b.name, 'authors: [],', b.description, b.license],
    builds: { '6.1': false, '6.12': false, '7.2': true },
  },
  {
    slug: 'byte_strings',
    what: 'every text as a byte string b"…"',
    lines: (_b, d, id, typeName) => [
      `type: ${typeName},`,
      `name: b"${id}",`,
      d.label === '7.2' ? `authors: [b"${AUTHOR}"],` : `author: b"${AUTHOR}",`,
      `description: b"${id} fixture",`,
      'license: b"GPL",',
    ],
    builds: { '6.1': true, '6.12': false, '7.2': false },
    checks: {
      '6.12': ['module_value_kind', 'module_value_kind', 'module_value_kind', 'module_value_kind'],
      '7.2': ['module_value_kind', 'module_value_kind', 'module_value_kind', 'module_value_kind'],
    },
    firstFix: { '6.12': /^Convert byte strings to strings/, '7.2': /^Convert byte strings to strings/ },
  },
  {
    slug: 'strings',
    what: 'every text as a string "…"',
    lines: (_b, d, id, typeName) => [
      `type: ${typeName},`,
      `name: "${id}",`,
      d.label === '7.2' ? `authors: ["${AUTHOR}"],` : `author: "${AUTHOR}",`,
      `description: "${id} fixture",`,
      'license: "GPL",',
    ],
    builds: { '6.1': false, '6.12': true, '7.2': true },
    checks: { '6.1': ['module_value_kind', 'module_value_kind', 'module_value_kind', 'module_value_kind'] },
    firstFix: { '6.1': /^Convert strings to byte strings/ },
  },
  {
    slug: 'alias_scalar',
    what: 'alias as one string (6.1: b"…")',
    lines: (b, d) => [b.type, b.name, b.author, b.description, b.license, `alias: ${d.str('fs-fixture')},`],
    builds: { '6.1': true, '6.12': false, '7.2': false },
    checks: { '6.12': ['module_value_kind'], '7.2': ['module_value_kind'] },
    firstFix: { '6.12': /^Make "alias" an array/, '7.2': /^Make "alias" an array/ },
  },
  {
    slug: 'alias_array',
    what: 'alias as an array of strings',
    lines: (b, d) => [b.type, b.name, b.author, b.description, b.license, `alias: [${d.str('fs-fixture')}, ${d.str('char-major-250')}],`],
    builds: { '6.1': false, '6.12': true, '7.2': true },
    checks: { '6.1': ['module_value_kind'] },
  },
  {
    slug: 'alias_array_one',
    what: 'alias as an array of one string (6.1 wants a single byte string)',
    only: ['6.1'],
    lines: (b, d) => [b.type, b.name, b.author, b.description, b.license, `alias: [${d.str('fs-fixture')}],`],
    builds: NONE,
    checks: { '6.1': ['module_value_kind'] },
    firstFix: { '6.1': /^Use a single byte string: b"fs-fixture"$/ },
  },
  {
    slug: 'firmware',
    what: 'firmware: ["…"] (6.12 and later)',
    lines: (b) => [b.type, b.name, b.author, b.description, b.license, 'firmware: ["fixture.bin"],'],
    builds: { '6.1': false, '6.12': true, '7.2': true },
    checks: { '6.1': ['module_unknown_key'] },
  },
  {
    slug: 'imports_ns',
    what: 'imports_ns: ["…"] (6.13 and later)',
    lines: (b) => [b.type, b.name, b.author, b.description, b.license, 'imports_ns: ["FIXTURE_NS"],'],
    builds: { '6.1': false, '6.12': false, '7.2': true },
    checks: { '6.1': ['module_unknown_key'], '6.12': ['module_unknown_key'] },
  },
  {
    slug: 'no_last_comma',
    what: 'no comma after the last value',
    lines: (b) => [b.type, b.name, b.author, b.description, b.license.replace(/,$/, '')],
    builds: NONE,
    checks: same(['module_syntax']),
    firstFix: same(/^Add the comma$/),
  },
  {
    slug: 'no_middle_comma',
    what: 'no comma after name',
    lines: (b) => [b.type, b.name.replace(/,$/, ''), b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_syntax']),
    firstFix: same(/^Add the comma$/),
  },
  {
    slug: 'type_not_found',
    what: 'type names a struct that does not exist',
    lines: (b) => ['type: NoSuchType,', b.name, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_type_not_found']),
    firstFix: same(/^Add `struct NoSuchType;`$/),
  },
  {
    slug: 'no_module_impl',
    what: 'the type has no Module impl',
    lines: (b) => [b.type, b.name, b.author, b.description, b.license],
    items: (after) => withoutModuleImpl(after),
    builds: NONE,
    checks: same(['module_missing_impl']),
    firstFix: same(/^Implement kernel::Module for F\d+NoModuleImpl$/),
  },
  {
    slug: 'non_ascii_name',
    what: 'a name with non-ASCII letters',
    lines: (b, d, id) => [b.type, `name: ${d.str(`${id}_grüße`)},`, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_value_kind']),
  },
  {
    slug: 'non_ascii_description',
    what: 'a description with non-ASCII letters',
    lines: (b, d) => [b.type, b.name, b.author, `description: ${d.str('Grüße aus dem Kernel')},`, b.license],
    // 6.1: a byte string literal cannot hold non-ASCII characters; later, description is any string.
    builds: { '6.1': false, '6.12': true, '7.2': true },
    checks: { '6.1': ['module_value_kind'] },
  },
  {
    slug: 'non_ascii_author',
    what: 'an author with non-ASCII letters',
    lines: (b, d) => [b.type, b.name, d.author('Jürgen Müller'), b.description, b.license],
    // 6.12: author is any string; 7.2: authors are ASCII-only string literals.
    builds: { '6.1': false, '6.12': true, '7.2': false },
    checks: { '6.1': ['module_value_kind'], '7.2': ['module_value_kind'] },
  },
  {
    slug: 'optional_omitted',
    what: 'only the required keys (type, name, license)',
    lines: (b) => [b.type, b.name, b.license],
    builds: ALL,
  },
  {
    slug: 'comments',
    what: 'line and block comments between the keys',
    lines: (b) => [
      '// The type the module is.',
      b.type,
      b.name,
      '/* who wrote it */',
      b.author,
      b.description,
      '// license last',
      b.license,
    ],
    builds: ALL,
  },
  {
    slug: 'comments_misordered',
    what: 'comments between misordered keys (no reorder fix: it would move them)',
    lines: (b) => [b.type, b.name, '// description below', b.license, b.description],
    builds: NONE,
    checks: same(['module_key_order']),
  },
  {
    slug: 'doc_comment',
    what: 'a /// doc comment between the keys (an attribute to the macro)',
    lines: (b) => [b.type, '/// The name.', b.name, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_syntax']),
    firstFix: same(/^Make it a plain comment$/),
  },
  {
    slug: 'name_space',
    what: 'a name with a space (the name becomes part of identifiers)',
    lines: (b, d, id) => [b.type, `name: ${d.str(`${id} x`)},`, b.author, b.description, b.license],
    builds: NONE,
    checks: same(['module_value_kind']),
  },
  {
    slug: 'name_empty',
    what: 'an empty name',
    lines: (b, d) => [b.type, `name: ${d.str('')},`, b.author, b.description, b.license],
    builds: ALL,
  },
  {
    slug: 'license_proprietary',
    what: 'a license that is not GPL-compatible (modpost: the kernel crate is GPL-only)',
    lines: (b, d) => [b.type, b.name, b.author, b.description, `license: ${d.str('Proprietary')},`],
    builds: NONE,
    checks: same(['module_value_kind']),
    firstFix: same(/^Change to b?"GPL"$/),
  },
  {
    slug: 'license_dual',
    what: 'license "Dual MIT/GPL"',
    lines: (b, d) => [b.type, b.name, b.author, b.description, `license: ${d.str('Dual MIT/GPL')},`],
    builds: ALL,
  },
  {
    slug: 'raw_string',
    what: 'a raw string as description (6.1: br"…")',
    lines: (b, d) => [b.type, b.name, b.author, `description: ${d.label === '6.1' ? 'br' : 'r'}"raw text",`, b.license],
    builds: { '6.1': false, '6.12': false, '7.2': true },
    // The string parser of 6.2 to 6.x refuses raw strings ("Raw string literals are not yet handled"); 7.x (syn) takes them.
    checks: { '6.1': ['module_value_kind'], '6.12': ['module_value_kind'] },
  },
  {
    slug: 'escape',
    what: 'an escaped quote in the description',
    lines: (b, d) => [b.type, b.name, b.author, `description: ${d.str('say \\"hi\\"')},`, b.license],
    builds: { '6.1': true, '6.12': false, '7.2': true },
    // The string parser of 6.2 to 6.x refuses escapes ("Escape sequences in string literals not yet handled"); 6.1 (byte strings) and 7.x take them.
    checks: { '6.12': ['module_value_kind'] },
  },
  {
    slug: 'type_path',
    what: 'type as a path (crate::Type)',
    lines: (b, _d, _id, typeName) => [`type: crate::${typeName},`, b.name, b.author, b.description, b.license],
    builds: { '6.1': false, '6.12': false, '7.2': true },
    // Before the syn rewrite (7.x) type is one identifier.
    checks: { '6.1': ['module_value_kind'], '6.12': ['module_value_kind'] },
  },
  {
    slug: 'name_dash',
    what: 'a name with a dash',
    lines: (b, d, id) => [b.type, `name: ${d.str(id.replace(/_/g, '-'))},`, b.author, b.description, b.license],
    builds: { '6.1': false, '6.12': false, '7.2': true },
    // Before 7.x the name goes into identifiers as it is (7.x turns - into _).
    checks: { '6.1': ['module_value_kind'], '6.12': ['module_value_kind'] },
  },
  {
    slug: 'params',
    what: 'params: { count: u32 { default, description } } (6.19 and later)',
    lines: (b) => [b.type, b.name, b.author, b.description, b.license, ...VALID_PARAM],
    builds: { '6.1': false, '6.12': false, '7.2': true },
    checks: { '6.1': ['module_unknown_key'], '6.12': ['module_unknown_key'] },
  },
  {
    slug: 'params_bool',
    what: 'a bool parameter (not a supported type)',
    only: ['7.2'],
    lines: (b) => [
      b.type,
      b.name,
      b.author,
      b.description,
      b.license,
      'params: {',
      '    verbose: bool {',
      '        default: false,',
      '        description: "log more",',
      '    },',
      '},',
    ],
    builds: NONE,
    checks: { '7.2': ['module_param'] },
  },
  {
    slug: 'params_desc_first',
    what: 'a parameter with description before default',
    only: ['7.2'],
    lines: (b) => [
      b.type,
      b.name,
      b.author,
      b.description,
      b.license,
      'params: {',
      '    count: u32 {',
      '        description: "how many",',
      '        default: 3,',
      '    },',
      '},',
    ],
    builds: NONE,
    checks: { '7.2': ['module_param'] },
  },
  {
    slug: 'params_no_desc',
    what: 'a parameter without a description',
    only: ['7.2'],
    lines: (b) => [
      b.type,
      b.name,
      b.author,
      b.description,
      b.license,
      'params: {',
      '    count: u32 {',
      '        default: 3,',
      '    },',
      '},',
    ],
    builds: NONE,
    checks: { '7.2': ['module_param'] },
  },
  {
    slug: 'params_unknown_key',
    what: 'a parameter with an unknown key (permissions)',
    only: ['7.2'],
    lines: (b) => [
      b.type,
      b.name,
      b.author,
      b.description,
      b.license,
      'params: {',
      '    count: u32 {',
      '        default: 3,',
      '        description: "how many",',
      '        permissions: 0o644,',
      '    },',
      '},',
    ],
    builds: NONE,
    checks: { '7.2': ['module_param'] },
  },
  {
    slug: 'params_two',
    what: 'two parameters, i64 with a negative default and usize',
    only: ['7.2'],
    lines: (b) => [
      b.type,
      b.name,
      b.author,
      b.description,
      b.license,
      'params: {',
      '    offset: i64 {',
      '        default: -5,',
      '        description: "offset",',
      '    },',
      '    limit: usize {',
      '        default: 64,',
      '        description: "limit",',
      '    },',
      '},',
    ],
    builds: { '6.1': false, '6.12': false, '7.2': true },
  },
];

/** The fixtures for one kernel, numbered in order (`f01_base`, …). */
export function moduleFixtures(label: KernelLabel, api: KernelApi): ModuleFixture[] {
  const d = dialectOf(label);
  const fixtures: ModuleFixture[] = [];
  for (const spec of SPECS) {
    if (spec.only && !spec.only.includes(label)) continue;
    const id = `f${String(fixtures.length + 1).padStart(2, '0')}_${spec.slug}`;
    const base = baseModule(api, id);
    const lines: BaseLines = {
      type: `type: ${base.typeName},`,
      name: `name: ${d.str(id)},`,
      author: d.author(AUTHOR),
      description: `description: ${d.str(`${id} fixture`)},`,
      license: `license: ${d.str('GPL')},`,
    };
    const after = spec.items ? spec.items(base.after, base.typeName) : base.after;
    const builds = spec.builds[label];
    const fix = spec.firstFix?.[label];
    const gap = spec.gap?.[label];
    fixtures.push({
      id,
      what: spec.what,
      source: `${base.before}${block(spec.lines(lines, d, id, base.typeName))}${after}`,
      builds,
      checks: spec.checks?.[label] ?? [],
      ...(fix ? { firstFix: fix } : {}),
      ...(gap ? { gap } : {}),
    });
  }
  return fixtures;
}

// ---- Building many one-file modules in one kbuild run -------------------------------------------

export interface BatchBuild {
  /** Module names (file stems) that built to a .ko (compiled, and modpost took them). */
  built: Set<string>;
  /** Module names whose .o rustc compiled (phase 1). */
  compiled: Set<string>;
  /** The first error rustc reported in each file (with the proc macro's message, if any), else modpost's. */
  firstError: Map<string, string>;
  /** Module names kbuild said it compiled (`RUSTC [M] …/NAME.o`). */
  attempted: Set<string>;
  /** Module names make reported a failed target for (`*** […/NAME.o] Error 1`). */
  makeFailed: Set<string>;
  /** Modules that compiled but modpost refused, with its error line. */
  linkFailed: Map<string, string>;
  /** Both runs' output, for messages. */
  output: string;
  durationMs: number;
}

export interface RustcBlock {
  header: string;
  file: string | undefined;
  /** `= help: message: …` of a proc macro panic. */
  help: string | undefined;
}

/** rustc's diagnostics in kbuild's stderr, each with the file its `-->` line names. */
export function rustcBlocks(stderr: string): RustcBlock[] {
  const blocks: RustcBlock[] = [];
  let current: RustcBlock | undefined;
  for (const line of stderr.split('\n')) {
    const header = /^(error|warning)(\[\w+\])?: (.*)$/.exec(line);
    if (header && !/^error: aborting due to|^warning: \d+ warnings? emitted|^warning: unused/.test(line)) {
      current = { header: line, file: undefined, help: undefined };
      blocks.push(current);
      continue;
    }
    if (!current) continue;
    if (line.trim() === '' || /^make(\[\d+\])?: /.test(line)) {
      current = undefined;
      continue;
    }
    const location = /^\s*--> (.+?):\d+:\d+$/.exec(line);
    if (location && current.file === undefined) current.file = location[1];
    const help = /^\s*= help: message: (.*)$/.exec(line);
    if (help && current.help === undefined) current.help = help[1];
  }
  return blocks;
}

async function runMake(args: readonly string[], cwd: string): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  let stdout = '';
  let stderr = '';
  const result = await runProcess('make', args, {
    cwd,
    timeoutMs: 20 * 60_000,
    onStdoutLine: (line) => (stdout += `${line}\n`),
    onStderrLine: (line) => (stderr += `${line}\n`),
  });
  if (result.timedOut) throw new Error(`make ${args.join(' ')} timed out`);
  return { stdout, stderr, exitCode: result.exitCode };
}

/**
 * Builds every `NAME.rs` given, each its own module, with one `make -k` over a Kbuild listing them
 * all (a failing file does not stop the others), then links the ones that compiled in a second run
 * (with -k, modpost never runs once one object failed). A file builds iff its .ko exists.
 */
export async function buildBatch(
  kernel: { kdir: string; toolchain: Toolchain },
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<BatchBuild> {
  const started = Date.now();
  mkdirSync(dir, { recursive: true });
  const names = [...files.keys()];
  for (const [name, source] of files) writeFileSync(path.join(dir, `${name}.rs`), source);
  const make = (list: readonly string[]) => {
    writeFileSync(path.join(dir, 'Kbuild'), `obj-m := ${list.map((name) => `${name}.o`).join(' ')}\n`);
    return runMake(['-k', ...kbuildMakeArgs({ kdir: kernel.kdir, moduleDir: dir, toolchain: kernel.toolchain, jobs: 2 })], dir);
  };
  const first = await make(names);
  const compiled = new Set(names.filter((name) => existsSync(path.join(dir, `${name}.o`))));
  // modpost checks all modules at once and links none when one fails (a GPL-only symbol used by a
  // module with another license): drop the modules it names and link the rest again.
  let linkOutput = '';
  const linkError = new Map<string, string>();
  let toLink = [...compiled];
  while (toLink.length > 0) {
    const run = await make(toLink);
    linkOutput += `${run.stdout}${run.stderr}`;
    if (run.exitCode === 0) break;
    const culprits = toLink.filter((name) => {
      const line = run.stderr.split('\n').find((candidate) => /^ERROR: modpost: /.test(candidate) && candidate.includes(`${name}.ko`));
      if (line && !linkError.has(name)) linkError.set(name, line);
      return line !== undefined;
    });
    if (culprits.length === 0)
      throw new Error(`linking ${toLink.join(' ')} failed, and modpost named no module:\n${run.stdout}${run.stderr}`);
    toLink = toLink.filter((name) => !culprits.includes(name));
    for (const name of culprits) rmSync(path.join(dir, `${name}.ko`), { force: true });
  }
  const built = new Set(names.filter((name) => existsSync(path.join(dir, `${name}.ko`))));
  const attempted = new Set(names.filter((name) => new RegExp(`^\\s*RUSTC \\[M\\] .*\\b${name}\\.o$`, 'm').test(first.stdout)));
  const makeFailed = new Set(names.filter((name) => new RegExp(`\\*\\*\\* \\[[^\\]]*\\b${name}\\.o\\] Error`).test(first.stderr)));
  const firstError = new Map<string, string>();
  for (const block of rustcBlocks(first.stderr)) {
    if (!block.header.startsWith('error') || !block.file) continue;
    const name = path.basename(block.file).replace(/\.rs$/, '');
    if (!files.has(name) || firstError.has(name)) continue;
    firstError.set(name, block.help ? `${block.header} (${block.help})` : block.header);
  }
  for (const [name, line] of linkError) if (!firstError.has(name)) firstError.set(name, line);
  return {
    built,
    compiled,
    firstError,
    attempted,
    makeFailed,
    linkFailed: linkError,
    output: `${first.stdout}${first.stderr}\n---- link runs ----\n${linkOutput}`,
    durationMs: Date.now() - started,
  };
}

/** Applies an LSP-style fix to a text. */
export function applyFix(text: string, fix: Fix): string {
  return TextDocument.applyEdits(TextDocument.create('file:///fixture.rs', 'rust', 1, text), fix.edits);
}

/** A plain-text table (for assertion messages). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.min(70, Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length))));
  const cell = (text: string, column: number) =>
    text.length > widths[column]! ? `${text.slice(0, widths[column]! - 1)}…` : text.padEnd(widths[column]!);
  const line = (row: readonly string[]) =>
    row
      .map((text, column) => cell(text, column))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}
