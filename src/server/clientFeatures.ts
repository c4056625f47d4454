// What this client can take, read once from its initialize params: every feature asks here instead
// of reading capabilities itself, so that each LSP capability is interpreted in one place.
import { MarkupKind, type InitializeParams } from 'vscode-languageserver/node';
import type { InitializationOptions } from '../shared/protocol';
import { SUPPORTED_ENCODINGS, type PositionEncoding } from './text/lspLines';

export interface ClientFeatures {
  /** Negotiated from general.positionEncodings: the client's first that we support, else UTF-16. */
  positionEncoding: PositionEncoding;
  /** Completion items may be snippets (`${1:x}`); else plain text. */
  snippets: boolean;
  /** Markup for completion documentation and hovers: the client's first choice that we can write. */
  completionDocumentation: MarkupKind;
  hover: MarkupKind;
  /** The client pulls diagnostics (textDocument/diagnostic): we do not push to it. */
  pullDiagnostics: boolean;
  /** The client accepts workspace/diagnostic/refresh (pull clients: settings changed). */
  diagnosticRefresh: boolean;
  /** The client answers workspace/configuration. */
  configuration: boolean;
  /** The client accepts client/registerCapability for workspace/didChangeConfiguration. */
  dynamicConfigurationRegistration: boolean;
  /** initializationOptions.selectPlaceholderCommand: the client runs rustForLinux.selectPlaceholder. */
  selectsPlaceholders: boolean;
  /** initializationOptions.staticSnippets: the client contributes the version-independent snippets. */
  hasStaticSnippets: boolean;
}

/** The first kind in the client's preference order that we can write; plain text when it names none. */
function markup(preferred: MarkupKind[] | undefined): MarkupKind {
  const known: MarkupKind[] = [MarkupKind.Markdown, MarkupKind.PlainText];
  return preferred?.find((kind) => known.includes(kind)) ?? MarkupKind.PlainText;
}

export function negotiate(params: InitializeParams): ClientFeatures {
  const capabilities = params.capabilities ?? {};
  const text = capabilities.textDocument;
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  const offered = capabilities.general?.positionEncodings ?? ['utf-16'];
  const positionEncoding =
    offered.find((encoding): encoding is PositionEncoding => SUPPORTED_ENCODINGS.includes(encoding as PositionEncoding)) ?? 'utf-16';
  return {
    positionEncoding,
    snippets: text?.completion?.completionItem?.snippetSupport === true,
    completionDocumentation: markup(text?.completion?.completionItem?.documentationFormat),
    hover: markup(text?.hover?.contentFormat),
    pullDiagnostics: text?.diagnostic !== undefined,
    diagnosticRefresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
    configuration: capabilities.workspace?.configuration === true,
    dynamicConfigurationRegistration: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    selectsPlaceholders: options.selectPlaceholderCommand === true,
    hasStaticSnippets: options.staticSnippets === true,
  };
}
