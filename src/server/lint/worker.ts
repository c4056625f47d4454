// The lint worker (dist/lintWorker.js): parses and lints documents on its own thread, so that a
// document that takes long to lint never delays the protocol thread's answers for other documents.
// Edits are applied as they arrive; linting runs one document per turn of the event loop, always on
// the newest text, so a burst of keystrokes costs one lint, not one per keystroke.
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { SafetyLinter } from '../../core/safety/safetyLinter';
import { LintDocument, type LintConfig } from './lintDocument';
import { KernelTrees } from './kernelTrees';
import type { FromWorker, ToWorker } from './messages';

const port = parentPort;
if (!port) throw new Error('lintWorker.js runs as a worker thread of the language server');

const linterReady = SafetyLinter.create();
const documents = new Map<string, { document: LintDocument; version: number }>();
/** Documents whose last lint is older than their text, in the order they changed. */
const dirty = new Set<string>();
let config: LintConfig | undefined;
const kernels = new KernelTrees();
let scheduled = false;

function post(message: FromWorker): void {
  port!.postMessage(message);
}

function schedule(): void {
  if (scheduled || !config || dirty.size === 0) return;
  scheduled = true;
  setImmediate(() => void lintNext());
}

async function lintNext(): Promise<void> {
  const linter = await linterReady;
  scheduled = false;
  const uri = dirty.values().next().value;
  if (uri === undefined || !config) return;
  dirty.delete(uri);
  const entry = documents.get(uri);
  if (entry) {
    post({ type: 'started', uri, version: entry.version });
    const started = performance.now();
    const outcome = entry.document.lint(linter, config, kernels);
    post({ type: 'result', uri, version: entry.version, outcome, elapsedMs: Math.round(performance.now() - started) });
  }
  schedule();
}

/** The file of a `file:` URI; other documents (untitled, virtual) have none and are linted as plain text. */
function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function markDirty(uri: string): void {
  // Re-inserting moves the document to the end: the others waiting are linted first.
  dirty.delete(uri);
  dirty.add(uri);
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'configure':
      config = message.config;
      kernels.reset();
      for (const uri of documents.keys()) markDirty(uri);
      break;
    case 'open':
      documents.get(message.uri)?.document.dispose();
      documents.set(message.uri, {
        document: new LintDocument(message.text, message.fileName, filePathOf(message.uri)),
        version: message.version,
      });
      if (message.lint) markDirty(message.uri);
      break;
    case 'change': {
      const entry = documents.get(message.uri);
      if (!entry) break;
      entry.document.applyEdits(message.edits);
      entry.version = message.version;
      markDirty(message.uri);
      break;
    }
    case 'close':
      documents.get(message.uri)?.document.dispose();
      documents.delete(message.uri);
      dirty.delete(message.uri);
      break;
  }
  schedule();
});
