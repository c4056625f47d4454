// Waiting on the editor's own events, never on sleeps: each helper checks the current state first,
// then re-checks on every matching event until the predicate holds or its time is up.
import * as vscode from 'vscode';

const DEFAULT_WAIT_MS = 15_000;

function describe(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return 'none';
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${diagnosticCode(d)}] ${d.message}`).join('; ');
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

/**
 * The code actions at `range` once one satisfies `predicate`. The extension host sees a diagnostic
 * (getDiagnostics, onDidChangeDiagnostics) before the workbench's marker service does, and the code
 * action request takes its diagnostics from the markers, so a request made at once may find none;
 * no event tells the extension host when the markers arrive. The request is therefore repeated,
 * each attempt a round trip to the workbench (no sleep), until the action is there or time is up.
 */
export async function waitForCodeAction(
  uri: vscode.Uri,
  range: vscode.Range,
  predicate: (action: vscode.CodeAction) => boolean,
  kind?: vscode.CodeActionKind,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<vscode.CodeAction> {
  const deadline = Date.now() + timeoutMs;
  let actions: vscode.CodeAction[] = [];
  do {
    actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, kind?.value);
    const found = actions.find(predicate);
    if (found) return found;
    await new Promise<void>((resolve) => setImmediate(resolve));
  } while (Date.now() < deadline);
  throw new Error(
    `no matching code action within ${timeoutMs} ms; last seen: ${actions.map((action) => action.title).join(', ') || 'none'}`,
  );
}

/**
 * Saves `document` as File > Save does and resolves once its current version is on disk. In the web
 * workbench (code-server) `files.autoSave` defaults to `afterDelay` (1 s), so an auto save of the same
 * edit can overtake the explicit save and cancel it: `save()` then resolves false although the text
 * is saved moments later. What is awaited is therefore the document saved at this version, by either.
 */
export function saveDocument(document: vscode.TextDocument, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
  const version = document.version;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (document.isDirty || document.version !== version) return;
      done();
      resolve();
    };
    const subscription = vscode.workspace.onDidSaveTextDocument((saved) => {
      if (saved.uri.toString() === document.uri.toString()) check();
    });
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(
          `${document.uri.fsPath}: version ${version} not saved within ${timeoutMs} ms (now version ${document.version}, ${document.isDirty ? 'dirty' : 'clean'})`,
        ),
      );
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
    };
    document.save().then(check, (error: unknown) => {
      done();
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}
