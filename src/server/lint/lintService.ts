// The protocol thread's side of the lint worker: forwards document changes, hands results back, and
// keeps the worker healthy. A lint that runs past the time limit, or a worker that dies, costs a new
// worker: the document being linted is reported as not linted (with the reason) and kept unlinted
// until it changes, and every other document is sent again.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { OffsetEdit } from '../text/documents';
import type { LintConfig } from './lintDocument';
import type { FromWorker, ToWorker } from './messages';
import type { LintOutcome } from './wire';

/** A lint that takes longer is stopped: a backstop for inputs the linter's own limits miss. */
export const LINT_TIME_LIMIT_MS = 10_000;

const MAX_STARTS_WITHOUT_RESULT = 3;

export interface LintedDocumentSource {
  uri: string;
  version: number;
  text: string;
  fileName: string;
}

export interface LintServiceOptions {
  /** The open documents, to send again to a new worker. */
  documents: () => LintedDocumentSource[];
  onResult: (uri: string, version: number, outcome: LintOutcome, elapsedMs: number) => void;
  log: (line: string) => void;
  timeLimitMs?: number;
}

export class LintService {
  private worker: Worker | undefined;
  private config: LintConfig | undefined;
  private running: { uri: string; version: number; timer: NodeJS.Timeout } | undefined;
  /** Documents left unlinted at this version (their lint was stopped); linted again once changed. */
  private readonly stopped = new Map<string, number>();
  private disposed = false;
  /** Workers started since the last result: a worker that cannot even start must not respawn forever. */
  private startsWithoutResult = 0;

  constructor(private readonly options: LintServiceOptions) {}

  configure(config: LintConfig): void {
    this.config = config;
    this.send({ type: 'configure', config });
  }

  open(source: LintedDocumentSource): void {
    this.stopped.delete(source.uri);
    this.send({ type: 'open', ...source, lint: true });
  }

  change(uri: string, version: number, edits: OffsetEdit[]): void {
    this.stopped.delete(uri);
    this.send({ type: 'change', uri, version, edits });
  }

  close(uri: string): void {
    this.stopped.delete(uri);
    this.send({ type: 'close', uri });
  }

  dispose(): void {
    this.disposed = true;
    this.clearRunning();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private send(message: ToWorker): void {
    if (this.disposed) return;
    (this.worker ?? this.start()).postMessage(message);
  }

  /** A new worker, given the configuration and every open document. */
  private start(): Worker {
    this.startsWithoutResult++;
    const worker = new Worker(path.join(__dirname, 'lintWorker.js'));
    this.worker = worker;
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    worker.on('error', (error) => this.options.log(`lint worker failed: ${error.stack ?? String(error)}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker || this.disposed) return;
      this.options.log(`lint worker exited with code ${code}; starting a new one`);
      this.replace(`the lint worker stopped (exit code ${code}) while linting it`);
    });
    if (this.config) worker.postMessage({ type: 'configure', config: this.config } satisfies ToWorker);
    for (const source of this.options.documents()) {
      worker.postMessage({ type: 'open', ...source, lint: this.stopped.get(source.uri) !== source.version } satisfies ToWorker);
    }
    return worker;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    if (worker !== this.worker) return;
    if (message.type === 'started') {
      this.clearRunning();
      const limit = this.options.timeLimitMs ?? LINT_TIME_LIMIT_MS;
      const timer = setTimeout(() => this.replace(`linting took longer than ${limit / 1000} s and was stopped; not linted`), limit);
      this.running = { uri: message.uri, version: message.version, timer };
      return;
    }
    this.clearRunning();
    this.startsWithoutResult = 0;
    this.options.onResult(message.uri, message.version, message.outcome, message.elapsedMs);
  }

  /** Ends the current worker; the document it was linting gets `reason`, the others a new worker. */
  private replace(reason: string): void {
    const running = this.running;
    this.clearRunning();
    const old = this.worker;
    this.worker = undefined;
    void old?.terminate();
    if (running) {
      this.options.log(`${running.uri} (version ${running.version}): ${reason}`);
      this.stopped.set(running.uri, running.version);
      this.startsWithoutResult = 0; // that worker did run: this is not a start-up failure
      this.options.onResult(running.uri, running.version, { kind: 'notLinted', reason }, 0);
    }
    if (this.disposed) return;
    if (this.startsWithoutResult >= MAX_STARTS_WITHOUT_RESULT) {
      this.options.log(
        `the lint worker failed ${this.startsWithoutResult} times in a row without linting anything; linting is off until the server restarts`,
      );
      this.disposed = true;
      return;
    }
    this.start();
  }

  private clearRunning(): void {
    if (this.running) clearTimeout(this.running.timer);
    this.running = undefined;
  }
}
