// The language server: SAFETY diagnostics on open and on every change (incremental parsing), quick
// fixes and hovers, over stdio for any LSP editor (`node dist/server.js --stdio`).
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import { checkModuleMacros } from '../core/authoring/moduleChecks';
import { unlintableTextReason } from '../core/files/readSource';
import { SafetyLinter } from '../core/safety/safetyLinter';
import { DEFAULT_LINT_SETTINGS, SETTINGS_SECTION, type InitializationOptions, type ServerSettings } from '../shared/protocol';
import { registerCheckOnSave } from './checkOnSave';
import { codeActions } from './codeActions';
import { completions } from './completion';
import { KernelContext } from './kernelContext';
import { moduleDiagnostics } from './moduleDiagnostics';
import { notLintedDiagnostic, toDiagnostics } from './diagnostics';
import { DocumentStore, fileNameOf, type OpenDocument } from './documentStore';
import { hover } from './hover';
import { validateSettings } from './settings';

const connection = createConnection(ProposedFeatures.all);
let store: DocumentStore | undefined;
let settings: ServerSettings = { lint: DEFAULT_LINT_SETTINGS, kernelDir: undefined, checkOnSave: true };
let pullsConfiguration = false;
let clientSelectsPlaceholders = false;
let clientHasStaticSnippets = false;
let kernel = new KernelContext(undefined);
let reportedApiNote: string | undefined;
const linterReady = SafetyLinter.create();
let workspaceRoot: string | undefined;
const checks = registerCheckOnSave(connection, {
  republish: (uri) => {
    const entry = store?.get(uri);
    if (entry) publish(entry);
    return entry !== undefined;
  },
  settings: () => settings,
  workspaceRoot: () => workspaceRoot,
});

connection.onInitialize(async (params: InitializeParams) => {
  store = new DocumentStore(await linterReady);
  pullsConfiguration = params.capabilities.workspace?.configuration === true;
  const options = params.initializationOptions as InitializationOptions | undefined;
  settings = validateSettings(options?.settings);
  clientSelectsPlaceholders = options?.selectPlaceholderCommand === true;
  clientHasStaticSnippets = options?.staticSnippets === true;
  const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  workspaceRoot = rootUri?.startsWith('file:') ? fileURLToPath(rootUri) : undefined;
  kernel = new KernelContext(workspaceRoot);
  checks.initialize(options?.trustedWorkspace);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [] },
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
  checks.settingsChanged();
  for (const entry of store?.all() ?? []) publish(entry);
}

connection.onDidChangeConfiguration((change) => {
  if (!pullsConfiguration) settings = validateSettings((change.settings as Record<string, unknown>)?.[SETTINGS_SECTION]);
  void refreshSettings();
});

/** The module API of the configured kernel; says once in the log where it came from. */
function kernelApi() {
  const { api, note } = kernel.api(settings.kernelDir);
  const summary = `module API: ${api.version ? `Linux ${api.version} from ${api.kdir}` : 'newest known (no kernel found)'}${note ? ` (${note})` : ''}`;
  if (summary !== reportedApiNote) {
    reportedApiNote = summary;
    connection.console.info(summary);
  }
  return api;
}

/** Lints a document and publishes the result; one bad document never stops the server. */
function publish(entry: OpenDocument): void {
  const { uri, version } = entry.document;
  const text = entry.document.getText();
  const reason = unlintableTextReason(text, settings.lint.maxFileSizeMB * 1024 * 1024);
  if (reason) {
    store?.dropTree(entry);
    entry.findings = [];
    entry.moduleFindings = [];
    void connection.sendDiagnostics({ uri, version, diagnostics: [notLintedDiagnostic(reason)] });
    return;
  }
  try {
    const findings = store!.lint(entry);
    entry.moduleFindings = entry.tree
      ? checkModuleMacros({ root: entry.tree.rootNode, text, api: kernelApi(), fileName: fileNameOf(entry.document) })
      : [];
    const live = [...toDiagnostics(findings, settings.lint.severity), ...moduleDiagnostics(entry.moduleFindings)];
    const diagnostics = [...live, ...checks.diagnosticsFor(uri, live)];
    void connection.sendDiagnostics({ uri, version, diagnostics });
  } catch (error) {
    store?.dropTree(entry);
    entry.moduleFindings = [];
    connection.console.error(`Linting ${uri} failed: ${(error as Error).stack ?? String(error)}`);
    void connection.sendDiagnostics({ uri, version, diagnostics: [notLintedDiagnostic(`failed: ${(error as Error).message}`)] });
  }
}

connection.onDidOpenTextDocument(({ textDocument }) => {
  if (!store) return;
  publish(store.open(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text));
  checks.opened(textDocument.uri);
});

connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  checks.changed(textDocument.uri, contentChanges);
  const entry = store?.change(textDocument.uri, textDocument.version, contentChanges);
  if (entry) publish(entry);
});

connection.onDidCloseTextDocument(({ textDocument }) => {
  store?.close(textDocument.uri);
  // The module's last check still holds for the file on disk.
  void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: checks.diagnosticsFor(textDocument.uri, []) });
});

connection.onCodeAction((params) => {
  const entry = store?.get(params.textDocument.uri);
  return [...(entry ? codeActions(entry, params, clientSelectsPlaceholders, kernelApi()) : []), ...checks.codeActions(params)];
});

connection.onCompletion(({ textDocument, position }) => {
  const entry = store?.get(textDocument.uri);
  return entry ? completions(entry, position, kernelApi(), clientHasStaticSnippets) : [];
});

connection.onHover(({ textDocument, position }) => {
  const entry = store?.get(textDocument.uri);
  return entry ? hover(entry, position) : null;
});

connection.listen();
