// textDocument/completion: kernel-version-aware templates where the cursor is (completion.ts).
import type { Feature } from '../context';
import { completions } from '../completion';
import { fileNameOf } from '../text/documents';

export const completion: Feature = {
  capabilities: () => ({ completionProvider: { triggerCharacters: [] } }),
  register(ctx) {
    ctx.connection.onCompletion(async ({ textDocument, position }) => {
      const document = ctx.documents.get(textDocument.uri);
      if (!document) return [];
      const offset = document.lines.offsetAt(position, ctx.client.positionEncoding);
      const version = document.version;
      const tree = await ctx.trees.get(document);
      if (document.version !== version) return [];
      return completions(tree?.rootNode, offset, fileNameOf(document.uri), ctx.kernelApi(), ctx.client);
    });
  },
};
