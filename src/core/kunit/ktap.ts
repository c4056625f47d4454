// A streaming parser for KTAP (Documentation/dev-tools/ktap.rst) as KUnit prints it on the kernel
// console: nested tests by indentation, plans, `# Subtest:` names, directives, diagnostic lines, and
// the kernel's own messages interleaved anywhere. Lines are pushed one at a time (with the console
// time), so a run that stops in the middle (a hang, a panic) still tells which test was running.
//
// How lines are attributed, following the spec and KUnit's printer (lib/kunit/test.c):
// - a version line (`KTAP version 1`, `TAP version 13/14`) deeper than the current level opens a
//   subtest level; its result line comes later, at the parent's indentation;
// - `# ` lines and indented unknown lines (KUnit's `Expected a == b` continuation) belong to the test
//   whose result line comes next at that level; unindented unknown lines are kernel noise;
// - lines before a level's plan are that level's header (`# module: x`).

export type KtapDirective = 'SKIP' | 'TODO' | 'XFAIL' | 'TIMEOUT' | 'ERROR';
const DIRECTIVES: readonly KtapDirective[] = ['SKIP', 'TODO', 'XFAIL', 'TIMEOUT', 'ERROR'];

export interface KtapTest {
  number: number;
  name: string;
  /** False for a test that started but never printed its result line (the run stopped in it). */
  complete: boolean;
  ok: boolean;
  directive?: KtapDirective;
  /** The text after the directive, or after `#` on a result line without one. */
  reason?: string;
  /** The test's diagnostics and indented output before its result line, trimmed, in order. */
  log: string[];
  /** Diagnostics of a subtest level before its plan (`# module: name`). */
  header: string[];
  plan?: number;
  children: KtapTest[];
  /** The console lines (counted from 1 as pushed) from just after the previous result at this level to this result. */
  firstLine: number;
  lastLine?: number;
  /** Console time of the previous result at this level (or of the level's start) and of this result. */
  startMs?: number;
  endMs?: number;
}

export interface KtapDocument {
  /** Every top-level test of every KTAP block seen (each loaded module prints its own block). */
  tests: KtapTest[];
  /** Whether a version line or plan was seen at all. */
  found: boolean;
  /** The version line of the first block. */
  version?: string;
}

interface Level {
  indent: number;
  name?: string;
  plan?: number;
  header: string[];
  tests: KtapTest[];
  /** Lines since the last result at this level: the log of the test whose result comes next. */
  pending: string[];
  /** A deeper level opened and not yet closed by its result line. */
  child?: Level;
  /** The line that opened the level, then the line of its last result: where the next test starts. */
  lastLine: number;
  lastMs?: number;
  /** The outermost level of a block: its unknown lines are the kernel's, not test output. */
  isRoot: boolean;
}

