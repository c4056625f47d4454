// rustc's JSON diagnostics (`--error-format=json`, one object per line on stderr; clippy-driver
// prints the same), as documented in https://doc.rust-lang.org/rustc/json.html. `rfl check` reads
// them out of kbuild's output, rewrites the file names to the real absolute files and prints them
// again in the same shape, so rust-analyzer's `check.overrideCommand` and other tools can read them.
import { resolveDiagnosticPath, RUSTC_LOCATION_REGEX, type PathContext } from '../kbuild/diagnostics';

export interface RustcSpanText {
  text: string;
  highlight_start: number;
  highlight_end: number;
}

export interface RustcExpansion {
  span: RustcSpan;
  macro_decl_name: string;
  def_site_span: RustcSpan | null;
}

export interface RustcSpan {
  file_name: string;
  byte_start: number;
  byte_end: number;
  /** 1-based, inclusive. */
  line_start: number;
  line_end: number;
  /** 1-based, in characters (Unicode scalar values); column_end is exclusive. */
  column_start: number;
  column_end: number;
  is_primary: boolean;
  text: RustcSpanText[];
  label: string | null;
  suggested_replacement: string | null;
  suggestion_applicability: 'MachineApplicable' | 'MaybeIncorrect' | 'HasPlaceholders' | 'Unspecified' | null;
  expansion: RustcExpansion | null;
}

export type RustcLevel = 'error' | 'warning' | 'note' | 'help' | 'failure-note' | 'error: internal compiler error';

export interface RustcDiagnostic {
  $message_type?: string;
  message: string;
  code: { code: string; explanation: string | null } | null;
  level: RustcLevel;
  spans: RustcSpan[];
  children: RustcDiagnostic[];
  rendered: string | null;
}

/** The diagnostic on one output line, or undefined for any other line (make's, the C compiler's). */
export function parseDiagnosticLine(line: string): RustcDiagnostic | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as Partial<RustcDiagnostic>;
    if (typeof value !== 'object' || value === null || typeof value.message !== 'string' || typeof value.level !== 'string')
      return undefined;
    if (value.$message_type !== undefined && value.$message_type !== 'diagnostic') return undefined;
    return { code: null, spans: [], children: [], rendered: null, ...value } as RustcDiagnostic;
  } catch {
    return undefined;
  }
}

/**
 * rustc's closing lines ("aborting due to 2 previous errors", "1 warning emitted", and the
 * `failure-note`s "Some errors have detailed explanations", "For more information about..."): no
 * finding of their own.
 */
export function isSummary(diagnostic: RustcDiagnostic): boolean {
  if (diagnostic.spans.length > 0) return false;
  return diagnostic.level === 'failure-note' || /^(aborting due to|\d+ warnings? emitted)/.test(diagnostic.message);
}

/** An error or warning the check counts (exit status 1). */
export function counts(diagnostic: RustcDiagnostic): 'error' | 'warning' | undefined {
  if (isSummary(diagnostic)) return undefined;
  if (diagnostic.level === 'error' || diagnostic.level === 'error: internal compiler error') return 'error';
  return diagnostic.level === 'warning' ? 'warning' : undefined;
}

/** The lint name or error code: `E0308`, `clippy::ptr_as_ptr`, `unused_variables`. */
export function diagnosticCode(diagnostic: RustcDiagnostic): string | undefined {
  return diagnostic.code?.code || undefined;
}

/** Where the code is documented: rustc's error index, clippy's lint list, or the rustc lint listing. */
export function codeDocumentationUrl(code: string): string | undefined {
  if (/^E\d{4}$/.test(code)) return `https://doc.rust-lang.org/error_codes/${code}.html`;
  if (code.startsWith('clippy::')) return `https://rust-lang.github.io/rust-clippy/master/index.html#${code.slice('clippy::'.length)}`;
  if (/^[a-z_0-9]+$/.test(code)) return `https://doc.rust-lang.org/rustc/lints/listing/index.html#${code.replace(/_/g, '-')}`;
  return undefined;
}

/** The diagnostic's primary span (the first one rustc marks primary, else the first). */
export function primarySpan(diagnostic: RustcDiagnostic): RustcSpan | undefined {
  return diagnostic.spans.find((span) => span.is_primary) ?? diagnostic.spans[0];
}

/**
 * The span in the user's code: a span inside a macro expansion (file name `<::kernel::pr_info macros>`
 * or in the kernel's sources) is followed to the call site, as cargo and rust-analyzer do.
 */
export function callSite(span: RustcSpan, isOwnFile: (file: string) => boolean): RustcSpan {
  let current = span;
  for (let depth = 0; depth < 32 && !isOwnFile(current.file_name) && current.expansion; depth++) current = current.expansion.span;
  return current;
}

/**
 * A copy of the diagnostic with every span's file name the real absolute file (kbuild hands rustc
 * staging, kernel-relative or module-relative paths) and the `-->` lines of `rendered` rewritten alike.
 */
export function withRealPaths(diagnostic: RustcDiagnostic, context: PathContext): RustcDiagnostic {
  const resolve = (file: string) => resolveDiagnosticPath(file, context) ?? file;
  const mapSpan = (span: RustcSpan): RustcSpan => ({
    ...span,
    file_name: resolve(span.file_name),
    expansion: span.expansion
      ? {
          ...span.expansion,
          span: mapSpan(span.expansion.span),
          def_site_span: span.expansion.def_site_span ? mapSpan(span.expansion.def_site_span) : null,
        }
      : null,
  });
  return {
    ...diagnostic,
    spans: diagnostic.spans.map(mapSpan),
    children: diagnostic.children.map((child) => withRealPaths(child, context)),
    rendered: diagnostic.rendered === null ? null : rewriteRendered(diagnostic.rendered, resolve),
  };
}

function rewriteRendered(rendered: string, resolve: (file: string) => string): string {
  return rendered
    .split('\n')
    .map((line) => {
      const location = RUSTC_LOCATION_REGEX.exec(line);
      if (!location) return line;
      const indent = /^\s*/.exec(line)?.[0] ?? '';
      return `${indent}--> ${resolve(location[1] ?? '')}:${location[2]}:${location[3]}`;
    })
    .join('\n');
}
