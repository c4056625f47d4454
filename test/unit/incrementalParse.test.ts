// After an edit, a parse that reuses the previous tree must give the tree a fresh parse gives
// (issue 10, item 9). The root cause of the drift seen in the server: the grammar-compatible rewrite
// of Rust 2024 syntax (grammarCompat.ts) changes text away from the edit, which tree.edit does not
// describe; the linter then parses such texts from scratch.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Tree } from '../../src/core/parse/rustParser';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';

/** Every node, anonymous ones too, with its range: toString() leaves the anonymous ones out. */
function dump(tree: Tree): string {
  const out: string[] = [];
  const cursor = tree.walk();
  const visit = (): void => {
    out.push(`${cursor.nodeType}@${cursor.startIndex}-${cursor.endIndex}`);
    if (cursor.gotoFirstChild()) {
      do visit();
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  visit();
  cursor.delete();
  return out.join(' ');
}

describe('incremental parsing', () => {
  let linter: SafetyLinter;
  before(async () => {
    linter = await SafetyLinter.create();
  });

  const WITH_BRACE = 'unsafe extern "C" {\n    fn f();\n}\npub fn g() { unsafe { f() } }\n';
  const at = WITH_BRACE.indexOf('{');
  const WITHOUT_BRACE = WITH_BRACE.slice(0, at) + WITH_BRACE.slice(at + 1);

  for (const [label, before, after] of [
    ['typing the `{` that makes `unsafe extern "C"` a block', WITHOUT_BRACE, WITH_BRACE],
    ['deleting it again', WITH_BRACE, WITHOUT_BRACE],
  ] as const) {
    it(`gives a fresh parse's tree after ${label}`, () => {
      const old = linter.parse(before);
      const inserted = after.length > before.length;
      old.edit({
        startIndex: at,
        oldEndIndex: inserted ? at : at + 1,
        newEndIndex: inserted ? at + 1 : at,
        startPosition: { row: 0, column: at },
        oldEndPosition: { row: 0, column: inserted ? at : at + 1 },
        newEndPosition: { row: 0, column: inserted ? at + 1 : at },
      });
      const incremental = linter.lint(after, old);
      const fresh = linter.lint(after);
      assert.equal(dump(incremental.tree), dump(fresh.tree));
      assert.deepEqual(incremental.findings, fresh.findings);
      for (const tree of [old, incremental.tree, fresh.tree]) tree.delete();
    });
  }
});
