// Reads a guest's serial console line by line and keeps what the verdict needs: when the kernel and
// /init started, each module's insmod/rmmod status (from the `@@rfl:` markers of initScript.ts), the
// modules' own log lines, and every kernel problem report (Rust panic, oops, BUG, WARN, KASAN, kernel
// panic) with its call trace and, where the kernel printed one, the source file and line.
import { MARKER } from './initScript';

export type ProblemKind = 'kernel-panic' | 'rust-panic' | 'kasan' | 'oops' | 'bug' | 'warning';

/** When one report holds several headlines (a Rust panic is also a `kernel BUG` and an oops), the highest names it. */
const PRIORITY: Record<ProblemKind, number> = { 'kernel-panic': 6, 'rust-panic': 5, kasan: 4, oops: 3, bug: 2, warning: 1 };

export interface SourceLocation {
  /** As printed by the kernel. */
  printedFile: string;
  line: number;
  column?: number;
}

export interface KernelProblem {
  kind: ProblemKind;
  /** The report's first headline, e.g. `BUG: kernel NULL pointer dereference, address: 0000000000000000`. */
  title: string;
  /** The Rust panic message, when there is one. */
  message?: string;
  location?: SourceLocation;
  /** Modules named in the call trace (`[panic_mod]`) or as being loaded (`Modules linked in: x(O+)`). */
  modules: string[];
  callTrace: string[];
  /** Every line of the report, for display. */
  lines: string[];
  atMs: number;
}

export interface StatusEvent {
  rc: number;
  /** From finsmod's own report, when the syscall failed (more precise than the exit status). */
  errno?: number;
  atMs: number;
  startMs?: number;
  /** Error text the tool printed (busybox rmmod's reason). */
  text?: string;
}

export interface ModuleRecord {
  name: string;
  insmod?: StatusEvent;
  rmmod?: StatusEvent;
  logLines: string[];
}

export interface ProcModule {
  name: string;
  state: string;
  flags: string;
}

export interface ConsoleState {
  kernelStartMs?: number;
  initStartMs?: number;
  kernelRelease?: string;
  modules: Map<string, ModuleRecord>;
  guest?: StatusEvent;
  guestStartMs?: number;
  problems: KernelProblem[];
  /** /proc/modules after the run: a module still listed (e.g. `Loading`) is stuck. */
  procModules?: ProcModule[];
  doneMs?: number;
  lastLineMs: number;
}

