// The editor-free half of "Compare with Another Module…": which folders get the ready misc-device
// workload, and the refusals (a wrong setting, a missing kernel folder, a run already going), each
// in the terminal with exit status 2 and the gate left free.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { looksLikeMiscDevice, runCompareRequest } from '../../src/client/compareTask';
import { RunGate } from '../../src/client/runGate';
import { cMiscDeviceSource } from '../../src/core/authoring/templates/cTemplates';

const root = mkdtempSync(path.join(os.tmpdir(), 'rfl-compare-task-'));
after(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

describe('compare from the editor', () => {
  it('offers the misc-device workload for C and Rust misc devices only', () => {
    const ctx = { moduleName: 'c_misc', typeName: 'CMisc', author: 'A', description: 'd' };
    assert.equal(looksLikeMiscDevice(folder('c', { 'c_misc.c': cMiscDeviceSource(ctx), Kbuild: 'obj-m := c_misc.o\n' })), true);
    assert.equal(looksLikeMiscDevice(folder('r', { 'r.rs': 'use kernel::miscdevice::MiscDeviceRegistration;\n' })), true);
    assert.equal(looksLikeMiscDevice(folder('plain', { 'p.rs': 'use kernel::prelude::*;\n' })), false);
    assert.equal(looksLikeMiscDevice(path.join(root, 'missing')), false);
  });

  it('refuses with the reason and frees the gate: bad setting, no kernel, a run going', async () => {
    const a = folder('a', { 'a.rs': '' });
    const b = folder('b', { 'b.rs': '' });
    const gate = new RunGate();
    const mustNotRun = () => Promise.reject(new Error('the core must not run'));
    const run = async (settings: Record<string, unknown>, realCore = false) => {
      const lines: string[] = [];
      const outcome = await runCompareRequest({
        aDir: a,
        bDir: b,
        workload: path.join(root, 'w.sh'),
        rounds: 2,
        workspaceFolder: root,
        settings: { get: (key) => settings[key] },
        gate,
        sink: { line: (text: string) => lines.push(text) },
        ...(realCore ? {} : { compare: mustNotRun }),
      });
      return { outcome, text: lines.join('\n') };
    };
    const bad = await run({ 'load.timeoutSeconds': -1 });
    assert.equal(bad.outcome.exitCode, 2);
    assert.match(bad.text, /fix these settings first/);
    const noSetting = await run({});
    assert.match(noSetting.text, /no kernel build folder: set "rustForLinux\.kernelDir"/);
    // The real core, which checks the kernel folder before it builds anything.
    const noKernel = await run({ kernelDir: path.join(root, 'no-kernel') }, true);
    assert.equal(noKernel.outcome.exitCode, 2);
    assert.match(noKernel.text, /rfl: compare failed: the kernel folder .*no-kernel cannot be used/);
    assert.equal(gate.running, undefined);
    const held = gate.tryStart('load x', 'load', a);
    assert.ok(held.ok);
    const busy = await run({ kernelDir: path.join(root, 'no-kernel') });
    assert.match(busy.text, /"load x" is running/);
    held.run.finish({ exitCode: 0, ok: true, summary: '' });
  });
});
