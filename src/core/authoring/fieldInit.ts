// An initial value for a struct field, from its type as written, for the generated `init`. Types
// it does not know get `Default::default()`, which compiles only where the type implements Default:
// a build error names the field, which is better than a placeholder that panics in the kernel.
import type { KernelApi } from './kernelApi';

const INTEGERS = new Set(['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'i128', 'u128', 'isize', 'usize']);

function genericArgument(type: string, outer: string): string | undefined {
  const match = new RegExp(`^(?:[\\w:]*::)?${outer}\\s*<(.*)>$`, 's').exec(type.trim());
  return match?.[1]?.trim();
}

export interface FieldInitializer {
  /** The expression. */
  expression: string;
  /** `<-` (pinned, in-place) instead of `:` inside `pin_init!`. */
  inPlace: boolean;
}

export function initialValue(type: string, api: KernelApi, pinned = false): FieldInitializer {
  const plain = (expression: string): FieldInitializer => ({ expression, inPlace: false });
  const trimmed = type.trim();
  if (INTEGERS.has(trimmed)) return plain('0');
  if (trimmed === 'bool') return plain('false');
  if (trimmed === 'char') return plain("'\\0'");
  if (trimmed === '()') return plain('()');
  if (/^&'static str$/.test(trimmed)) return plain('""');
  if (genericArgument(trimmed, 'Option') !== undefined) return plain('None');
  const array = /^\[\s*(.+)\s*;\s*(\w+)\s*\]$/.exec(trimmed);
  if (array && INTEGERS.has(array[1] ?? '')) return plain(`[0; ${array[2]}]`);
  if (genericArgument(trimmed, 'KVec') !== undefined) return plain('KVec::new()');
  if (genericArgument(trimmed, 'Vec') !== undefined) return plain(api.vector === 'kvec' ? 'KVec::new()' : 'Vec::new()');
  for (const boxed of ['KBox', 'Box']) {
    const inner = genericArgument(trimmed, boxed);
    if (inner === undefined) continue;
    const value = initialValue(inner, api);
    if (value.inPlace) break;
    const constructor =
      boxed === 'Box' && api.vector === 'vecTryPush'
        ? `Box::try_new(${value.expression})?`
        : `${boxed}::new(${value.expression}, GFP_KERNEL)?`;
    return plain(constructor);
  }
  const mutexInner = genericArgument(trimmed, 'Mutex') ?? genericArgument(trimmed, 'SpinLock');
  if (mutexInner !== undefined && pinned) {
    const macro = genericArgument(trimmed, 'Mutex') !== undefined ? 'kernel::new_mutex!' : 'kernel::new_spinlock!';
    return { expression: `${macro}(${initialValue(mutexInner, api).expression})`, inPlace: true };
  }
  return plain('Default::default()');
}
