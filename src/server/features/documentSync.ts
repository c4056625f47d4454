// Open, change and close: the documents as the client sees them, forwarded to the lint worker as
// offset edits (incremental sync) and to the on-demand syntax trees.
import { TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { fileNameOf } from '../text/documents';

export const documentSync: Feature = {
  capabilities: () => ({ textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental } }),

  register(ctx) {
    ctx.connection.onDidOpenTextDocument(({ textDocument }) => {
      const { uri, languageId, version, text } = textDocument;
      ctx.trees.close(uri);
      ctx.results.delete(uri);
      ctx.documents.open(uri, languageId, version, text);
      ctx.lint.open({ uri, version, text, fileName: fileNameOf(uri) });
    });

    ctx.connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      const changed = ctx.documents.change(textDocument.uri, textDocument.version, contentChanges);
      if (!changed) {
        ctx.log(`didChange for ${textDocument.uri}, which is not open; ignored`);
        return;
      }
      ctx.results.superseded(textDocument.uri, textDocument.version);
      ctx.trees.edited(textDocument.uri, changed.edits);
      ctx.lint.change(textDocument.uri, textDocument.version, changed.edits);
    });

    ctx.connection.onDidCloseTextDocument(({ textDocument }) => {
      ctx.documents.close(textDocument.uri);
      ctx.results.delete(textDocument.uri);
      ctx.trees.close(textDocument.uri);
      ctx.lint.close(textDocument.uri);
    });
  },
};
