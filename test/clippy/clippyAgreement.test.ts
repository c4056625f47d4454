// The real clippy (Debian's rust-web-clippy, kernel configuration; test/support/clippy.ts), fixture by
// fixture: its findings must be the recorded ones (test/fixtures/safety/clippy-record.json, which the
// fast tier compares the linter with), and the linter must agree with it. With
// RFL_UPDATE_CLIPPY_RECORD=1 (`npm run clippy:record`) the record is written from this clippy first.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';
import { clippyVersion, runClippy } from '../support/clippy';
import {
  findingKeys,
  FIXTURES,
  fixtureHash,
  fixtureNames,
  ourFindings,
  readRecord,
  writeRecord,
  type ClippyRecord,
} from '../support/clippyRecord';

const UPDATE = process.env.RFL_UPDATE_CLIPPY_RECORD === '1';
const fixtures = fixtureNames();

describe('clippy, live, against its record and the linter', () => {
  let linter: SafetyLinter;
  let version: string;
  let record: ClippyRecord;
  const fresh: ClippyRecord = { clippy: '', fixtures: {} };
  before(async () => {
    linter = await SafetyLinter.create();
    version = clippyVersion();
    fresh.clippy = version;
    record = UPDATE ? fresh : readRecord();
  });
  after(() => {
    if (UPDATE && Object.keys(fresh.fixtures).length === fixtures.length) writeRecord(fresh);
  });

  it('the record comes from this clippy', () => {
    assert.equal(record.clippy, version, 'another clippy: check its verdicts, then `npm run clippy:record`');
  });

  for (const name of fixtures) {
    it(name, async () => {
      const live = runClippy(path.join(FIXTURES, name));
      if (UPDATE) fresh.fixtures[name] = { sha256: fixtureHash(name), findings: live };
      assert.deepEqual(
        findingKeys(live),
        findingKeys(record.fixtures[name]?.findings ?? []),
        `clippy's verdict on ${name} is not the recorded one`,
      );
      assert.equal(record.fixtures[name]?.sha256, fixtureHash(name));
      assert.deepEqual(findingKeys(await ourFindings(linter, name)), findingKeys(live));
    });
  }
});
