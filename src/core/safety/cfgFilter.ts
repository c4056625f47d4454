// Drops findings in code a kernel build does not compile: under an item, module, block, statement or
// match arm whose `#[cfg(...)]` is false for the tree's cfg set (and under a file's or module's
// false `#![cfg(...)]`). Clippy never sees such code. Predicates the CfgSet cannot read keep the code.
import type { CfgSet } from '../lint/kernelCfg';
import type { SyntaxNode } from '../parse/navTree';
import type { LineIndex } from '../parse/lineIndex';
import type { Finding } from './findings';
import { innerAttributes } from './lintLevels';
import { outerAttributes } from './syntax';

const CFG = /^#!?\[\s*cfg\s*\(([\s\S]*)\)\s*\]$/;

function disabledBy(attributes: SyntaxNode[], cfg: CfgSet): boolean {
  return attributes.some((attribute) => {
    const predicate = CFG.exec(attribute.text)?.[1];
    return predicate !== undefined && cfg.evaluate(predicate) === false;
  });
}

/** Whether the code at `node` is compiled under the cfg set. */
export function isCompiledNode(node: SyntaxNode, cfg: CfgSet, compiled = new Map<SyntaxNode, boolean>()): boolean {
  {
    const climbed: SyntaxNode[] = [];
    let result = true;
    for (let current: SyntaxNode | null = node; current !== null; current = current.parent) {
      const known = compiled.get(current);
      if (known !== undefined) {
        result = known;
        break;
      }
      climbed.push(current);
      const inner = current.type === 'source_file' || current.type === 'declaration_list' || current.type === 'block';
      if (disabledBy(outerAttributes(current), cfg) || (inner && disabledBy(innerAttributes(current), cfg))) {
        result = false;
        break;
      }
    }
    for (const passed of climbed) compiled.set(passed, result);
    return result;
  }
}

export function compiledFindings(findings: Finding[], root: SyntaxNode, lines: LineIndex, cfg: CfgSet): Finding[] {
  const compiled = new Map<SyntaxNode, boolean>();
  return findings.filter((finding) => {
    const offset = lines.lineStart(finding.range.start.line) + finding.range.start.character;
    return isCompiledNode(root.descendantForIndex(offset), cfg, compiled);
  });
}
