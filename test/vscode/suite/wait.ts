// Waiting on the editor's own events, never on sleeps: each helper checks the current state first,
// then re-checks on every matching event until the predicate holds or its time is up.
import * as vscode from 'vscode';

const DEFAULT_WAIT_MS = 15_000;

function describe(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return 'none';
  return diagnostics
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${diagnosticCode(d)}] ${d.message}`)
    .join('; ');
}

/** The rule name of a diagnostic (`code` is `{ value, target }` when it links to the rule's docs). */
export function diagnosticCode(diagnostic: vscode.Diagnostic): string {
  const { code } = diagnostic;
  if (code === undefined) return '';
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** Resolves with the document's diagnostics once `predicate` holds for them. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!predicate(diagnostics)) return;
      done();
      resolve(diagnostics);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what}: not seen within ${timeoutMs} ms; diagnostics now: ${describe(vscode.languages.getDiagnostics(uri))}`));
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}
