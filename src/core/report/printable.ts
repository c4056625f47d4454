// File names as a terminal line may show them: a name may hold newlines or escape sequences, which
// printed raw would forge output lines or drive the terminal. Control characters are escaped the
// way Rust's `escape_debug` writes them (`\n`, `\t`, `\u{1b}`), and so is the backslash that
// starts such an escape, so that the printed name reads back unambiguously.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

export function printable(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\u{${char.charCodeAt(0).toString(16)}}`);
}
