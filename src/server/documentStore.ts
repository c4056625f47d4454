// Open documents with their syntax trees. Each change edits the previous tree before re-parsing,
// so tree-sitter re-parses only what changed (incremental parsing).
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Point, Tree } from '../core/parse/rustParser';
import { LintCache } from '../core/safety/lintSource';
import type { SafetyLinter } from '../core/safety/safetyLinter';
import type { Finding } from '../core/safety/findings';
import type { ModuleFinding } from '../core/authoring/moduleChecks';

export interface OpenDocument {
  document: TextDocument;
  tree?: Tree;
  /** Findings of the last lint, for code actions and hovers. */
  findings: Finding[];
  /** module! findings of the last check. */
  moduleFindings: ModuleFinding[];
  /** What the next lint may reuse of the last one. */
  cache: LintCache;
}

function endPoint(start: Point, text: string): Point {
  const lastBreak = text.lastIndexOf('\n');
  if (lastBreak === -1) return { row: start.row, column: start.column + text.length };
  let rows = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: text.length - lastBreak - 1 };
}

/** The document's file name (`rust_hello.rs`): module names follow it. */
export function fileNameOf(document: TextDocument): string {
  return decodeURIComponent(document.uri.replace(/^.*\//, ''));
}

export class DocumentStore {
  private readonly documents = new Map<string, OpenDocument>();

  constructor(private readonly linter: SafetyLinter) {}

  get(uri: string): OpenDocument | undefined {
    return this.documents.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.documents.values()];
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.close(uri);
    const entry: OpenDocument = {
      document: TextDocument.create(uri, languageId, version, text),
      findings: [],
      moduleFindings: [],
      cache: new LintCache(),
    };
    this.documents.set(uri, entry);
    return entry;
  }

  /** Applies LSP content changes in order, editing the tree alongside the text. */
  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const entry = this.documents.get(uri);
    if (!entry) return undefined;
    for (const change of changes) {
      if ('range' in change && entry.tree) {
        const document = entry.document;
        const startIndex = document.offsetAt(change.range.start);
        const oldEndIndex = document.offsetAt(change.range.end);
        const startPosition = { row: change.range.start.line, column: change.range.start.character };
        entry.tree.edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition,
          oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
          newEndPosition: endPoint(startPosition, change.text),
        });
      } else {
        this.dropTree(entry);
      }
      entry.document = TextDocument.update(entry.document, [change], version);
    }
    return entry;
  }

  /** Parses (reusing the edited tree) and lints; the caller decides what to publish. */
  lint(entry: OpenDocument): Finding[] {
    const previous = entry.tree;
    const { findings, tree } = this.linter.lint(entry.document.getText(), previous, entry.cache);
    previous?.delete();
    entry.tree = tree;
    entry.findings = findings;
    return findings;
  }

  dropTree(entry: OpenDocument): void {
    entry.tree?.delete();
    entry.tree = undefined;
  }

  close(uri: string): void {
    const entry = this.documents.get(uri);
    if (!entry) return;
    this.dropTree(entry);
    this.documents.delete(uri);
  }
}
