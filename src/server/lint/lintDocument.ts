// One document as the lint worker holds it: its text, the syntax tree kept up to date by edits (so
// tree-sitter re-parses only what changed) and the region cache of its last lint. Linting gives the
// SAFETY findings and the module! checks, as offsets (wire.ts).
import { checkModuleMacros } from '../../core/authoring/moduleChecks';
import type { KernelApi } from '../../core/authoring/kernelApi';
import { unlintableTextReason } from '../../core/files/readSource';
import { LineIndex } from '../../core/parse/lineIndex';
import type { Tree } from '../../core/parse/rustParser';
import { LintCache } from '../../core/safety/lintSource';
import { LintLimitError, type SafetyLinter } from '../../core/safety/safetyLinter';
import { findingsUnderSite, skipsFile } from '../../core/safety/siteFilter';
import type { KernelTrees } from './kernelTrees';
import type { OffsetEdit } from '../text/documents';
import { treeEditOf } from './treeEdit';
import { wireModuleFinding, wireSafetyFinding, type LintOutcome } from './wire';

export interface LintConfig {
  /** The module API the module! checks follow. */
  api: KernelApi;
  /** Larger documents are not linted. */
  maxBytes: number;
}

export class LintDocument {
  private tree: Tree | undefined;
  private cache = new LintCache();

  /** `filePath`: where the document lives on disk (undefined for untitled and other non-file URIs). */
  constructor(
    public text: string,
    readonly fileName: string,
    readonly filePath?: string,
  ) {}

  applyEdits(edits: OffsetEdit[]): void {
    for (const edit of edits) {
      this.tree?.edit(treeEditOf(this.text, edit));
      this.text = this.text.slice(0, edit.start) + edit.text + this.text.slice(edit.end);
    }
  }

  /** `kernels`: a file of a configured kernel tree is linted as the tree's build compiles it. */
  lint(linter: SafetyLinter, config: LintConfig, kernels?: KernelTrees): LintOutcome {
    try {
      const kernel = this.filePath === undefined ? undefined : kernels?.of(this.filePath, linter);
      if (kernel?.site && skipsFile(kernel.site, this.text)) {
        // Not compiled by the tree's build, or every clippy lint allowed where it is: clippy says
        // nothing, whatever the size (the generated bindings are megabytes).
        this.dispose();
        return { kind: 'linted', findings: [] };
      }
      const reason = unlintableTextReason(this.text, config.maxBytes);
      if (reason) {
        this.dispose();
        return { kind: 'notLinted', reason };
      }
      const outcome = linter.lint(this.text, this.tree, this.cache, kernel?.cfg);
      this.tree?.delete();
      this.tree = outcome.tree;
      const findings = kernel?.site ? findingsUnderSite(outcome.findings, kernel.site, outcome.tree, this.text) : outcome.findings;
      const lines = new LineIndex(this.text);
      const moduleFindings = checkModuleMacros({
        root: outcome.tree.rootNode,
        text: this.text,
        api: config.api,
        lines,
        fileName: this.fileName,
      });
      return {
        kind: 'linted',
        findings: [
          ...findings.map((finding) => wireSafetyFinding(lines, finding)),
          ...moduleFindings.map((finding) => wireModuleFinding(lines, finding)),
        ],
      };
    } catch (error) {
      this.dispose();
      if (error instanceof LintLimitError) return { kind: 'notLinted', reason: error.message };
      return { kind: 'failed', message: (error as Error).message, detail: (error as Error).stack ?? String(error) };
    }
  }

  /** Frees the tree; the next lint parses from scratch. */
  dispose(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.cache = new LintCache();
  }
}
