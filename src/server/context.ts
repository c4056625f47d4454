// Everything the server's features share, created once in server.ts and handed to each feature's
// register(). Features add handlers and capabilities; they do not reach into each other.
import type { Connection, InitializeParams, ServerCapabilities } from 'vscode-languageserver/node';
import type { KernelApi } from '../core/authoring/kernelApi';
import type { ClientFeatures } from './clientFeatures';
import { CheckOnSave } from './checkOnSave';
import { KernelContext } from './kernelContext';
import { LintResults } from './lint/lintResults';
import { LintService } from './lint/lintService';
import { SettingsStore } from './settings';
import { Documents, fileNameOf } from './text/documents';
import { SyntaxTrees } from './text/syntaxTrees';

export interface Feature {
  /** The capabilities this feature adds to the initialize result, given the client. */
  capabilities?(client: ClientFeatures, params: InitializeParams): ServerCapabilities;
  register(ctx: ServerContext): void;
}

/** Writes a line to the server's log: stderr, which every LSP client keeps (VS Code's output channel too). */
export function log(line: string): void {
  process.stderr.write(`[rust-for-linux] ${line}\n`);
}

export class ServerContext {
  /** Set by initialize, before any other handler can run (the lifecycle admits nothing earlier). */
  client!: ClientFeatures;
  readonly documents = new Documents(() => this.client.positionEncoding);
  readonly settings = new SettingsStore();
  readonly results = new LintResults();
  /** Syntax trees parsed on this thread on demand (completions, refactorings). */
  readonly trees = new SyntaxTrees(log);
  readonly lint: LintService;
  /** Which kernel's module API applies; replaced at initialize, when the workspace is known. */
  kernel = new KernelContext(undefined);
  private reportedApi: string | undefined;
  readonly log = log;
  /** The workspace folder the client opened (set at initialize), for relative settings. */
  workspaceRoot: string | undefined;
  /** The kernel's rustc/clippy verdicts per module (check on save); the diagnostics feature publishes them. */
  readonly checks: CheckOnSave;
  /** Publishes an open document's diagnostics again; set by the diagnostics feature. */
  republish: (uri: string) => boolean = () => false;

  constructor(readonly connection: Connection) {
    this.checks = new CheckOnSave(connection, {
      republish: (uri) => this.republish(uri),
      settings: () => this.settings.current,
      workspaceRoot: () => this.workspaceRoot,
      encoding: () => this.client.positionEncoding,
      log,
    });
    this.lint = new LintService({
      documents: () =>
        this.documents
          .all()
          .map((document) => ({ uri: document.uri, version: document.version, text: document.text, fileName: fileNameOf(document.uri) })),
      onResult: (uri, version, outcome, elapsedMs) => {
        if (elapsedMs > 1_000) this.log(`${uri}: linting version ${version} took ${elapsedMs} ms`);
        if (this.documents.get(uri)?.version === version) this.results.set(uri, version, outcome);
      },
      log,
    });
  }

  /** The module API of the configured kernel; says in the log where it came from when that changes. */
  kernelApi(): KernelApi {
    const { api, note } = this.kernel.api(this.settings.current.kernelDir);
    const summary = `module API: ${api.version ? `Linux ${api.version} from ${api.kdir}` : 'newest known (no kernel found)'}${note ? ` (${note})` : ''}`;
    if (summary !== this.reportedApi) {
      this.reportedApi = summary;
      this.log(summary);
    }
    return api;
  }
}
