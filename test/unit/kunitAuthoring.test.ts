// KUnit authoring: the test-module template only where the kernel has #[kunit_tests], and the code
// action that adds one to a module file (its text then holds a suite the test finder sees).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiForVersion } from '../../src/core/authoring/kernelApi';
import { moduleActions } from '../../src/core/authoring/moduleActions';
import { availableTemplates } from '../../src/core/authoring/templates/registry';
import { findKunitTests } from '../../src/core/kunit/testSource';
import { createRustParser } from '../../src/core/parse/rustParser';
import { LineIndex } from '../../src/core/parse/lineIndex';

const MODULE = `use kernel::prelude::*;

module! {
    type: Demo,
    name: "demo",
    authors: ["me"],
    description: "demo",
    license: "GPL",
}

struct Demo;

impl kernel::Module for Demo {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(Demo)
    }
}
`;

function applyEdit(text: string, edit: { range: { start: { line: number; character: number } }; newText: string }): string {
  const offset = new LineIndex(text).lineStart(edit.range.start.line) + edit.range.start.character;
  return text.slice(0, offset) + edit.newText + text.slice(offset);
}

describe('KUnit authoring', () => {
  it('offers the test-module template from Linux 6.15 on only', () => {
    const ids = (minor: number, major = 6) =>
      availableTemplates(apiForVersion({ version: major, patchlevel: minor })).map((template) => template.id);
    assert.ok(!ids(12).includes('kunit-tests'));
    assert.ok(!ids(14).includes('kunit-tests'));
    assert.ok(ids(15).includes('kunit-tests'));
    assert.ok(ids(2, 7).includes('kunit-tests'));
  });

  it('adds a test module to a module file, once, only on kernels with the macro', async () => {
    const parser = await createRustParser();
    const at = MODULE.indexOf('name: "demo"');
    const actions = (text: string, minor: number) => {
      const tree = parser.parse(text);
      assert.ok(tree);
      return moduleActions({
        root: tree.rootNode,
        text,
        api: apiForVersion({ version: 6, patchlevel: minor }),
        start: at,
        end: at,
        fileName: '/m/demo.rs',
      });
    };
    const add = actions(MODULE, 15).find((fix) => fix.title.startsWith('Add a KUnit test module'));
    assert.ok(add);
    assert.equal(
      actions(MODULE, 12).find((fix) => fix.title.startsWith('Add a KUnit test module')),
      undefined,
    );
    const edited = applyEdit(MODULE, add.edits[0]!);
    const tree = parser.parse(edited);
    assert.ok(tree);
    assert.deepEqual(
      findKunitTests(tree.rootNode).map((suite) => [suite.name, suite.cases.map((one) => one.name)]),
      [['demo_tests', ['sums']]],
    );
    assert.ok(edited.startsWith(MODULE));
    assert.match(edited, /\n}\n\n#\[kunit_tests\(demo_tests\)\]\nmod tests \{\n/);
    assert.equal(
      actions(edited, 15).find((fix) => fix.title.startsWith('Add a KUnit test module')),
      undefined,
    );
    parser.delete();
  });
});
