// Diagnostics, pushed (textDocument/publishDiagnostics) to clients that do not pull, answered
// (textDocument/diagnostic) to clients that do; never both for one client, as LSP 3.17 intends.
// Nothing is linted before the client's settings are known, so the first diagnostics already follow
// them. When settings change, pushed diagnostics are sent again and pull clients asked to refresh.
import {
  DiagnosticRefreshRequest,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  ResponseError,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { KernelApi } from '../../core/authoring/kernelApi';
import type { Feature, ServerContext } from '../context';
import { toDiagnostics } from '../diagnostics';
import type { LintResult } from '../lint/lintResults';
import type { ServerSettings } from '../../shared/protocol';

function render(ctx: ServerContext, uri: string, result: LintResult) {
  const document = ctx.documents.get(uri);
  if (!document || document.version !== result.version) return undefined;
  if (result.outcome.kind === 'failed') ctx.log(`linting ${uri} failed: ${result.outcome.detail}`);
  const live = toDiagnostics(result.outcome, document.lines, ctx.client.positionEncoding, ctx.settings.current.lint.severity);
  // The module's last check on save (rustc, clippy), less what a live finding already shows.
  return [...live, ...ctx.checks.diagnosticsFor(uri, live)];
}

function publish(ctx: ServerContext, uri: string, result: LintResult): void {
  const diagnostics = render(ctx, uri, result);
  if (diagnostics)
    void ctx.connection
      .sendDiagnostics({ uri, version: result.version, diagnostics })
      .catch((error) => ctx.log(`publishing diagnostics failed: ${String(error)}`));
}

export const diagnostics: Feature = {
  capabilities: (client) =>
    client.pullDiagnostics
      ? { diagnosticProvider: { identifier: 'rust-for-linux', interFileDependencies: false, workspaceDiagnostics: false } }
      : {},

  register(ctx) {
    let configuredApi: KernelApi | undefined;
    let configuredMaxBytes: number | undefined;
    /** Tells the lint worker the kernel API and size limit; true when that changed anything. */
    const configureLint = (): boolean => {
      const api = ctx.kernelApi();
      const maxBytes = ctx.settings.current.lint.maxFileSizeMB * 1024 * 1024;
      if (api === configuredApi && maxBytes === configuredMaxBytes) return false;
      configuredApi = api;
      configuredMaxBytes = maxBytes;
      ctx.results.invalidate();
      ctx.lint.configure({ api, maxBytes });
      return true;
    };

    void ctx.settings.ready.then(configureLint);

    // One workspace/diagnostic/refresh for a burst: a check republishes every file of its module at
    // once, and each refresh makes the client pull every open document again.
    let refreshQueued = false;
    const requestRefresh = (): void => {
      if (refreshQueued) return;
      refreshQueued = true;
      setImmediate(() => {
        refreshQueued = false;
        ctx.connection
          .sendRequest(DiagnosticRefreshRequest.type)
          .catch((error) => ctx.log(`workspace/diagnostic/refresh failed: ${String(error)}`));
      });
    };

    ctx.settings.onChange((previous: ServerSettings) => {
      const relinting = configureLint();
      if (ctx.client.pullDiagnostics) {
        if (ctx.client.diagnosticRefresh) requestRefresh();
      } else if (!relinting && JSON.stringify(previous.lint.severity) !== JSON.stringify(ctx.settings.current.lint.severity)) {
        for (const document of ctx.documents.all()) {
          const result = ctx.results.get(document.uri);
          if (result) publish(ctx, document.uri, result);
        }
      }
    });

    ctx.republish = (uri) => {
      if (!ctx.documents.get(uri)) return false;
      if (!ctx.client.pullDiagnostics) {
        const result = ctx.results.get(uri);
        if (result) publish(ctx, uri, result);
      } else if (ctx.client.diagnosticRefresh) {
        requestRefresh();
      }
      return true;
    };

    if (!ctx.client.pullDiagnostics) {
      ctx.results.onResult((uri, result) => publish(ctx, uri, result));
      ctx.documents.onDidClose((uri) => {
        // The module's last check still holds for the file on disk.
        const remaining = ctx.checks.diagnosticsFor(uri, []);
        void ctx.connection
          .sendDiagnostics({ uri, diagnostics: remaining })
          .catch((error) => ctx.log(`clearing diagnostics failed: ${String(error)}`));
      });
      return;
    }

    ctx.connection.onRequest(
      DocumentDiagnosticRequest.type,
      async ({ textDocument, previousResultId }): Promise<DocumentDiagnosticReport> => {
        const document = ctx.documents.get(textDocument.uri);
        if (!document) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
        await ctx.settings.ready;
        const result = await ctx.results.when(document.uri, document.version);
        const items = result && render(ctx, document.uri, result);
        if (!result || !items) {
          // The document changed (or closed) while its lint ran: the client asks again for the new text.
          throw new ResponseError(LSPErrorCodes.ServerCancelled, `${textDocument.uri} changed while it was being linted`, {
            retriggerRequest: true,
          });
        }
        const resultId = `${result.serial}.${ctx.settings.generation}.${ctx.checks.generation}`;
        if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
        return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
      },
    );
  },
};
