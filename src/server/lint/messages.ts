// Messages between the protocol thread and the lint worker (lintService.ts ↔ worker.ts).
import type { OffsetEdit } from '../text/documents';
import type { LintConfig } from './lintDocument';
import type { LintOutcome } from './wire';

export type ToWorker =
  | { type: 'configure'; config: LintConfig }
  /** `lint: false` keeps the text without linting it (a document whose lint was stopped). */
  | { type: 'open'; uri: string; version: number; text: string; fileName: string; lint: boolean }
  | { type: 'change'; uri: string; version: number; edits: OffsetEdit[] }
  | { type: 'close'; uri: string };

export type FromWorker =
  | { type: 'started'; uri: string; version: number }
  | { type: 'result'; uri: string; version: number; outcome: LintOutcome; elapsedMs: number };
