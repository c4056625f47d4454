// rustc diagnostics (and gcc/clang ones, for C modules) out of kbuild output. rustc prints
//   error[E0308]: mismatched types
//     --> /abs/or/relative/path.rs:23:52
// and kbuild hands it the file name absolute (6.12 and older, for M= builds), relative to the kernel
// tree (the kernel's own crates), or relative to the module folder (6.13 moved M= builds into the
// module folder). resolveDiagnosticPath tries each so the finding lands on the real file.
import { existsSync } from 'node:fs';
import path from 'node:path';

export type DiagnosticSeverity = 'error' | 'warning';

export interface KbuildDiagnostic {
  severity: DiagnosticSeverity;
  /** `E0308`, or a lint name such as `clippy::undocumented_unsafe_blocks` when rustc gives one. */
  code?: string;
  message: string;
  /** The path as printed. */
  printedFile: string;
  /** Absolute path of the real file, when it could be found. */
  file?: string;
  line: number;
  column: number;
}

/**
 * The header line: severity, optional code, message. Also the first pattern of the VS Code problem
 * matcher (see PROBLEM_MATCHER_PATTERNS). Excludes rustc's summary lines ("aborting due to…").
 */
export const RUSTC_HEADER_REGEX = /^(error|warning)(?:\[([^\]]+)\])?: (?!aborting due to|\d+ warnings? emitted)(.*)$/;
/** The location line `  --> file:line:col`; the matcher's second pattern. */
export const RUSTC_LOCATION_REGEX = /^\s*--> (.+?):(\d+):(\d+)$/;

/** Source strings for package.json (a multi-line problem matcher uses one regexp per line). */
export const PROBLEM_MATCHER_PATTERNS = [
  { regexp: RUSTC_HEADER_REGEX.source, severity: 1, code: 2, message: 3 },
  { regexp: RUSTC_LOCATION_REGEX.source, file: 1, line: 2, column: 3 },
] as const;

/**
 * gcc's and clang's one-line form for C modules, `file.c:12:5: error: message [-Wflag]`. The file
 * is whatever kbuild handed the compiler (absolute up to 6.12, module-relative from 6.13 on).
 * make's own `Makefile:229: … Error 1` lines have no column and do not match.
 */
export const CC_DIAGNOSTIC_REGEX = /^(\S.*?):(\d+):(\d+): (?:fatal )?(error|warning): (.*?)(?: \[(-W[^\]]+)\])?$/;

/** The `rfl-cc` problem matcher's single pattern in package.json. */
export const CC_PROBLEM_MATCHER_PATTERN = {
  regexp: CC_DIAGNOSTIC_REGEX.source,
  file: 1,
  line: 2,
  column: 3,
  severity: 4,
  message: 5,
  code: 6,
} as const;

export interface PathContext {
  kdir: string;
  moduleDir: string;
  /** Other names under which kbuild saw the module folder (the staging folder of an odd path, see moduleLink.ts). */
  moduleAliases?: readonly string[];
  /** `O=` build folder, where generated files live. */
  outDir?: string | undefined;
}

/** The real file a printed path refers to, or undefined when none of the candidates exists. */
export function resolveDiagnosticPath(printed: string, context: PathContext): string | undefined {
  if (path.isAbsolute(printed)) {
    for (const alias of context.moduleAliases ?? []) {
      const prefix = alias.endsWith('/') ? alias : `${alias}/`;
      if (printed.startsWith(prefix)) return path.join(context.moduleDir, printed.slice(prefix.length));
    }
    return existsSync(printed) ? printed : undefined;
  }
  // Module-relative first: a relative name in a module build is most likely the user's own file.
  const bases = [context.moduleDir, context.kdir, ...(context.outDir ? [context.outDir] : [])];
  for (const base of bases) {
    const candidate = path.resolve(base, printed);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Reads diagnostics line by line, so it can run on live output. */
export class DiagnosticCollector {
  readonly diagnostics: KbuildDiagnostic[] = [];
  private pending: { severity: DiagnosticSeverity; code?: string; message: string } | undefined;

  constructor(private readonly context: PathContext) {}

  /** Feeds one output line; returns the diagnostic it completed, if any. */
  push(line: string): KbuildDiagnostic | undefined {
    const cc = CC_DIAGNOSTIC_REGEX.exec(line);
    if (cc) {
      const printedFile = cc[1] ?? '';
      const file = resolveDiagnosticPath(printedFile, this.context);
      const diagnostic: KbuildDiagnostic = {
        severity: cc[4] as DiagnosticSeverity,
        ...(cc[6] ? { code: cc[6] } : {}),
        message: cc[5] ?? '',
        printedFile,
        ...(file ? { file } : {}),
        line: Number(cc[2]),
        column: Number(cc[3]),
      };
      this.pending = undefined;
      this.diagnostics.push(diagnostic);
      return diagnostic;
    }
    const header = RUSTC_HEADER_REGEX.exec(line);
    if (header) {
      this.pending = {
        severity: header[1] as DiagnosticSeverity,
        ...(header[2] ? { code: header[2] } : {}),
        message: header[3] ?? '',
      };
      return undefined;
    }
    const location = RUSTC_LOCATION_REGEX.exec(line);
    if (location && this.pending) {
      const printedFile = location[1] ?? '';
      const file = resolveDiagnosticPath(printedFile, this.context);
      const diagnostic: KbuildDiagnostic = {
        ...this.pending,
        printedFile,
        ...(file ? { file } : {}),
        line: Number(location[2]),
        column: Number(location[3]),
      };
      this.pending = undefined;
      this.diagnostics.push(diagnostic);
      return diagnostic;
    }
    // Notes and help lines keep the header pending only until the next blank line.
    if (line.trim() === '') this.pending = undefined;
    return undefined;
  }

  /** The location line rewritten with the resolved absolute path, for matchers that want one. */
  rewriteLocation(line: string): string {
    const cc = CC_DIAGNOSTIC_REGEX.exec(line);
    if (cc) {
      const file = resolveDiagnosticPath(cc[1] ?? '', this.context);
      return file ? `${file}${line.slice((cc[1] ?? '').length)}` : line;
    }
    const location = RUSTC_LOCATION_REGEX.exec(line);
    if (!location) return line;
    const file = resolveDiagnosticPath(location[1] ?? '', this.context);
    if (!file) return line;
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    return `${indent}--> ${file}:${location[2]}:${location[3]}`;
  }
}

export function parseKbuildOutput(output: string, context: PathContext): KbuildDiagnostic[] {
  const collector = new DiagnosticCollector(context);
  for (const line of output.split(/\r?\n/)) collector.push(line);
  return collector.diagnostics;
}

/** `file:line:col: error[E0308]: message`, rustc's short format, with the resolved path. */
export function formatDiagnostic(diagnostic: KbuildDiagnostic): string {
  const code = diagnostic.code ? `[${diagnostic.code}]` : '';
  return `${diagnostic.file ?? diagnostic.printedFile}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}${code}: ${diagnostic.message}`;
}
