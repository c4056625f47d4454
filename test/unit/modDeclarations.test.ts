// A file brought into its crate by an out-of-line `mod x;` is linted under that declaration's lint
// levels and cfg, and those of every file above it on the way to the crate root (issue 11, item 4),
// as rustc checks it; inside a configured kernel tree only. Real files in fake trees, the real linter.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lintFile } from '../../src/core/lint/lintFiles';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';
import { kernelCfgFor } from '../../src/core/safety/kernelCfg';
import { TreeSites } from '../../src/core/safety/treeSites';

/** One finding of each clippy rule we check at least: a missing SAFETY comment and a missing `# Safety`. */
const UNSAFE = 'pub unsafe fn g(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n';

/** Writes `files` (path relative to the tree -> text) into a new configured kernel tree. */
function kernelTree(parent: string, name: string, files: Record<string, string>): string {
  const tree = path.join(parent, name);
  const all = { Makefile: '# kernel\n', 'include/generated/rustc_cfg': '--cfg=CONFIG_X\n', ...files };
  for (const [relative, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(tree, relative)), { recursive: true });
    writeFileSync(path.join(tree, relative), text);
  }
  return tree;
}

describe('out-of-line modules in a kernel tree', () => {
  let dir: string;
  let linter: SafetyLinter;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rfl-mod-decl-'));
    linter = await SafetyLinter.create();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const rules = async (file: string) =>
    (await lintFile(linter, file, { kernelCfgs: new Map() })).findings.map((f) => `${f.range.start.line + 1}:${f.rule}`);

  it('carries a crate-level allow down a chain of mod declarations (lib.rs -> a.rs -> a/b.rs)', async () => {
    const tree = kernelTree(dir, 'chain', {
      'rust/k/lib.rs': '#![allow(clippy::undocumented_unsafe_blocks)]\nmod a;\n',
      'rust/k/a.rs': 'mod b;\n',
      'rust/k/a/b.rs': UNSAFE,
      // Not declared by anyone: a crate root of its own, linted as today.
      'rust/k/a/orphan.rs': UNSAFE,
    });
    assert.deepEqual(await rules(path.join(tree, 'rust/k/a/b.rs')), ['1:missing_safety_doc']);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/a/orphan.rs')), ['1:missing_safety_doc', '2:undocumented_unsafe_blocks']);
  });

  it('applies #[allow] on the `mod x;` item, and the file own #![warn] wins over it', async () => {
    const tree = kernelTree(dir, 'allow', {
      'rust/k/lib.rs':
        '#[allow(clippy::undocumented_unsafe_blocks, clippy::missing_safety_doc)]\nmod quiet;\n' +
        '#[allow(clippy::all, clippy::undocumented_unsafe_blocks)]\nmod loud;\n' +
        'mod inner {\n    #[allow(clippy::missing_safety_doc)]\n    mod nested;\n}\n',
      'rust/k/quiet.rs': UNSAFE,
      'rust/k/loud.rs': `#![warn(clippy::undocumented_unsafe_blocks)]\n${UNSAFE}`,
      'rust/k/inner/nested.rs': UNSAFE,
    });
    assert.deepEqual(await rules(path.join(tree, 'rust/k/quiet.rs')), []);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/loud.rs')), ['3:undocumented_unsafe_blocks']);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/inner/nested.rs')), ['2:undocumented_unsafe_blocks']);
  });

  it('gives nothing for a file declared under a false cfg (cfg(test), or one the rustc_cfg leaves out), nor below it', async () => {
    const tree = kernelTree(dir, 'cfg', {
      'rust/k/lib.rs': '#[cfg(test)]\nmod tests;\n#[cfg(not(CONFIG_X))]\nmod off;\n#[cfg(CONFIG_X)]\nmod on;\n',
      'rust/k/tests.rs': `mod deeper;\n${UNSAFE}`,
      'rust/k/tests/deeper.rs': UNSAFE,
      'rust/k/off.rs': UNSAFE,
      'rust/k/on.rs': UNSAFE,
    });
    assert.deepEqual(await rules(path.join(tree, 'rust/k/tests.rs')), []);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/tests/deeper.rs')), []);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/off.rs')), []);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/on.rs')), ['1:missing_safety_doc', '2:undocumented_unsafe_blocks']);
  });

  it('finds x/mod.rs, a mod.rs parent, a non-mod-rs parent and #[path]', async () => {
    const tree = kernelTree(dir, 'layouts', {
      'rust/k/lib.rs': '#![allow(clippy::missing_safety_doc)]\nmod x;\nmod y;\n#[path = "other/z_file.rs"]\nmod z;\n',
      'rust/k/x/mod.rs': `mod child;\n${UNSAFE}`,
      'rust/k/x/child.rs': UNSAFE,
      'rust/k/y.rs': '#[allow(clippy::undocumented_unsafe_blocks)]\nmod child;\n',
      'rust/k/y/child.rs': UNSAFE,
      // Same name as y's child, but y.rs is a module file: its `mod child;` means y/child.rs only.
      'rust/k/child.rs': UNSAFE,
      'rust/k/other/z_file.rs': UNSAFE,
    });
    const only = ['2:undocumented_unsafe_blocks'];
    assert.deepEqual(await rules(path.join(tree, 'rust/k/x/mod.rs')), ['3:undocumented_unsafe_blocks']);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/x/child.rs')), only);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/y/child.rs')), []);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/child.rs')), ['1:missing_safety_doc', ...only]);
    assert.deepEqual(await rules(path.join(tree, 'rust/k/other/z_file.rs')), only);
  });

  it('follows an edit of the declaring file on disk (a long-running server keeps its answers only while files are unchanged)', () => {
    const tree = kernelTree(dir, 'edited', { 'rust/k/lib.rs': 'mod m;\n', 'rust/k/m.rs': UNSAFE });
    const file = path.join(tree, 'rust/k/m.rs');
    // Answers checked against the files at every call (the server's rechecks every 2 s).
    const sites = new TreeSites(tree, kernelCfgFor(file)!, 0);
    assert.deepEqual(sites.verdict(file, linter), {
      compiled: true,
      levels: {},
      chain: [path.join(tree, 'rust/k/lib.rs')],
      clippyRuns: true,
      checkPrivateItems: true,
    });
    const lib = path.join(tree, 'rust/k/lib.rs');
    writeFileSync(lib, '#[cfg(test)]\nmod m;\n');
    // A later mtime, whatever the file system's time resolution.
    utimesSync(lib, new Date(), new Date(Date.now() + 5_000));
    assert.equal(sites.verdict(file, linter)?.compiled, false);
  });

  it('leaves the same files alone outside a configured kernel tree', async () => {
    const plain = path.join(dir, 'plain');
    mkdirSync(plain, { recursive: true });
    writeFileSync(path.join(plain, 'lib.rs'), '#![allow(clippy::undocumented_unsafe_blocks)]\n#[cfg(test)]\nmod tests;\n');
    writeFileSync(path.join(plain, 'tests.rs'), UNSAFE);
    assert.deepEqual(await rules(path.join(plain, 'tests.rs')), ['1:missing_safety_doc', '2:undocumented_unsafe_blocks']);
  });
});
