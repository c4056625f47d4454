// Small templates: log lines, the comments and doc sections the kernel's rules ask for, and a
// mutex field with its initialiser. Each is compiled inside a module on the test kernels.
import type { KernelApi } from '../kernelApi';
import type { TemplateContext } from './moduleParts';
import { printMacro, vecNew, vecType } from './moduleParts';
import { placeholder } from './snippetText';

export type PrintLevel = 'info' | 'err' | 'warn' | 'notice' | 'debug';
export const PRINT_LEVELS: readonly PrintLevel[] = ['info', 'err', 'warn', 'notice', 'debug'];

export function printLine(api: KernelApi, level: PrintLevel): string {
  const macro = printMacro(api, level) ?? `kernel::pr_${level}!`;
  return `${macro}("${placeholder(1, 'message')}\\n"$2);$0`;
}

export const safetyComment = (): string => `// SAFETY: ${placeholder(1, 'why this is sound')}$0`;
export const invariantComment = (): string => `// INVARIANT: ${placeholder(1, 'why the invariant holds')}$0`;
export const castComment = (): string => `// CAST: ${placeholder(1, 'why the cast is valid')}$0`;

export const safetyDocSection = (): string => `/// # Safety\n///\n/// ${placeholder(1, 'The caller must ensure that …')}$0`;

export const invariantsDocSection = (): string => `/// # Invariants\n///\n/// ${placeholder(1, 'What always holds for this type.')}$0`;

/** A mutex field of a `#[pin_data]` struct. */
export function mutexField(api: KernelApi): string {
  return `#[pin]\n${placeholder(1, 'buffer')}: Mutex<${placeholder(2, vecType(api, 'u8'))}>,$0`;
}

/** Its initialiser inside `pin_init!`/`try_pin_init!` (needs `use kernel::new_mutex;`). */
export function mutexInit(api: KernelApi): string {
  return `${placeholder(1, 'buffer')} <- new_mutex!(${placeholder(2, vecNew(api))}),$0`;
}

/**
 * A module's own KUnit tests (6.15+): the suite runs when the module is loaded into a kernel with
 * CONFIG_KUNIT=y (`rfl test`, the Test Explorer). The example test computes something, so clippy
 * sees no constant comparison.
 */
export function kunitTestModule(_api: KernelApi, ctx: TemplateContext): string {
  return [
    `#[kunit_tests(${placeholder(1, `${ctx.moduleName}_tests`)})]`,
    'mod tests {',
    '    #[test]',
    `    fn ${placeholder(2, 'sums')}() {`,
    '        let values = [1, 2, 3];',
    `        assert_eq!(values.iter().sum::<i32>(), 6);$0`,
    '    }',
    '}',
  ].join('\n');
}
