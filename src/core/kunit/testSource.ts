// Finds the KUnit tests a Rust file declares, from its syntax tree: each `#[kunit_tests(suite)]` module
// and the `#[test]` functions directly in its body, in source order. This mirrors what the kernel's
// macro (rust/macros/kunit.rs, 6.15+) collects: it looks only at the module body's own items, so a
// `#[test]` in a nested module is not a case, and it keeps the source order, which is the run order.
import type { TextRange } from '../safety/findings';
import type { SyntaxNode } from '../parse/rustParser';
import { precedingAttributes } from '../parse/attributes';

export interface SourceTestCase {
  name: string;
  /** The `fn` item (attributes excluded): where an editor puts the case's run button. */
  range: TextRange;
  /** 1-based line of the `fn` keyword's line. */
  line: number;
}

export interface SourceTestSuite {
  /** The KUnit suite name, the attribute's argument. */
  name: string;
  /** The `mod` item. */
  range: TextRange;
  line: number;
  /** The Rust module's own name (`tests`). */
  moduleName: string;
  cases: SourceTestCase[];
}

function rangeOf(node: SyntaxNode): TextRange {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** `#[kunit_tests(name)]`, `#[macros::kunit_tests(name)]`: the suite name, else undefined. */
export function kunitSuiteName(attributeItem: SyntaxNode): string | undefined {
  const match = /^#\[\s*(?:[\w:]*::)?kunit_tests\s*\(\s*([A-Za-z_]\w*)\s*\)\s*\]$/.exec(attributeItem.text);
  return match?.[1];
}

function isTestAttribute(attributeItem: SyntaxNode): boolean {
  return /^#\[\s*test\s*\]$/.test(attributeItem.text);
}

function suiteOf(mod: SyntaxNode): SourceTestSuite | undefined {
  const name = precedingAttributes(mod)
    .map(kunitSuiteName)
    .find((found) => found !== undefined);
  const body = mod.childForFieldName('body');
  if (!name || !body) return undefined;
  const cases: SourceTestCase[] = [];
  for (const item of body.namedChildren) {
    if (item?.type !== 'function_item' || !precedingAttributes(item).some(isTestAttribute)) continue;
    const caseName = item.childForFieldName('name')?.text;
    if (caseName) cases.push({ name: caseName, range: rangeOf(item), line: item.startPosition.row + 1 });
  }
  return { name, range: rangeOf(mod), line: mod.startPosition.row + 1, moduleName: mod.childForFieldName('name')?.text ?? '', cases };
}

/** Every `#[kunit_tests]` module of the file (its tree's root node), at any depth, in source order. */
export function findKunitTests(root: SyntaxNode): SourceTestSuite[] {
  const suites: SourceTestSuite[] = [];
  const visit = (node: SyntaxNode): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'mod_item') {
        const suite = suiteOf(child);
        if (suite) suites.push(suite);
        const body = child.childForFieldName('body');
        if (body) visit(body);
      }
    }
  };
  visit(root);
  return suites;
}
