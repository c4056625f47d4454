// Starts the bundled language server (dist/server.js) over stdio, as any LSP editor would, with a
// quiet log channel and a middleware that feeds the unsafe-block highlighter. This client pulls
// diagnostics (textDocument/diagnostic), so the server does not push them: the highlighter is fed
// from both paths, whichever the server uses.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  vsdiag,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { SETTINGS_SECTION, type InitializationOptions } from '../shared/protocol';
import type { UnsafeHighlighter } from './unsafeHighlight';

export function createLanguageClient(
  context: vscode.ExtensionContext,
  highlighter: UnsafeHighlighter,
  log: vscode.LogOutputChannel,
): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6012'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'rust' }],
    outputChannel: log,
    // Errors show as notifications instead of popping the log open.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    synchronize: { configurationSection: SETTINGS_SECTION },
    initializationOptions: {
      settings: vscode.workspace.getConfiguration(SETTINGS_SECTION),
      selectPlaceholderCommand: true,
      // package.json contributes the version-independent snippets; the server sends the rest.
      staticSnippets: true,
      // The server's check on save runs the kernel's build: never in an untrusted workspace.
      trustedWorkspace: vscode.workspace.isTrusted,
    } satisfies InitializationOptions,
    middleware: {
      handleDiagnostics(uri, diagnostics, next) {
        highlighter.update(uri, diagnostics);
        next(uri, diagnostics);
      },
      async provideDiagnostics(document, previousResultId, token, next) {
        const report = await next(document, previousResultId, token);
        // An `unchanged` report keeps the diagnostics, and so the highlight, that are already there.
        if (report?.kind === vsdiag.DocumentDiagnosticReportKind.full)
          highlighter.update(document instanceof vscode.Uri ? document : document.uri, report.items);
        return report;
      },
    },
  };
  return new LanguageClient('rustForLinux', 'Rust for Linux', serverOptions, clientOptions);
}
