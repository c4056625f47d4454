// The newest lint result of each open document, on the protocol thread. A result counts only for
// the version it was made for; requests that need the current one (a pulled diagnostic report) wait
// for it here.
import type { LintOutcome, WireFinding } from './wire';

/** How long a hover or code action waits for the lint of its own document. */
const FINDINGS_WAIT_MS = 5_000;

export interface LintResult {
  version: number;
  outcome: LintOutcome;
  /** Counts results: part of each pulled report's resultId. */
  serial: number;
}

interface Waiter {
  version: number;
  resolve: (result: LintResult | undefined) => void;
}

export class LintResults {
  private readonly results = new Map<string, LintResult>();
  private readonly waiters = new Map<string, Waiter[]>();
  private serial = 0;
  private readonly listeners: ((uri: string, result: LintResult) => void)[] = [];

  /** Called with each new result of a current document version. */
  onResult(listener: (uri: string, result: LintResult) => void): void {
    this.listeners.push(listener);
  }

  get(uri: string): LintResult | undefined {
    return this.results.get(uri);
  }

  /**
   * The findings for this version of the document, waiting for its lint if that is still running
   * (at most `waitMs`; none if the lint does not finish by then or the document changes first).
   */
  async findings(uri: string, version: number, waitMs = FINDINGS_WAIT_MS): Promise<WireFinding[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)));
    const result = await Promise.race([this.when(uri, version), timeout]);
    clearTimeout(timer);
    return result?.outcome.kind === 'linted' ? result.outcome.findings : [];
  }

  set(uri: string, version: number, outcome: LintOutcome): LintResult {
    const result = { version, outcome, serial: ++this.serial };
    this.results.set(uri, result);
    const waiting = this.waiters.get(uri) ?? [];
    const still = waiting.filter((waiter) => waiter.version !== version);
    for (const waiter of waiting) if (waiter.version === version) waiter.resolve(result);
    if (still.length > 0) this.waiters.set(uri, still);
    else this.waiters.delete(uri);
    for (const listener of this.listeners) listener(uri, result);
    return result;
  }

  /** The result for exactly this version, once there is one (undefined if the document closes first). */
  when(uri: string, version: number): Promise<LintResult | undefined> {
    const current = this.results.get(uri);
    if (current?.version === version) return Promise.resolve(current);
    return new Promise((resolve) => {
      const list = this.waiters.get(uri) ?? [];
      list.push({ version, resolve });
      this.waiters.set(uri, list);
    });
  }

  /** The document changed: waiters for older versions will never see their result. */
  superseded(uri: string, version: number): void {
    const waiting = this.waiters.get(uri) ?? [];
    for (const waiter of waiting) if (waiter.version < version) waiter.resolve(undefined);
    const still = waiting.filter((waiter) => waiter.version >= version);
    if (still.length > 0) this.waiters.set(uri, still);
    else this.waiters.delete(uri);
  }

  /** Forgets every result (the lint configuration changed): requests wait for the next lint. */
  invalidate(): void {
    this.results.clear();
  }

  delete(uri: string): void {
    this.results.delete(uri);
    for (const waiter of this.waiters.get(uri) ?? []) waiter.resolve(undefined);
    this.waiters.delete(uri);
  }
}
