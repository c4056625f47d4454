// The modules the check tests build: the kernel's example module (rust_hello, in that kernel's API)
// with one of these appended. Each case lists exactly the diagnostics `make CLIPPY=1` gives for it:
// rustc runs no lints once a crate has errors, so errors and lints are separate cases.
export interface ExpectedDiagnostic {
  code: string;
  /** Marker text on the line rustc's primary span points at. */
  lineWith: string;
}

export interface CheckCase {
  name: string;
  appended: string;
  expected: ExpectedDiagnostic[];
}

export const CHECK_CASES: readonly CheckCase[] = [
  {
    name: 'errors',
    appended: `
#[allow(dead_code)]
fn widen(count: u32) -> u64 {
    count // type error
}

#[allow(dead_code)]
fn borrowed(numbers: &mut KVec<i32>) -> i32 {
    let first = &numbers[0];
    let _ = numbers.push(1, GFP_KERNEL); // borrow error
    *first
}
`,
    expected: [
      { code: 'E0308', lineWith: '// type error' },
      { code: 'E0502', lineWith: '// borrow error' },
    ],
  },
  {
    name: 'lints',
    // needless_return: in -Wclippy::all, which every kernel since 6.1 turns on (ptr_as_ptr only since 6.13).
    appended: `
#[allow(dead_code)]
fn first_byte(p: *const u8) -> u8 {
    unsafe { *p } // no SAFETY comment
}

#[allow(dead_code)]
fn double(x: u32) -> u32 {
    return x * 2; // needless_return
}
`,
    expected: [
      { code: 'clippy::needless_return', lineWith: '// needless_return' },
      { code: 'clippy::undocumented_unsafe_blocks', lineWith: '// no SAFETY comment' },
    ],
  },
  {
    name: 'fixable',
    appended: `
#[allow(dead_code)]
fn widen(count: u32) -> u64 {
    count // type error
}
`,
    expected: [{ code: 'E0308', lineWith: '// type error' }],
  },
];

/** 0-based line of the first line containing `marker`. */
export function lineOf(text: string, marker: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(marker));
  if (index < 0) throw new Error(`no line with ${marker}`);
  return index;
}
