// The language server: SAFETY diagnostics on open and on every change (incremental parsing), quick
// fixes and hovers, over stdio for any LSP editor (`node dist/server.js --stdio`).
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { unlintableTextReason } from '../core/files/readSource';
import { SafetyLinter } from '../core/safety/safetyLinter';
import { DEFAULT_LINT_SETTINGS, SETTINGS_SECTION, type ServerSettings } from '../shared/protocol';
import { codeActions } from './codeActions';
import { notLintedDiagnostic, toDiagnostics } from './diagnostics';
import { DocumentStore, type OpenDocument } from './documentStore';
import { hover } from './hover';
import { validateSettings } from './settings';

const connection = createConnection(ProposedFeatures.all);
let store: DocumentStore | undefined;
let settings: ServerSettings = { lint: DEFAULT_LINT_SETTINGS };
let pullsConfiguration = false;
let clientSelectsPlaceholders = false;
const linterReady = SafetyLinter.create();

connection.onInitialize(async (params: InitializeParams) => {
  store = new DocumentStore(await linterReady);
  pullsConfiguration = params.capabilities.workspace?.configuration === true;
  const options = params.initializationOptions as { settings?: unknown; selectPlaceholderCommand?: boolean } | undefined;
  settings = validateSettings(options?.settings);
  clientSelectsPlaceholders = options?.selectPlaceholderCommand === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      hoverProvider: true,
    },
    serverInfo: { name: 'rust-for-linux' },
  };
});

connection.onInitialized(() => {
  if (pullsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    void refreshSettings();
  }
});

async function refreshSettings(): Promise<void> {
  if (pullsConfiguration) {
    settings = validateSettings(await connection.workspace.getConfiguration(SETTINGS_SECTION));
  }
  for (const entry of store?.all() ?? []) publish(entry);
}

connection.onDidChangeConfiguration((change) => {
  if (!pullsConfiguration) settings = validateSettings((change.settings as Record<string, unknown>)?.[SETTINGS_SECTION]);
  void refreshSettings();
});

/** Lints a document and publishes the result; one bad document never stops the server. */
function publish(entry: OpenDocument): void {
  const { uri, version } = entry.document;
  const text = entry.document.getText();
  const reason = unlintableTextReason(text, settings.lint.maxFileSizeMB * 1024 * 1024);
  if (reason) {
    store?.dropTree(entry);
    entry.findings = [];
    void connection.sendDiagnostics({ uri, version, diagnostics: [notLintedDiagnostic(reason)] });
    return;
  }
  try {
    const findings = store!.lint(entry);
    void connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(findings, settings.lint.severity) });
  } catch (error) {
    store?.dropTree(entry);
    connection.console.error(`Linting ${uri} failed: ${(error as Error).stack ?? String(error)}`);
    void connection.sendDiagnostics({ uri, version, diagnostics: [notLintedDiagnostic(`failed: ${(error as Error).message}`)] });
  }
}

connection.onDidOpenTextDocument(({ textDocument }) => {
  if (!store) return;
  publish(store.open(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text));
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const entry = store?.change(textDocument.uri, textDocument.version, contentChanges);
  if (entry) publish(entry);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  store?.close(textDocument.uri);
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
});

connection.onCodeAction((params) => {
  const entry = store?.get(params.textDocument.uri);
  return entry ? codeActions(entry, params, clientSelectsPlaceholders) : [];
});

connection.onHover(({ textDocument, position }) => {
  const entry = store?.get(textDocument.uri);
  return entry ? hover(entry, position) : null;
});

connection.listen();
