// Generators of inputs that once made the SAFETY linter slow (issue 10): each family repeats one
// shape until the text reaches a given size, so that a test or benchmark can compare the time per
// byte of a family with that of plain code. Every family is valid Rust (or close to it), since real
// files of that shape are what an editor sees.

export interface PathologicalFamily {
  name: string;
  /** Text of at least `bytes` UTF-16 code units (all ASCII, so also bytes). */
  generate(bytes: number): string;
}

/** `head`, then `unit(i)` for i = 0, 1, ... until `bytes` is reached, then `tail`. */
function repeatUntil(bytes: number, head: string, unit: (i: number) => string, tail: string): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; length < bytes; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length;
  }
  parts.push(tail);
  return parts.join('');
}

export const PATHOLOGICAL_FAMILIES: readonly PathologicalFamily[] = [
  {
    name: 'else-if chain',
    generate: (bytes) =>
      repeatUntil(
        bytes,
        'pub fn f(x: u32, p: *const u32) -> u32 {\n    if x == 0 {\n        0\n    }',
        (i) => ` else if x == ${i + 1} {\n        // SAFETY: p is valid.\n        unsafe { *p }\n    }`,
        ' else {\n        unsafe { *p }\n    }\n}\n',
      ),
  },
  {
    name: '/// # Safety lines',
    generate: (bytes) => repeatUntil(bytes, '', (i) => (i % 50 === 49 ? `pub fn f${i}() {}\n` : '/// # Safety\n'), ''),
  },
  {
    name: 'CR-only functions',
    generate: (bytes) =>
      repeatUntil(
        bytes,
        '',
        (i) => `fn f${i}(p: *const u8) -> u8 {\r    /* SAFETY: p is valid. */\r    unsafe { *p }\r}\rfn g${i}() -> u8 { unsafe { *P } }\r`,
        '',
      ),
  },
  {
    name: 'unsafe blocks',
    generate: (bytes) =>
      repeatUntil(
        bytes,
        'pub fn f(p: *const u8) {\n',
        (i) => (i % 3 === 0 ? '    // SAFETY: p is valid.\n' : '') + '    unsafe { *p };\n',
        '}\n',
      ),
  },
  {
    name: 'unsafe impls',
    generate: (bytes) => repeatUntil(bytes, '', (i) => `unsafe impl Send for S${i} {}\n`, ''),
  },
  {
    name: 'match arms',
    generate: (bytes) =>
      repeatUntil(
        bytes,
        'pub fn f(x: u32, p: *const u32) -> u32 {\n    match x {\n',
        (i) => `        ${i} => unsafe { *p },\n`,
        '        _ => 0,\n    }\n}\n',
      ),
  },
  {
    name: 'big macro call',
    generate: (bytes) => repeatUntil(bytes, 'kernel::define!(\n', (i) => `    item${i} = unsafe { f(${i}) }, ${i} + 1;\n`, ');\n'),
  },
  {
    name: 'brackets in literals',
    generate: (bytes) =>
      repeatUntil(
        bytes,
        'pub fn f() {\n',
        (i) => `    let _c${i} = b'{'; let _s = "(([["; let _r = r#"{{"#; let _l: &'static str = "{"; // {[(\n`,
        '}\n',
      ),
  },
];

/** Plain kernel-like code of the same size, for the baseline throughput. */
export function plainCode(bytes: number): string {
  return repeatUntil(
    bytes,
    '',
    (i) =>
      `/// Reads the value.\npub fn read${i}(p: *const u32) -> u32 {\n    let x = ${i};\n` +
      `    // SAFETY: the caller passes a valid pointer.\n    let v = unsafe { *p };\n    v + x\n}\n\n`,
    '',
  );
}
