// Syntax trees on the protocol thread, for the requests that read the syntax at the cursor
// (completions, refactorings). The lint worker has its own; parsing here happens only when such a
// request comes, for its document, and re-parses incrementally from the edits made since.
import type { Tree } from '../../core/parse/rustParser';
import { SafetyLinter } from '../../core/safety/safetyLinter';
import { treeEditOf } from '../lint/treeEdit';
import type { OffsetEdit, ServerDocument } from './documents';

interface Entry {
  tree: Tree;
  /** The text the tree was parsed from. */
  text: string;
  version: number;
  /** Edits made since, in order. */
  pending: OffsetEdit[];
}

export class SyntaxTrees {
  private parser: Promise<SafetyLinter> | undefined;
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  edited(uri: string, edits: OffsetEdit[]): void {
    this.entries.get(uri)?.pending.push(...edits);
  }

  close(uri: string): void {
    this.entries.get(uri)?.tree.delete();
    this.entries.delete(uri);
  }

  /** The document's tree at its current version, or undefined when it cannot be parsed in time. */
  async get(document: ServerDocument): Promise<Tree | undefined> {
    let entry = this.entries.get(document.uri);
    if (entry?.version === document.version) return entry.tree;
    this.parser ??= SafetyLinter.create();
    const parser = await this.parser;
    entry = this.entries.get(document.uri);
    if (entry?.version === document.version) return entry.tree;
    let previous: Tree | undefined;
    if (entry) {
      let text = entry.text;
      for (const edit of entry.pending) {
        entry.tree.edit(treeEditOf(text, edit));
        text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
      }
      previous = text === document.text ? entry.tree : undefined;
    }
    try {
      const tree = parser.parse(document.text, previous);
      this.close(document.uri);
      this.entries.set(document.uri, { tree, text: document.text, version: document.version, pending: [] });
      return tree;
    } catch (error) {
      this.close(document.uri);
      this.log(`${document.uri}: no syntax tree for completions and refactorings: ${(error as Error).message}`);
      return undefined;
    }
  }
}
