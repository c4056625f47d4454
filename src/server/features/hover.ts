// textDocument/hover: the rule behind a SAFETY finding under the cursor (hover.ts).
import type { Feature } from '../context';
import { hover } from '../hover';

export const hovers: Feature = {
  capabilities: () => ({ hoverProvider: true }),
  register(ctx) {
    ctx.connection.onHover(async ({ textDocument, position }) => {
      const document = ctx.documents.get(textDocument.uri);
      if (!document) return null;
      const findings = await ctx.results.findings(document.uri, document.version);
      return hover(document, findings, position, ctx.client.positionEncoding, ctx.client.hover);
    });
  },
};
