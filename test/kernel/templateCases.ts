// What templates.test.ts expects of each template on each test kernel, and the module that holds
// every fragment template. The expectations are written out by hand (not derived from the
// registry), so a change in detection or in a template's behaviour makes a test fail.
import type { KernelApi } from '../../src/core/authoring/kernelApi';
import {
  defaultContext,
  FRAGMENT_TEMPLATES,
  findTemplate,
  MODULE_TEMPLATES,
  type Template,
} from '../../src/core/authoring/templates/registry';
import { vecPush } from '../../src/core/authoring/templates/moduleParts';
import { snippetToPlainText } from '../../src/core/authoring/templates/snippetText';

export type KernelLabel = '6.1' | '6.12' | '7.2';
export const KERNEL_LABELS: readonly KernelLabel[] = ['6.1', '6.12', '7.2'];

/** The module templates `rfl new --list` must offer on each test kernel, in registry order. */
export const EXPECTED_MODULE_TEMPLATES: Readonly<Record<KernelLabel, readonly string[]>> = {
  '6.1': ['minimal', 'vector'],
  '6.12': ['minimal', 'vector'],
  '7.2': ['minimal', 'vector', 'params', 'pinned', 'misc-device', 'platform-driver'],
};

const ALL_FRAGMENTS = [
  'pr_info',
  'pr_err',
  'pr_warn',
  'pr_notice',
  'pr_debug',
  'safety',
  'invariant',
  'cast',
  'safety-doc',
  'invariants-doc',
  'mutex-field',
  'mutex-init',
];

/** The fragment templates each test kernel takes (6.1's prelude has only pr_info!, and no pin-init). */
export const EXPECTED_FRAGMENT_TEMPLATES: Readonly<Record<KernelLabel, readonly string[]>> = {
  '6.1': ['pr_info', 'safety', 'invariant', 'cast', 'safety-doc', 'invariants-doc'],
  '6.12': ALL_FRAGMENTS,
  '7.2': [...ALL_FRAGMENTS, 'kunit-tests'],
};

/** `misc-device` → `tpl_misc_device`: the module (and /dev node, and platform driver) name. */
export function moduleNameFor(templateId: string): string {
  return `tpl_${templateId.replace(/-/g, '_')}`;
}

export const FRAGMENTS_MODULE = 'tpl_fragments';

/** The `count` parameter of the params template: a value it accepts and one it refuses. */
export const PARAM_OK = 5;
export const PARAM_TOO_LARGE = 1000;

/** Written to the misc device and read back by the guest script. */
export const MISC_FIRST = 'hello';
export const MISC_SECOND = 'again';

/** A busybox sh script run in the guest after every module is loaded; it exits non-zero on any failure. */
export function guestScriptFor(templateIds: readonly string[]): string {
  const lines = ['fail() { echo "guest: FAILED: $*"; exit 1; }'];
  if (templateIds.includes('misc-device')) {
    const dev = `/dev/${moduleNameFor('misc-device')}`;
    lines.push(
      `[ -c ${dev} ] || fail "${dev} is not a character device"`,
      // `>` replaces the buffer, `>>` (O_APPEND) adds to it; each read is a new open.
      `echo ${MISC_FIRST} > ${dev} || fail "write to ${dev}"`,
      `echo "guest: misc read [$(tr '\\n' '|' < ${dev})]"`,
      `echo ${MISC_SECOND} >> ${dev} || fail "append to ${dev}"`,
      `echo "guest: misc read [$(tr '\\n' '|' < ${dev})]"`,
    );
  }
  if (templateIds.includes('platform-driver')) {
    const driver = moduleNameFor('platform-driver');
    // rtc_cmos is a platform device without a driver in the test VM: driver_override lets the
    // skeleton (whose OF/ACPI ids match nothing here) bind to it.
    const device = '/sys/bus/platform/devices/rtc_cmos';
    const drivers = `/sys/bus/platform/drivers/${driver}`;
    lines.push(
      `[ -d ${drivers} ] || fail "${drivers} is missing"`,
      `[ -d ${device} ] || fail "${device} is missing"`,
      `echo ${driver} > ${device}/driver_override || fail "driver_override"`,
      `echo rtc_cmos > ${drivers}/bind || fail "bind"`,
      `echo "guest: rtc_cmos bound to $(basename "$(readlink ${device}/driver)")"`,
      `echo rtc_cmos > ${drivers}/unbind || fail "unbind"`,
      `[ -e ${device}/driver ] && fail "rtc_cmos is still bound after unbind"`,
      'echo "guest: rtc_cmos unbound"',
    );
  }
  lines.push('exit 0', '');
  return lines.join('\n');
}

