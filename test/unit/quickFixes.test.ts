// The quick fixes produce code that clippy's placement rules accept: applying each fix and linting
// again leaves no finding of its rule, with the comment indented like the code it documents.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { RuleName } from '../../src/core/safety/rules';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';

let linter: SafetyLinter;

function findings(text: string, rule: RuleName) {
  const outcome = linter.lint(text);
  outcome.tree.delete();
  return outcome.findings.filter((finding) => finding.rule === rule);
}

/** Applies the first fix of the first finding of `rule` and returns the new text. */
function applyFirstFix(text: string, rule: RuleName): string {
  const [finding] = findings(text, rule);
  assert.ok(finding, `no ${rule} finding in:\n${text}`);
  const [fix] = finding.fixes;
  assert.ok(fix, `no fix for ${rule}`);
  const document = TextDocument.create('file:///fix.rs', 'rust', 1, text);
  return TextDocument.applyEdits(document, fix.edits);
}

describe('quick fixes', () => {
  before(async () => {
    linter = await SafetyLinter.create();
  });

  it('puts `// SAFETY:` on its own line above a block on the first line of a function body', () => {
    const fixed = applyFirstFix('fn f(b: &[u8]) -> u8 {\n    unsafe { *b.as_ptr() }\n}\n', 'undocumented_unsafe_blocks');
    assert.equal(fixed, 'fn f(b: &[u8]) -> u8 {\n    // SAFETY: TODO: explain why this is sound.\n    unsafe { *b.as_ptr() }\n}\n');
    assert.deepEqual(findings(fixed, 'undocumented_unsafe_blocks'), []);
  });

  it('breaks the line when the block shares it with the function header', () => {
    const fixed = applyFirstFix('fn f(p: *const u8) -> u8 { unsafe { *p } }\n', 'undocumented_unsafe_blocks');
    assert.deepEqual(findings(fixed, 'undocumented_unsafe_blocks'), []);
    assert.match(fixed, /\n {4}\/\/ SAFETY: TODO/);
  });

  it('documents an unsafe impl', () => {
    const fixed = applyFirstFix('struct S;\nunsafe impl Send for S {}\n', 'undocumented_unsafe_blocks');
    assert.deepEqual(findings(fixed, 'undocumented_unsafe_blocks'), []);
  });

  it('adds a `# Safety` section to existing docs and to undocumented unsafe fns', () => {
    for (const source of ['/// Reads.\npub unsafe fn f() {}\n', 'pub unsafe fn f() {}\n', 'mod m {\n    pub unsafe fn f() {}\n}\n']) {
      const fixed = applyFirstFix(source, 'missing_safety_doc');
      assert.deepEqual(findings(fixed, 'missing_safety_doc'), [], fixed);
    }
  });

  it('removes an unnecessary SAFETY comment with its continuation lines', () => {
    const source = 'fn f() {\n    let a = 1;\n    // SAFETY: nothing unsafe here,\n    // really.\n    let b = 2;\n}\n';
    const fixed = applyFirstFix(source, 'unnecessary_safety_comment');
    assert.equal(fixed, 'fn f() {\n    let a = 1;\n    let b = 2;\n}\n');
  });
});
