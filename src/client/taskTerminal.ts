// The Pseudoterminal of a `rust-for-linux` task (a CustomExecution): it starts the run as soon as
// VS Code asks for the terminal, holds the output until open() (TerminalBuffer), streams it live
// after that, ends with the verdict's exit code, and kills the run (make, QEMU: their whole
// process groups, through the AbortSignal) when the terminal is closed, the task is terminated,
// Ctrl-C is typed in it, or the extension is deactivated (RunGate.dispose).
import * as vscode from 'vscode';
import { TerminalBuffer } from './terminalBuffer';
import type { OutputSink, TaskOutcome } from '../core/tasks/output';

export type TaskStarter = (sink: OutputSink, onStarted: (cancel: () => void) => void) => Promise<TaskOutcome>;

export class TaskTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private readonly buffer = new TerminalBuffer(
    (text) => this.writeEmitter.fire(text),
    (exitCode) => this.closeEmitter.fire(exitCode),
  );
  private cancel: (() => void) | undefined;
  private cancelRequested = false;

  constructor(start: TaskStarter) {
    start(this.buffer, (cancel) => {
      this.cancel = cancel;
      if (this.cancelRequested) cancel();
    }).then(
      (outcome) => this.buffer.finish(outcome.exitCode),
      (error: unknown) => {
        // executeTaskRequest reports its own failures; this is a bug, still shown, never swallowed.
        this.buffer.line(`rfl: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 'error');
        this.buffer.finish(2);
      },
    );
  }

  open(): void {
    this.buffer.open();
  }

  close(): void {
    this.buffer.discard();
    this.requestCancel();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  handleInput(data: string): void {
    if (data.includes('\x03')) {
      this.buffer.line('rfl: cancelling (Ctrl-C)...', 'info');
      this.requestCancel();
    }
  }

  private requestCancel(): void {
    this.cancelRequested = true;
    this.cancel?.();
  }
}
