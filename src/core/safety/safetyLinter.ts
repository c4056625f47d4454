// A parser plus the SAFETY rules: lints a whole text, or re-lints after edits reusing the old tree.
import { LineIndex } from '../parse/lineIndex';
import { parseableText } from '../parse/grammarCompat';
import { createRustParser, type Parser, type Tree } from '../parse/rustParser';
import type { Finding } from './findings';
import { lintTree, type LintCache } from './lintSource';

/** Parsing stops after this long, so that no input can hang the linter. */
const PARSE_TIME_LIMIT_MS = 5_000;

/** Nesting deeper than this is not real code: the tree walks would take quadratic time. */
export const MAX_NESTING_DEPTH = 128;

/** The input is beyond what the linter handles in bounded time; the message says why. */
export class LintLimitError extends Error {}
/** Kept for callers that distinguish a parse that ran out of time. */
export class ParseTimeoutError extends LintLimitError {}

/** Deepest bracket nesting, counted on the raw text (strings and comments included: an upper bound). */
export function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x7b || code === 0x28 || code === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if ((code === 0x7d || code === 0x29 || code === 0x5d) && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

export interface LintOutcome {
  findings: Finding[];
  tree: Tree;
}

export class SafetyLinter {
  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<SafetyLinter> {
    return new SafetyLinter(await createRustParser());
  }

  /**
   * Parses `text` (incrementally when given the previous tree, already edited) and lints it, reusing
   * the findings of unchanged regions when given the cache of the document's previous lint.
   */
  lint(text: string, previousTree?: Tree, cache?: LintCache): LintOutcome {
    const depth = bracketDepth(text);
    if (depth > MAX_NESTING_DEPTH) {
      throw new LintLimitError(`brackets nest ${depth} levels deep (limit ${MAX_NESTING_DEPTH}); not linted`);
    }
    const tree = this.parse(text, previousTree);
    return { findings: lintTree(tree, text, new LineIndex(text), cache), tree };
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
