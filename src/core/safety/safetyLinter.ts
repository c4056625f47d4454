// A parser plus the SAFETY rules: lints a whole text, or re-lints after edits reusing the old tree.
import { LineIndex } from '../parse/lineIndex';
import { parseableText } from '../parse/grammarCompat';
import { createRustParser, type Parser, type Tree } from '../parse/rustParser';
import type { Finding } from './findings';
import { lintTree } from './lintSource';

/** Parsing stops after this long, so that no input can hang the linter. */
const PARSE_TIME_LIMIT_MS = 5_000;

export class ParseTimeoutError extends Error {}

export interface LintOutcome {
  findings: Finding[];
  tree: Tree;
}

export class SafetyLinter {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<SafetyLinter> {
    return new SafetyLinter(await createRustParser());
  }

  /** Parses `text` (incrementally when given the previous tree, already edited) and lints it. */
  lint(text: string, previousTree?: Tree): LintOutcome {
    const tree = this.parse(text, previousTree);
    return { findings: lintTree(tree, text, new LineIndex(text)), tree };
  }

  parse(text: string, previousTree?: Tree): Tree {
    const deadline = Date.now() + PARSE_TIME_LIMIT_MS;
    const tree = this.parser.parse(parseableText(text), previousTree ?? null, {
      progressCallback: () => Date.now() > deadline,
    });
    if (!tree) {
      this.parser.reset();
      throw new ParseTimeoutError(`parsing took longer than ${PARSE_TIME_LIMIT_MS / 1000} s and was stopped`);
    }
    return tree;
  }
}