/** What the batch run must show for one template's module. */
export interface TemplateExpectation {
  /** The module's own log lines (`NAME: …`), exactly and in order. */
  logLines: string[];
  /** Console lines (guest output, dev_info!) that must appear, in this order. */
  consoleInOrder?: string[];
}

export function expectationFor(templateId: string): TemplateExpectation {
  const name = moduleNameFor(templateId);
  switch (templateId) {
    case 'minimal':
      return { logLines: [`${name}: init`, `${name}: exit`] };
    case 'vector':
      return { logLines: [`${name}: init`, `${name}: exit: numbers [72, 108, 200]`] };
    case 'pinned':
      return { logLines: [`${name}: init (in place)`, `${name}: exit: log [42]`] };
    case 'misc-device': {
      const held = `${MISC_FIRST}\n${MISC_SECOND}\n`.length;
      return {
        logLines: [`${name}: registering /dev/${name}`, `${name}: exit: the buffer held ${held} bytes`],
        consoleInOrder: [`guest: misc read [${MISC_FIRST}|]`, `guest: misc read [${MISC_FIRST}|${MISC_SECOND}|]`],
      };
    }
    case 'platform-driver':
      // dev_info! lines carry the driver and device name, not `NAME:`. Kernel and guest lines
      // can interleave on the console, so the order is checked within each.
      return { logLines: [], consoleInOrder: [`${name} rtc_cmos: probe`, `${name} rtc_cmos: remove`] };
    default:
      throw new Error(`templates.test.ts has no expectation for the ${templateId} template: add one to templateCases.ts`);
  }
}

// --- The fragments module ---------------------------------------------------------------------

function plain(template: Template, api: KernelApi): string {
  return snippetToPlainText(template.body(api, defaultContext(FRAGMENTS_MODULE)));
}

function fragment(id: string, api: KernelApi): string {
  const template = findTemplate(id, FRAGMENT_TEMPLATES);
  if (!template) throw new Error(`no fragment template ${id}`);
  return plain(template, api);
}

function lineIndex(lines: readonly string[], pattern: RegExp, what: string, from = 0): number {
  const index = lines.findIndex((line, at) => at >= from && pattern.test(line));
  if (index === -1) throw new Error(`fragments module: the host template has no ${what} (${pattern}); update templateCases.ts`);
  return index;
}

/** Inserts `block` at `index`, indented like the line at `indentFrom`. */
function insertAt(lines: string[], index: number, block: string, indentFrom: number): void {
  const indentation = /^\s*/.exec(lines[indentFrom] ?? '')?.[0] ?? '';
  lines.splice(index, 0, ...block.split('\n').map((line) => (line === '' ? line : indentation + line)));
}

export interface FragmentsModule {
  /** The module template the fragments were put into. */
  host: string;
  /** The fragment templates inserted (the ones this kernel takes). */
  inserted: string[];
  source: string;
  /** The module's log lines, exactly and in order. */
  logLines: string[];
}

/**
 * The pinned template (else the minimal one) with every fragment template this kernel takes put
 * where it belongs: log lines in init, SAFETY/CAST above an unsafe block and a cast in init,
 * INVARIANT above init's result, `# Safety` on an unsafe fn, `# Invariants` on the module type, and
 * the mutex field and initialiser in a #[pin_data] struct and its try_pin_init!.
 */