const TIMESTAMP = /^\[\s*\d+\.\d+\]\s?/;
const VERSION = /^(K?TAP version \d+)\s*$/;
const PLAN = /^1\.\.(\d+)(?:\s|$)/;
const RESULT = /^(not )?ok (\d+)(?:\s+-)?(?:\s+([^#]*?))?\s*(?:#\s*(.*?))?\s*$/;
const SUBTEST = /^#\s*Subtest:\s*(.*?)\s*$/;
const DIAGNOSTIC = /^#(?:\s|$)/;

/** Columns of leading whitespace, a tab counting to the next multiple of 8 (as a terminal shows it). */
function indentOf(line: string): number {
  let column = 0;
  for (const char of line) {
    if (char === ' ') column++;
    else if (char === '\t') column = (Math.floor(column / 8) + 1) * 8;
    else break;
  }
  return column;
}

/** The line without its first `columns` columns of indentation. */
function dedent(line: string, columns: number): string {
  let column = 0;
  let index = 0;
  while (index < line.length && column < columns && (line[index] === ' ' || line[index] === '\t')) {
    column = line[index] === '\t' ? (Math.floor(column / 8) + 1) * 8 : column + 1;
    index++;
  }
  return line.slice(index);
}

export function parseDirective(comment: string | undefined): { directive?: KtapDirective; reason?: string } {
  if (comment === undefined || comment === '') return {};
  const [word = '', ...rest] = comment.split(/\s+/);
  const directive = DIRECTIVES.find((candidate) => candidate === word.toUpperCase());
  if (!directive) return { reason: comment };
  const reason = rest.join(' ').trim();
  return reason ? { directive, reason } : { directive };
}

export class KtapParser {
  private readonly blocks: Level[] = [];
  private stack: Level[] = [];
  private version: string | undefined;
  private seq = 0;
  /** The KTAP lines themselves (timestamps dropped), for passing the kernel's KTAP through. */
  readonly ktapLines: string[] = [];

  /** How many lines were pushed: the number of the last one. */
  get lineCount(): number {
    return this.seq;
  }

  /** Feeds one console line (timestamps such as `[    1.234567] ` are dropped). */
  push(rawLine: string, atMs?: number): void {
    this.seq++;
    const line = rawLine.replace(/\r$/, '').replace(TIMESTAMP, '');
    const indent = indentOf(line);
    const text = line.trim();
    const version = VERSION.exec(text);
    const plan = PLAN.exec(text);
    const subtest = SUBTEST.exec(text);
    const result = RESULT.exec(text);
    if (version) this.onVersion(version[1] ?? '', indent, atMs);
    else if (plan) this.onPlan(Number(plan[1]), indent, atMs);
    else if (subtest) this.onSubtest(subtest[1] ?? '', indent, atMs);
    else if (result && this.stack.length > 0) this.onResult(result, indent, atMs);
    else if (!this.onOther(line.trimEnd(), indent)) return;
    this.ktapLines.push(line.trimEnd());
  }

  /** The tests so far; the levels still open become incomplete tests holding what they printed. */
  document(): KtapDocument {
    const tests = this.blocks.flatMap((block) => levelTests(block));
    return { tests, found: this.blocks.length > 0, ...(this.version ? { version: this.version } : {}) };
  }

  private get top(): Level | undefined {
    return this.stack[this.stack.length - 1];
  }

  private newLevel(indent: number, atMs: number | undefined, isRoot: boolean): Level {
    return { indent, header: [], tests: [], pending: [], lastLine: this.seq, ...(atMs !== undefined ? { lastMs: atMs } : {}), isRoot };
  }

  private openRoot(indent: number, atMs: number | undefined): Level {
    const root = this.newLevel(indent, atMs, true);
    this.blocks.push(root);
    this.stack = [root];
    return root;
  }

  private openChild(indent: number, atMs: number | undefined): Level {
    const parent = this.top as Level;
    const child = this.newLevel(indent, atMs, false);
    parent.child = child;
    this.stack.push(child);
    return child;
  }

  /** Leaves the levels deeper than indent (their results are still to come from the parents). */
  private popDeeperThan(indent: number): void {
    while (this.stack.length > 1 && (this.top as Level).indent > indent) this.stack.pop();
  }

  private onVersion(version: string, indent: number, atMs: number | undefined): void {
    this.version ??= version;
    const top = this.top;
    if (!top) {
      this.openRoot(indent, atMs);
      return;
    }
    if (indent > top.indent) {
      this.openChild(indent, atMs);
      return;
    }
    this.popDeeperThan(indent);
    // A version line at the outermost level starts a new block (the next module's tests).
    if (this.stack.length === 1 && indent <= (this.top as Level).indent) {
      this.openRoot(indent, atMs);
      return;
    }
    // A sibling subtest whose predecessor never printed a result: it replaces it.
    this.stack.pop();
    this.openChild(indent, atMs);
  }

  private onPlan(count: number, indent: number, atMs: number | undefined): void {
    let top = this.top;
    if (!top) top = this.openRoot(indent, atMs);
    else if (indent > top.indent && (top.plan !== undefined || top.tests.length > 0)) top = this.openChild(indent, atMs);
    else this.popDeeperThan(indent);
    top = this.top as Level;
    top.plan ??= count;
  }

  private onSubtest(name: string, indent: number, atMs: number | undefined): void {
    const top = this.top;
    if (!top) return;
    // KTAP: `KTAP version 1` then `# Subtest: name` at the same indentation names the new level.
    if (indent === top.indent && top.name === undefined && top.plan === undefined && top.tests.length === 0) {
      top.name = name;
      return;
    }
    // TAP 14 style: `# Subtest: name` itself opens the level.
    if (indent > top.indent) {
      this.openChild(indent, atMs).name = name;
      return;
    }
    this.onOther(`# Subtest: ${name}`, indent);
    return;
  }

  private onResult(match: RegExpExecArray, indent: number, atMs: number | undefined): void {
    this.popDeeperThan(indent);
    const level = this.top as Level;
    const child = level.child;
    const { directive, reason } = parseDirective(match[4]);
    const test: KtapTest = {
      number: Number(match[2]),
      name: (match[3] ?? '').trim() || child?.name || '',
      complete: true,
      ok: match[1] === undefined,
      ...(directive ? { directive } : {}),
      ...(reason !== undefined ? { reason } : {}),
      log: level.pending,
      header: child?.header ?? [],
      ...(child?.plan !== undefined ? { plan: child.plan } : {}),
      children: child ? levelTests(child) : [],
      firstLine: level.lastLine + 1,
      lastLine: this.seq,
      ...(level.lastMs !== undefined ? { startMs: level.lastMs } : {}),
      ...(atMs !== undefined ? { endMs: atMs } : {}),
    };
    level.tests.push(test);
    level.child = undefined;
    level.pending = [];
    level.lastLine = this.seq;
    if (atMs !== undefined) level.lastMs = atMs;
  }

  /** Attributes a diagnostic or unknown line; false when it is not part of the KTAP. */
  private onOther(line: string, indent: number): boolean {
    const text = line.trim();
    if (this.stack.length === 0 || text === '') return false;
    // The deepest open level this line is indented into.
    let level = this.stack[0] as Level;
    for (const candidate of this.stack) if (candidate.indent <= indent) level = candidate;
    const diagnostic = DIAGNOSTIC.test(text);
    // Unknown lines count only when indented into a subtest (KUnit's assertion details); at the
    // outermost column they are the kernel's own messages.
    if (!diagnostic && (level.isRoot || indent === 0 || indent < level.indent)) return false;
    if (level.plan === undefined && level.tests.length === 0 && diagnostic) {
      level.header.push(text);
      return true;
    }
    // Deeper indentation inside the level is kept: KUnit indents an assertion's operands.
    level.pending.push(diagnostic ? text : dedent(line, level.indent));
    return true;
  }
}

function levelTests(level: Level): KtapTest[] {
  if (!level.child && level.pending.length === 0) return level.tests;
  const tests = [...level.tests];
  const child = level.child;
  if (child) {
    tests.push({
      number: level.tests.length + 1,
      name: child.name ?? '',
      complete: false,
      ok: false,
      log: level.pending,
      header: child.header,
      ...(child.plan !== undefined ? { plan: child.plan } : {}),
      children: levelTests(child),
      firstLine: level.lastLine + 1,
      ...(level.lastMs !== undefined ? { startMs: level.lastMs } : {}),
    });
  } else if (level.plan === undefined || level.tests.length < level.plan) {
    // Output after the last result and no result yet: a test of this level was running.
    tests.push({
      number: level.tests.length + 1,
      name: '',
      complete: false,
      ok: false,
      log: level.pending,
      header: [],
      children: [],
      firstLine: level.lastLine + 1,
      ...(level.lastMs !== undefined ? { startMs: level.lastMs } : {}),
    });
  }
  return tests;
}

/** Parses a whole log at once. */
export function parseKtap(text: string): KtapDocument {
  const parser = new KtapParser();
  for (const line of text.split('\n')) parser.push(line);
  return parser.document();
}
