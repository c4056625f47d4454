// The open documents as the client sees them: text, version and LSP line index. Content changes are
// applied with the negotiated position encoding and handed on as plain offset edits, which is what
// the lint worker and tree-sitter need (they number lines their own way).
import { LspLines, type LspRange, type PositionEncoding } from './lspLines';

export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export interface ServerDocument {
  readonly uri: string;
  readonly languageId: string;
  version: number;
  text: string;
  lines: LspLines;
}

export interface ContentChange {
  range?: LspRange;
  text: string;
}

/** The document's file name (`rust_hello.rs`): module names follow it. */
export function fileNameOf(uri: string): string {
  const last = uri.replace(/[?#].*$/, '').replace(/^.*\//, '');
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export class Documents {
  private readonly documents = new Map<string, ServerDocument>();
  private readonly closeListeners: ((uri: string) => void)[] = [];

  constructor(private readonly encoding: () => PositionEncoding) {}

  get(uri: string): ServerDocument | undefined {
    return this.documents.get(uri);
  }

  all(): ServerDocument[] {
    return [...this.documents.values()];
  }

  open(uri: string, languageId: string, version: number, text: string): ServerDocument {
    const document: ServerDocument = { uri, languageId, version, text, lines: new LspLines(text) };
    this.documents.set(uri, document);
    return document;
  }

  /** Applies changes in order (each range refers to the text after the previous change). */
  change(uri: string, version: number, changes: ContentChange[]): { document: ServerDocument; edits: OffsetEdit[] } | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const edits: OffsetEdit[] = [];
    for (const change of changes) {
      const { start, end } = change.range
        ? document.lines.offsetsOf(change.range, this.encoding())
        : { start: 0, end: document.text.length };
      document.text = document.text.slice(0, start) + change.text + document.text.slice(end);
      document.lines = new LspLines(document.text);
      edits.push({ start, end, text: change.text });
    }
    document.version = version;
    return { document, edits };
  }

  close(uri: string): void {
    if (!this.documents.delete(uri)) return;
    for (const listener of this.closeListeners) listener(uri);
  }

  /** Called after a document closes (each LSP notification has one handler: features listen here). */
  onDidClose(listener: (uri: string) => void): void {
    this.closeListeners.push(listener);
  }
}
