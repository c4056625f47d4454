// JSON the toolkit writes and reads back later (the toolchain record of a prepared kernel, the KVM
// failure memory, the tarball index) goes through a schema: a file from another version or cut short
// counts as absent instead of being used. Also the schema messages that name settings and fields.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readJsonFile, schemaProblems, type JsonSchema } from '../../src/core/schema/jsonSchema';
import { readRecordedToolchain, TOOLCHAIN_FILE, writeRecordedToolchain } from '../../src/core/toolchain/toolchain';

const dir = mkdtempSync(path.join(os.tmpdir(), 'rfl-json-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('project-written JSON read back through a schema', () => {
  const schema = { type: 'object', required: ['n'], properties: { n: { type: 'number' } } };

  it('gives the value when it fits, undefined when missing, not JSON or another shape', () => {
    const file = path.join(dir, 'x.json');
    assert.equal(readJsonFile(file, schema), undefined);
    writeFileSync(file, '{"n": 3}');
    assert.deepEqual(readJsonFile(file, schema), { n: 3 });
    writeFileSync(file, '{"n": "3"}');
    assert.equal(readJsonFile(file, schema), undefined);
    writeFileSync(file, '{"n": 3');
    assert.equal(readJsonFile(file, schema), undefined);
  });

  it('reads back the toolchain record it wrote, and ignores one of another shape', () => {
    const kdir = mkdtempSync(path.join(dir, 'kdir-'));
    const toolchain = { llvm: true, rustc: '/opt/rust/bin/rustc', bindgen: 'bindgen-0.71', makeArgs: ['V=1'] };
    writeRecordedToolchain(kdir, toolchain);
    assert.deepEqual(readRecordedToolchain(kdir), toolchain);
    writeFileSync(path.join(kdir, TOOLCHAIN_FILE), JSON.stringify({ llvm: 'yes', makeArgs: [1] }));
    assert.equal(readRecordedToolchain(kdir), undefined);
  });

  it('says what is wrong in words that follow a setting or field name', () => {
    const messages = (value: unknown, property: JsonSchema) => schemaProblems(property, value).map((problem) => problem.message);
    assert.deepEqual(messages(42, { type: 'string' }), ['should be a string, not number 42']);
    assert.deepEqual(messages('hvf', { enum: ['auto', 'kvm', 'tcg'] }), ['should be "auto", "kvm" or "tcg", not "hvf"']);
    assert.deepEqual(messages('a b', { type: 'string', pattern: '^\\S+$', patternErrorMessage: 'one word' }), [
      'wants one word, not "a b"',
    ]);
    assert.deepEqual(messages(0, { type: 'number', exclusiveMinimum: 0 }), ['should be > 0, not number 0']);
    assert.deepEqual(
      schemaProblems({ type: 'array', items: { type: 'string' } }, ['ok', 7]).map((problem) => problem.path),
      [['1']],
    );
  });
});
