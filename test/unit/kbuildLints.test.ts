// The lint levels a kernel tree's top Makefile puts on the command line (`rust_common_flags`) and
// the crates its rust/Makefile builds without clippy (`skip_clippy`) decide what `make CLIPPY=1`
// reports there, so they decide what `rfl lint` reports (issue 11, item 4). Linux 6.1 enables none
// of the restriction SAFETY lints and builds its vendored `alloc` without clippy; 6.12 enables them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { lintFile } from '../../src/core/lint/lintFiles';
import { SafetyLinter } from '../../src/core/safety/safetyLinter';

const UNSAFE = 'pub unsafe fn g(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n';
const BOTH = ['1:missing_safety_doc', '2:undocumented_unsafe_blocks'];

/** The top Makefile's flags, shaped as in 6.1 and 6.12 (continuation lines, tabs). */
const FLAGS_6_1 =
  'export rust_common_flags := --edition=2021 \\\n\t\t\t    -Dunsafe_op_in_unsafe_fn \\\n\t\t\t    -Dclippy::correctness -Dclippy::style \\\n\t\t\t    -Wclippy::dbg_macro\n';
const FLAGS_6_12 =
  'export rust_common_flags := --edition=2021 \\\n\t\t\t    -Wclippy::all \\\n\t\t\t    -Wclippy::undocumented_unsafe_blocks \\\n\t\t\t    -Wclippy::unnecessary_safety_comment\n';
const RUST_MAKEFILE =
  '$(obj)/alloc.o: private skip_clippy = 1\n$(obj)/alloc.o: $(src)/alloc/lib.rs $(obj)/compiler_builtins.o FORCE\n' +
  '$(obj)/kernel.o: $(src)/kernel/lib.rs $(obj)/alloc.o \\\n    $(obj)/libmacros.so FORCE\n' +
  '$(obj)/$(libderive_name): private skip_clippy = 1\n$(obj)/$(libderive_name): $(src)/derive/lib.rs FORCE\n';

describe('command-line lint levels and crates without clippy in a kernel tree', () => {
  let dir: string;
  let linter: SafetyLinter;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rfl-kbuild-lints-'));
    linter = await SafetyLinter.create();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function tree(name: string, makefile: string): string {
    const root = path.join(dir, name);
    const files: Record<string, string> = {
      Makefile: makefile,
      'include/generated/rustc_cfg': '--cfg=CONFIG_X\n',
      'rust/Makefile': RUST_MAKEFILE,
      'rust/kernel/lib.rs': 'mod a;\nmod loud;\nmod private;\n',
      'rust/kernel/a.rs': UNSAFE,
      'rust/kernel/loud.rs': `#![warn(clippy::undocumented_unsafe_blocks)]\n${UNSAFE}`,
      'rust/alloc/lib.rs': `mod boxed;\n${UNSAFE}`,
      'rust/alloc/boxed.rs': UNSAFE,
      'rust/derive/lib.rs': UNSAFE,
      'rust/kernel/private.rs':
        '/// Reads.\nunsafe fn private(p: *const u8) -> u8 {\n    // SAFETY: The caller passes a readable pointer.\n    unsafe { *p }\n}\n',
      // No rule of rust/Makefile builds it, and no `mod` reaches it.
      'rust/derive/benches/bench.rs': UNSAFE,
    };
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), text);
    }
    return root;
  }

  const rules = async (file: string) =>
    (await lintFile(linter, file, { kernelCfgs: new Map() })).findings.map((f) => `${f.range.start.line + 1}:${f.rule}`);

  it('6.1: only what clippy::style enables; a #![warn] in the file still counts; nothing in alloc', async () => {
    const root = tree('linux-6.1', `# kernel\n${FLAGS_6_1}`);
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/a.rs')), ['1:missing_safety_doc']);
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/loud.rs')), ['2:missing_safety_doc', '3:undocumented_unsafe_blocks']);
    assert.deepEqual(await rules(path.join(root, 'rust/alloc/lib.rs')), []);
    assert.deepEqual(await rules(path.join(root, 'rust/alloc/boxed.rs')), []);
    assert.deepEqual(await rules(path.join(root, 'rust/derive/lib.rs')), []);
  });

  it('a crate root of rust/ that rust/Makefile does not build gives nothing; one it builds, its findings', async () => {
    const root = tree('linux-6.12-benches', `# kernel\n${FLAGS_6_12}`);
    assert.deepEqual(await rules(path.join(root, 'rust/derive/benches/bench.rs')), []);
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/lib.rs')), []);
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/a.rs')), BOTH);
  });

  it('6.12: the SAFETY lints it names are all on, private items too with check-private-items', async () => {
    const root = tree('linux-6.12', `# kernel\n${FLAGS_6_12}`);
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/a.rs')), BOTH);
    // No .clippy.toml (6.1): clippy's doc lints look at exported items only.
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/private.rs')), []);
    writeFileSync(path.join(root, '.clippy.toml'), 'msrv = "1.78.0"\n\ncheck-private-items = true\n');
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/private.rs')), ['2:missing_safety_doc']);
  });

  it('a Makefile without rust_common_flags decides nothing: every rule, every crate', async () => {
    const root = tree('no-flags', '# kernel\n');
    assert.deepEqual(await rules(path.join(root, 'rust/kernel/a.rs')), BOTH);
    assert.deepEqual(await rules(path.join(root, 'rust/alloc/boxed.rs')), BOTH);
    assert.deepEqual(await rules(path.join(root, 'rust/derive/benches/bench.rs')), BOTH);
  });
});
