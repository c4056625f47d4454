// A parser plus the SAFETY rules: lints a whole text, or re-lints after edits reusing the old tree.
import { LineIndex } from '../parse/lineIndex';
import { parseableText } from '../parse/grammarCompat';
import { createRustParser, type Parser, type Tree } from '../parse/rustParser';
import type { Finding } from './findings';
import { lintTree, type LintCache } from './lintSource';
import type { CfgSet } from '../lint/kernelCfg';
import { bracketDepth } from '../parse/bracketDepth';
import { LintBudget, LintLimitError, lintTimeLimitMs, MAX_NESTING_DEPTH, ParseTimeoutError } from './limits';

export { LintLimitError } from './limits';

/** Trees parsed from text that parseableText rewrote (see parse). */
const parsedFromRewrite = new WeakSet<Tree>();

export interface LintOutcome {
  findings: Finding[];
  tree: Tree;
}

export class SafetyLinter {
  private constructor(
    private readonly parser: Parser,
    private readonly timeLimitMs: number | undefined,
  ) {}

  /** `timeLimitMs`: the time budget of each lint; by default it grows with the text (lintTimeLimitMs). */
  static async create(options: { timeLimitMs?: number } = {}): Promise<SafetyLinter> {
    return new SafetyLinter(await createRustParser(), options.timeLimitMs);
  }

  /**
   * Parses `text` (incrementally when given the previous tree, already edited) and lints it, reusing
   * the findings of unchanged regions when given the cache of the document's previous lint.
   */
  /** `cfg`: the cfg set of the kernel tree the file belongs to; code it disables is not reported. */
  lint(text: string, previousTree?: Tree, cache?: LintCache, cfg?: CfgSet): LintOutcome {
    const budget = LintBudget.starting(this.timeLimitMs ?? lintTimeLimitMs(text.length));
    const depth = bracketDepth(text);
    if (depth > MAX_NESTING_DEPTH) {
      throw new LintLimitError(`brackets nest ${depth} levels deep (limit ${MAX_NESTING_DEPTH}); not linted`);
    }
    const tree = this.parse(text, previousTree, budget);
    try {
      return { findings: lintTree(tree, text, new LineIndex(text), cache, budget, cfg), tree };
    } catch (error) {
      tree.delete();
      // The cache may hold a partial state: the next lint starts afresh.
      if (cache) cache.fileKey = '';
      throw error;
    }
  }

  parse(text: string, previousTree?: Tree, budget = LintBudget.starting(this.timeLimitMs ?? lintTimeLimitMs(text.length))): Tree {
    const parsed = parseableText(text);
    const rewritten = parsed !== text;
    // The grammar-compatible rewrite of one text can differ from the last one's away from the edit
    // (deleting the `{` of `unsafe extern "C" {` undoes the rewrite of `unsafe` before it), and
    // tree.edit describes only the edit: tree-sitter would keep tokens lexed from text that is no
    // longer there. So a tree parsed from rewritten text, or for one, is not reused.
    const reusable = previousTree && !rewritten && !parsedFromRewrite.has(previousTree) ? previousTree : null;
    const tree = this.parser.parse(parsed, reusable, {
      progressCallback: () => budget.expired,
    });
    if (!tree) {
      this.parser.reset();
      throw new ParseTimeoutError(budget.describeTimeout('parsing'));
    }
    if (rewritten) parsedFromRewrite.add(tree);
    return tree;
  }
}
