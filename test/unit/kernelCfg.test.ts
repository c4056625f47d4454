// Files of a configured kernel tree are linted under its `include/generated/rustc_cfg` (issue 11,
// item 4): code behind a false `#[cfg(...)]`, `#[cfg(test)]` among it, gives no finding, as clippy
// in the kernel build never sees it; the same file outside a kernel tree keeps every finding.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CfgSet } from '../../src/core/safety/kernelCfg';
import { lintFile } from '../../src/core/lint/lintFiles';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';

const SOURCE = `pub fn on(p: *const u8) -> u8 {
    unsafe { *p }
}
#[cfg(test)]
mod tests {
    pub fn t(p: *const u8) -> u8 {
        unsafe { *p }
    }
}
#[cfg(not(CONFIG_X))]
pub fn off(p: *const u8) -> u8 {
    unsafe { *p }
}
#[cfg(all(CONFIG_X, CONFIG_Y = "m"))]
pub fn both(p: *const u8) -> u8 {
    unsafe { *p }
}
#[cfg(any(CONFIG_Z, CONFIG_Y = "y"))]
pub fn neither(p: *const u8) -> u8 {
    unsafe { *p }
}
`;

describe('kernel cfg', () => {
  let dir: string;
  let linter: SafetyLinter;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rfl-kernel-cfg-'));
    linter = await SafetyLinter.create();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('evaluates cfg predicates against rustc_cfg', () => {
    const cfg = new CfgSet('--cfg=CONFIG_X\n--cfg=CONFIG_X="y"\n--cfg=CONFIG_Y="m"\n');
    assert.equal(cfg.evaluate('CONFIG_X'), true);
    assert.equal(cfg.evaluate('test'), false);
    assert.equal(cfg.evaluate('not(any(test, testlib))'), true);
    // Not in rustc_cfg, so unknown: MODULE depends on the object, target_* on rustc's target.
    assert.equal(cfg.evaluate('MODULE'), undefined);
    assert.equal(cfg.evaluate('target_arch = "x86_64"'), undefined);
    assert.equal(cfg.evaluate('CONFIG_Y = "m"'), true);
    assert.equal(cfg.evaluate('CONFIG_Y="y"'), false);
    assert.equal(cfg.evaluate('all(CONFIG_X, not(CONFIG_Z))'), true);
    assert.equal(cfg.evaluate('any()'), false);
    assert.equal(cfg.evaluate('all()'), true);
    assert.equal(cfg.evaluate('CONFIG_X, CONFIG_Y'), undefined);
    assert.equal(cfg.evaluate('not(CONFIG_X, CONFIG_Y)'), undefined);
  });

  it('skips code the kernel configuration leaves out, in a configured tree only', async () => {
    const tree = path.join(dir, 'linux');
    mkdirSync(path.join(tree, 'include', 'generated'), { recursive: true });
    mkdirSync(path.join(tree, 'rust', 'kernel'), { recursive: true });
    writeFileSync(path.join(tree, 'Makefile'), '# kernel\n');
    writeFileSync(path.join(tree, 'include', 'generated', 'rustc_cfg'), '--cfg=CONFIG_X\n--cfg=CONFIG_X="y"\n--cfg=CONFIG_Y="m"\n');
    const inTree = path.join(tree, 'rust', 'kernel', 'a.rs');
    const plain = path.join(dir, 'plain.rs');
    writeFileSync(inTree, SOURCE);
    writeFileSync(plain, SOURCE);
    const lines = async (file: string) =>
      (await lintFile(linter, file, { kernelCfgs: new Map() })).findings.map((f) => f.range.start.line + 1);
    assert.deepEqual(await lines(inTree), [2, 16]);
    assert.deepEqual(await lines(plain), [2, 7, 12, 16, 20]);
  });

  it('checks a file compiled through include! under the lint levels and cfg of the include site', async () => {
    const tree = path.join(dir, 'linux-includes');
    mkdirSync(path.join(tree, 'include', 'generated'), { recursive: true });
    mkdirSync(path.join(tree, 'rust', 'bindings'), { recursive: true });
    writeFileSync(path.join(tree, 'Makefile'), '# kernel\n');
    writeFileSync(path.join(tree, 'include', 'generated', 'rustc_cfg'), '--cfg=CONFIG_X\n');
    writeFileSync(
      path.join(tree, 'rust', 'bindings', 'lib.rs'),
      '#![allow(clippy::all)]\n' +
        '#[allow(clippy::undocumented_unsafe_blocks)]\nmod bindings_raw {\n    include!(concat!(env!("OBJTREE"), "/rust/bindings/generated.rs"));\n}\n' +
        'mod helpers {\n    include!("helpers.rs");\n}\n' +
        '#[cfg(not(CONFIG_X))]\nmod off {\n    include!("off.rs");\n}\n',
    );
    const generated = 'pub unsafe fn g(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n';
    for (const name of ['generated.rs', 'helpers.rs', 'off.rs', 'alone.rs'])
      writeFileSync(path.join(tree, 'rust', 'bindings', name), generated);
    const rules = async (name: string) =>
      (await lintFile(linter, path.join(tree, 'rust', 'bindings', name), { kernelCfgs: new Map() })).findings.map((f) => f.rule);
    // Both lints allowed at the site (missing_safety_doc through clippy::all): nothing to report.
    assert.deepEqual(await rules('generated.rs'), []);
    // Only clippy::all at the site: the unsafe block is still reported.
    assert.deepEqual(await rules('helpers.rs'), ['undocumented_unsafe_blocks']);
    // Included under a false cfg: never compiled.
    assert.deepEqual(await rules('off.rs'), []);
    // Included nowhere: linted as a plain file.
    assert.deepEqual(await rules('alone.rs'), ['missing_safety_doc', 'undocumented_unsafe_blocks']);
    // What the build never lints is skipped before the size limit (the real bindings are megabytes).
    const small = { kernelCfgs: new Map(), maxFileBytes: 16 };
    const skipped = await lintFile(linter, path.join(tree, 'rust', 'bindings', 'generated.rs'), small);
    assert.deepEqual([skipped.findings, skipped.error], [[], undefined]);
    assert.match((await lintFile(linter, path.join(tree, 'rust', 'bindings', 'alone.rs'), small)).error ?? '', /lint limit/);
  });
});
