// One build-and-load run at a time. Every task of type `rust-for-linux` (from the task list, from
// tasks.json, from the status-bar button or from the rust-analyzer command) passes through one
// RunGate, which REFUSES a second run while one is going, whatever its command or module: parallel
// kbuilds of the same module write the same objects, and two VMs would interleave their consoles.
// Refusing rather than queueing keeps what runs predictable: a queued `load` would boot a VM
// minutes later, for an edit the user may have moved past. The refusal names the running task.
import type { RflCommand } from './taskDefinition';

export interface RunInfo {
  id: number;
  /** The task's name, e.g. `load hello`. */
  name: string;
  /** A task's command, or `test` for a Test Explorer run. */
  command: RflCommand | 'test';
  moduleDir: string;
  startedAt: number;
}

export interface RunEnd {
  run: RunInfo;
  exitCode: number;
  ok: boolean;
  /** One line: the verdict's summary, or why the run could not start. */
  summary: string;
}

export type GateEvent = { type: 'start'; run: RunInfo } | { type: 'end'; end: RunEnd };

/** A started run: abort `signal` kills what it runs; call `finish` exactly once when it is over. */
export interface ActiveRun {
  info: RunInfo;
  signal: AbortSignal;
  cancel: () => void;
  finish: (result: { exitCode: number; ok: boolean; summary: string }) => void;
}

export type StartResult = { ok: true; run: ActiveRun } | { ok: false; busy: RunInfo; message: string };

export class RunGate {
  private current: { info: RunInfo; controller: AbortController } | undefined;
  private nextId = 1;
  private readonly listeners = new Set<(event: GateEvent) => void>();
  private lastEnd: RunEnd | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** The run going on, if any. */
  get running(): RunInfo | undefined {
    return this.current?.info;
  }

  /** How the last run ended, if one did. */
  get last(): RunEnd | undefined {
    return this.lastEnd;
  }

  tryStart(name: string, command: RflCommand | 'test', moduleDir: string): StartResult {
    if (this.current) {
      const busy = this.current.info;
      const seconds = Math.max(0, Math.round((this.now() - busy.startedAt) / 1000));
      return {
        ok: false,
        busy,
        message:
          `"${busy.name}" is running (for ${seconds} s), so "${name}" was not started: Rust for Linux runs one ` +
          'build or load at a time. Wait for it to end, or cancel it ("Rust for Linux: Cancel Build or Load", ' +
          'or close its terminal), then run this task again.',
      };
    }
    const info: RunInfo = { id: this.nextId++, name, command, moduleDir, startedAt: this.now() };
    const controller = new AbortController();
    this.current = { info, controller };
    let finished = false;
    this.emit({ type: 'start', run: info });
    return {
      ok: true,
      run: {
        info,
        signal: controller.signal,
        cancel: () => controller.abort(),
        finish: (result) => {
          if (finished) return;
          finished = true;
          if (this.current?.info.id === info.id) this.current = undefined;
          this.lastEnd = { run: info, ...result };
          this.emit({ type: 'end', end: this.lastEnd });
        },
      },
    };
  }

  /** Cancels the running run (its VM or make is killed at once); false when nothing runs. */
  cancelCurrent(): boolean {
    if (!this.current) return false;
    this.current.controller.abort();
    return true;
  }

  onEvent(listener: (event: GateEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** On deactivation: nothing may outlive the extension host. */
  dispose(): void {
    this.cancelCurrent();
    this.listeners.clear();
  }

  private emit(event: GateEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener (say, a disposed status-bar item) must not break the run itself.
      }
    }
  }
}
