// textDocument/codeAction: quick fixes for our diagnostics and module! refactorings (codeActions.ts).
import { CodeActionKind } from 'vscode-languageserver/node';
import type { Feature } from '../context';
import { codeActions } from '../codeActions';
import { fileNameOf } from '../text/documents';

export const codeActionFeature: Feature = {
  capabilities: () => ({ codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] } }),
  register(ctx) {
    ctx.connection.onCodeAction(async (params) => {
      const document = ctx.documents.get(params.textDocument.uri);
      if (!document) return [];
      const version = document.version;
      const [findings, tree] = await Promise.all([ctx.results.findings(document.uri, version), ctx.trees.get(document)]);
      if (document.version !== version) return [];
      return codeActions({
        document,
        findings,
        params,
        encoding: ctx.client.positionEncoding,
        selectsPlaceholders: ctx.client.selectsPlaceholders,
        root: tree?.rootNode,
        api: ctx.kernelApi(),
        fileName: fileNameOf(document.uri),
      });
    });
  },
};
