// The linter against clippy's recorded verdicts (test/fixtures/safety/clippy-record.json), fixture by
// fixture: the same findings on the same lines and columns, without clippy on the machine. The record
// is checked against the live clippy, and refreshed, by the clippy tier (test/clippy/).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';
import { findingKeys, fixtureHash, fixtureNames, ourFindings, readRecord } from '../support/clippyRecord';

const record = readRecord();
const fixtures = fixtureNames();

describe(`SAFETY lints agree with clippy's record (${record.clippy})`, () => {
  let linter: SafetyLinter;
  before(async () => {
    linter = await SafetyLinter.create();
  });

  it('has a record for every fixture and no other', () => {
    assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures`);
    assert.deepEqual(Object.keys(record.fixtures).sort(), fixtures, 'run `npm run clippy:record` after adding or removing a fixture');
  });

  for (const name of fixtures) {
    it(name, async () => {
      const recorded = record.fixtures[name];
      assert.ok(recorded, `${name} is not in the record`);
      assert.equal(
        fixtureHash(name),
        recorded.sha256,
        `${name} changed since clippy's verdict was recorded: run \`npm run clippy:record\``,
      );
      assert.deepEqual(findingKeys(await ourFindings(linter, name)), findingKeys(recorded.findings));
    });
  }
});