export function fragmentsModule(api: KernelApi): FragmentsModule {
  const available = FRAGMENT_TEMPLATES.filter((template) => template.unavailableReason(api) === undefined).map((template) => template.id);
  const has = (id: string) => available.includes(id);
  const hostId = MODULE_TEMPLATES.some((template) => template.id === 'pinned' && template.unavailableReason(api) === undefined)
    ? 'pinned'
    : 'minimal';
  const host = findTemplate(hostId, MODULE_TEMPLATES);
  if (!host) throw new Error(`no ${hostId} template`);
  const ctx = defaultContext(FRAGMENTS_MODULE);
  const type = ctx.typeName;
  const name = FRAGMENTS_MODULE;
  const pinned = hostId === 'pinned';
  const mutex = has('mutex-field') && has('mutex-init');
  if (has('mutex-field') !== has('mutex-init')) throw new Error('mutex-field and mutex-init should come together');
  const lines = plain(host, api).split('\n');

  // Statements at the top of init: each log line, then a cast and an unsafe read of its result.
  const initPrint = lineIndex(lines, /^\s+pr_info!\("init/, 'pr_info!("init…") line in init');
  const statements: string[] = [];
  const printed: string[] = [];
  for (const id of available.filter((candidate) => candidate.startsWith('pr_'))) {
    statements.push(fragment(id, api));
    // pr_debug! prints only with CONFIG_RUST_DEBUG_ASSERTIONS, which the test kernels leave off.
    if (id !== 'pr_debug') printed.push(`${name}: message`);
  }
  statements.push(
    'let word: u32 = 0x2a;',
    has('cast') ? fragment('cast', api) : '// The first byte of a little-endian u32.',
    'let first = core::ptr::addr_of!(word).cast::<u8>();',
    has('safety') ? fragment('safety', api) : '// SAFETY: `first` points into `word`, which is live.',
    'let byte = unsafe { read_byte(first) };',
    'pr_info!("first byte of the word: {}\\n", byte);',
  );
  printed.push(`${name}: first byte of the word: 42`);
  if (mutex && !pinned) {
    // No in-place module on this kernel: a #[pin_data] struct of our own, pinned in a box.
    const boxType = api.vector === 'kvec' ? 'KBox' : 'Box';
    statements.push(
      `let shared = ${boxType}::pin_init(`,
      `    try_pin_init!(Shared {`,
      `        ${fragment('mutex-init', api)}`,
      `    }),`,
      `    GFP_KERNEL,`,
      `)?;`,
      `${vecPush(api, 'shared.buffer.lock()', '7')};`,
      `pr_info!("buffer {:?}\\n", &shared.buffer.lock()[..]);`,
    );
    printed.push(`${name}: buffer [7]`);
  }
  insertAt(lines, initPrint + 1, statements.join('\n'), initPrint);

  // INVARIANT above what init returns.
  if (has('invariant')) {
    const result = lineIndex(lines, pinned ? /^\s+try_pin_init!\(Self \{/ : new RegExp(`^\\s+Ok\\(${type}\\)`), "init's result", initPrint);
    insertAt(lines, result, fragment('invariant', api), result);
  }

  if (pinned && mutex) {
    const field = lineIndex(lines, /^\s+log: Mutex</, 'log: Mutex<…> field');
    insertAt(lines, field + 1, fragment('mutex-field', api), field);
    const init = lineIndex(lines, /^\s+log <- new_mutex!/, 'log <- new_mutex!(…) initialiser');
    insertAt(lines, init + 1, fragment('mutex-init', api), init);
    const exitLog = lineIndex(lines, /^\s+pr_info!\("exit: log/, 'pr_info!("exit: log…") line');
    insertAt(lines, exitLog + 1, 'pr_info!("exit: buffer holds {} bytes\\n", self.buffer.lock().len());', exitLog);
  }

  // `# Invariants` on the module type, above its attributes.
  if (has('invariants-doc')) {
    let item = lineIndex(lines, new RegExp(`^struct ${type}\\b`), `struct ${type}`);
    while (item > 0 && lines[item - 1]?.startsWith('#[')) item--;
    insertAt(lines, item, fragment('invariants-doc', api), item);
  }

  if (mutex && !pinned) {
    const prelude = lineIndex(lines, /^use kernel::prelude::\*;$/, 'use kernel::prelude::*;');
    lines.splice(prelude + 1, 0, 'use kernel::{new_mutex, sync::Mutex};');
  }

  // Items at the end: the unsafe fn init calls, and the pinned struct when the host has none.
  const items: string[] = [
    '',
    '/// Reads the byte `ptr` points to.',
    '///',
    ...(has('safety-doc') ? fragment('safety-doc', api).split('\n') : ['/// # Safety', '///', '/// `ptr` must be valid for a read.']),
    'unsafe fn read_byte(ptr: *const u8) -> u8 {',
    '    // SAFETY: The caller guarantees that `ptr` is valid for a read.',
    '    unsafe { *ptr }',
    '}',
  ];
  if (mutex && !pinned) {
    items.push(
      '',
      '#[pin_data]',
      'struct Shared {',
      ...fragment('mutex-field', api)
        .split('\n')
        .map((line) => `    ${line}`),
      '}',
    );
  }
  // The KUnit test module last: its suite runs while the module loads (the test kernel has KUnit).
  // The pinned host has its own `mod tests` and suite: this one gets other names.
  if (has('kunit-tests'))
    items.push(
      '',
      fragment('kunit-tests', api).replace('mod tests', 'mod fragment_tests').replace(`(${name}_tests)`, `(${name}_fragment_tests)`),
    );
  while (lines.at(-1) === '') lines.pop();
  lines.push(...items, '');

  const logLines = pinned
    ? [`${name}: init (in place)`, ...printed, `${name}: exit: log [42]`, ...(mutex ? [`${name}: exit: buffer holds 0 bytes`] : [])]
    : [`${name}: init`, ...printed, `${name}: exit`];
  return { host: hostId, inserted: available, source: lines.join('\n'), logLines };
}