/** Headline patterns, tried in order, each with the kind it starts. */
const HEADLINES: readonly { pattern: RegExp; kind: ProblemKind }[] = [
  { pattern: /Kernel panic - not syncing: /, kind: 'kernel-panic' },
  // 6.12 (rustc >= 1.73): `rust_kernel: panicked at FILE:LINE:COL:` with the message on the next line.
  // 6.1 (rustc 1.63): `rust_kernel: panicked at 'MESSAGE', FILE:LINE:COL`.
  { pattern: /panicked at /, kind: 'rust-panic' },
  { pattern: /BUG: KASAN: /, kind: 'kasan' },
  { pattern: /\bBUG: /, kind: 'bug' },
  { pattern: /kernel BUG at /, kind: 'bug' },
  // `Oops: 0000 [#1]`, 6.12's `Oops: Oops: 0002 [#1]`, 6.1's bare `invalid opcode: 0000 [#1]`,
  // `general protection fault, …: 0000 [#1]`.
  { pattern: /\b[0-9a-f]{4} \[#\d+\]/, kind: 'oops' },
  { pattern: /^Oops: /, kind: 'oops' },
  // Up to 6.x: `WARNING: CPU: 0 PID: 22 at FILE:LINE SYMBOL+0x2a/0x55`, or `WARNING: at …` (no file).
  // 7.x: `WARNING: FILE:LINE at SYMBOL+0x4a/0x59, CPU#0: finsmod/21`, or `WARNING: at SYMBOL…, CPU#0: …`.
  { pattern: /^WARNING: (?:CPU: \d+ PID: \d+ )?at /, kind: 'warning' },
  { pattern: /^WARNING: \S+:\d+ at .*, CPU#\d+: /, kind: 'warning' },
];

const REPORT_END = /---\[ end (?:trace [0-9a-f]+|Kernel panic[^\]]*) \]---/;
const CUT_HERE = /-+\[ cut here \]-+/;
const TIMESTAMP = /^\[\s*\d+\.\d+\]\s?/;
/** Kernel lines carry a module prefix (pr_fmt) but are not the module's own words. */
const KERNEL_OWN_MODULE_LINES = /^(loading out-of-tree module taints kernel\.|module verification failed)/;

export class ConsoleParser {
  readonly state: ConsoleState = { modules: new Map(), problems: [], lastLineMs: 0 };
  private open: KernelProblem | undefined;
  private inTrace = false;
  private awaitingPanicMessage = false;
  private inProcModules = false;
  private pendingErrno: number | undefined;
  private currentInsmod: string | undefined;
  private currentRmmod: { name: string; startMs: number } | undefined;
  private lastToolError: string | undefined;
  private readonly insmodStarts = new Map<string, number>();

  /** @param moduleNames the modules whose own log lines to collect */
  constructor(moduleNames: readonly string[]) {
    for (const name of moduleNames) this.state.modules.set(name, { name, logLines: [] });
  }

  push(rawLine: string, atMs: number): void {
    const line = rawLine.replace(TIMESTAMP, '');
    this.state.lastLineMs = atMs;
    const markerAt = line.indexOf(MARKER);
    if (markerAt >= 0) {
      this.closeReport();
      this.onMarker(line.slice(markerAt + MARKER.length), atMs);
      return;
    }
    if (this.inProcModules) {
      const [name, , , , state, , flags] = line.trim().split(/\s+/);
      if (name) this.state.procModules?.push({ name, state: state ?? '', flags: flags ?? '' });
      return;
    }
    if (this.state.kernelStartMs === undefined && /Linux version \d/.test(line)) this.state.kernelStartMs = atMs;
    if (/^(insmod|rmmod|finsmod): /.test(line)) this.lastToolError = line;
    this.collectModuleLine(line);
    this.trackProblems(line, atMs);
  }

  private collectModuleLine(line: string): void {
    const prefix = /^([\w-]+): (.*)$/.exec(line);
    if (!prefix) return;
    const record = this.state.modules.get((prefix[1] ?? '').replace(/-/g, '_'));
    if (record && !KERNEL_OWN_MODULE_LINES.test(prefix[2] ?? '')) record.logLines.push(line);
  }

  private trackProblems(line: string, atMs: number): void {
    if (this.awaitingPanicMessage && this.open) {
      this.awaitingPanicMessage = false;
      this.open.message = line.trim();
      this.open.lines.push(line);
      return;
    }
    if (CUT_HERE.test(line)) {
      // A new report begins, unless this is the `kernel BUG` half of a Rust panic still being
      // printed (its call trace has not come yet).
      if (this.open && this.open.callTrace.length > 0) this.closeReport();
      this.open?.lines.push(line);
      return;
    }
    const headline = HEADLINES.find((candidate) => candidate.pattern.test(line));
    if (headline) {
      this.onHeadline(line, headline.kind, atMs);
      return;
    }
    if (!this.open) return;
    this.open.lines.push(line);
    if (/^Call Trace:/.test(line.trim())) {
      this.inTrace = true;
      return;
    }
    if (this.inTrace) {
      if (/<\/TASK>|<\/IRQ>/.test(line) || REPORT_END.test(line)) this.inTrace = false;
      else if (!/<TASK>|<IRQ>/.test(line)) this.open.callTrace.push(line.trim());
      for (const match of line.matchAll(/\[(\w+)\]\s*$/g)) this.addModule(match[1]);
    }
    const linked = /^Modules linked in: (.*)$/.exec(line);
    if (linked) {
      // `panic_mod(O+)`: the `+` marks the module being loaded, the likely culprit.
      for (const match of (linked[1] ?? '').matchAll(/(\w+)\([A-Z]*\+\)/g)) this.addModule(match[1]);
    }
    if (REPORT_END.test(line) || /^(Segmentation fault|Killed)$/.test(line.trim())) this.closeReport();
  }

  private addModule(name: string | undefined): void {
    if (name && this.open && !this.open.modules.includes(name)) this.open.modules.push(name);
  }

  private onHeadline(line: string, kind: ProblemKind, atMs: number): void {
    const location = headlineLocation(line, kind);
    if (this.open && kind !== 'kernel-panic') {
      // Same report, another headline: keep the first title, name it by the gravest kind.
      if (PRIORITY[kind] > PRIORITY[this.open.kind]) this.open.kind = kind;
      if (!this.open.location && location) this.open.location = location;
      this.open.lines.push(line);
      if (kind === 'rust-panic') this.notePanic(line);
      return;
    }
    this.closeReport();
    const problem: KernelProblem = { kind, title: line.trim(), modules: [], callTrace: [], lines: [line], atMs };
    if (location) problem.location = location;
    this.state.problems.push(problem);
    this.open = problem;
    if (kind === 'rust-panic') this.notePanic(line);
  }

  private notePanic(line: string): void {
    if (!this.open) return;
    const old = /panicked at '(.*)', \S+:\d+:\d+/.exec(line);
    if (old) this.open.message = old[1];
    else this.awaitingPanicMessage = true;
  }

  private closeReport(): void {
    this.open = undefined;
    this.inTrace = false;
    this.awaitingPanicMessage = false;
  }

  private onMarker(text: string, atMs: number): void {
    const [event = '', ...rest] = text.trim().split(/\s+/);
    const fields = new Map(rest.map((pair) => pair.split('=', 2) as [string, string]));
    const name = fields.get('name') ?? '';
    const rc = Number(fields.get('rc'));
    const record = (moduleName: string) => {
      let existing = this.state.modules.get(moduleName);
      if (!existing) {
        existing = { name: moduleName, logLines: [] };
        this.state.modules.set(moduleName, existing);
      }
      return existing;
    };
    switch (event) {
      case 'init':
        this.state.initStartMs = atMs;
        this.state.kernelRelease = fields.get('kernel');
        break;
      case 'insmod-start':
        this.currentInsmod = name;
        this.insmodStarts.set(name, atMs);
        this.pendingErrno = undefined;
        this.lastToolError = undefined;
        break;
      case 'errno':
        this.pendingErrno = Number(fields.get('errno'));
        break;
      case 'insmod': {
        const startMs = this.insmodStarts.get(name);
        record(name).insmod = {
          rc,
          atMs,
          ...(startMs !== undefined ? { startMs } : {}),
          ...(this.pendingErrno !== undefined ? { errno: this.pendingErrno } : {}),
        };
        this.currentInsmod = undefined;
        this.pendingErrno = undefined;
        break;
      }
      case 'guest-start':
        this.state.guestStartMs = atMs;
        break;
      case 'guest':
        this.state.guest = { rc, atMs, ...(this.state.guestStartMs !== undefined ? { startMs: this.state.guestStartMs } : {}) };
        break;
      case 'rmmod-start':
        this.currentRmmod = { name, startMs: atMs };
        this.lastToolError = undefined;
        break;
      case 'rmmod':
        record(name).rmmod = {
          rc,
          atMs,
          ...(this.currentRmmod?.name === name ? { startMs: this.currentRmmod.startMs } : {}),
          ...(rc !== 0 && this.lastToolError ? { text: this.lastToolError } : {}),
        };
        this.currentRmmod = undefined;
        break;
      case 'modules-begin':
        this.state.procModules = [];
        this.inProcModules = true;
        break;
      case 'modules-end':
        this.inProcModules = false;
        break;
      case 'done':
        this.state.doneMs = atMs;
        break;
      default:
        break;
    }
  }

  /** The module whose insmod is running now, if any: a hang is blamed on it. */
  get runningInsmod(): string | undefined {
    return this.currentInsmod;
  }

  get runningRmmod(): string | undefined {
    return this.currentRmmod?.name;
  }
}

function headlineLocation(line: string, kind: ProblemKind): SourceLocation | undefined {
  if (kind === 'rust-panic') {
    const match = /panicked at (?:'.*', )?(\S+?):(\d+):(\d+):?\s*$/.exec(line);
    if (match) return { printedFile: match[1] ?? '', line: Number(match[2]), column: Number(match[3]) };
  }
  if (kind === 'warning') {
    // `… at FILE:LINE SYMBOL` (up to 6.x) or `WARNING: FILE:LINE at SYMBOL, CPU#…` (7.x).
    const match = /WARNING: (?:CPU: \d+ PID: \d+ )?at (\S+?):(\d+) /.exec(line) ?? /WARNING: (\S+?):(\d+) at /.exec(line);
    if (match) return { printedFile: match[1] ?? '', line: Number(match[2]) };
  }
  const bugAt = /kernel BUG at (\S+?):(\d+)!/.exec(line);
  if (bugAt) return { printedFile: bugAt[1] ?? '', line: Number(bugAt[2]) };
  return undefined;
}
