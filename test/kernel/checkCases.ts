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
    appended: `
#[allow(dead_code)]
fn first_byte(p: *const u32) -> u8 {
    let bytes = p as *const u8; // ptr_as_ptr
    unsafe { *bytes } // no SAFETY comment
}
`,
    expected: [
      { code: 'clippy::ptr_as_ptr', lineWith: '// ptr_as_ptr' },
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
