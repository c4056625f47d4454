// The fast path of rfl check without a kernel: kbuild's recorded commands (first lines of real
// `.hello.o.cmd` files that 6.1, 6.12 and 7.2 kbuild wrote for a clippy check, paths renamed) read
// back as argument arrays, turned into crate checks, and what invalidates them. The replay itself
// with the real clippy-driver: test/clippy/replayCheck.test.ts; against real kernels, with the full
// build's diagnostics to compare: test/kernel/check.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseRecordedCommand } from '../../src/core/kbuild/recordedCommand';
import { recipeFingerprint, recipeFromBuild } from '../../src/core/check/checkRecipe';

const RECORDS = path.resolve(__dirname, '..', 'fixtures', 'check', 'kbuild-records');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'rfl-recipe-unit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const record = (kernel: string) => readFileSync(path.join(RECORDS, `linux-${kernel}.cmd`), 'utf8');

/** A module build folder holding `hello.rs` and kbuild's record of its object. */
function buildFolder(name: string, cmdText: string, object = 'hello'): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.dirname(path.join(dir, object)), { recursive: true });
  writeFileSync(path.join(dir, `${object}.rs`), '');
  writeFileSync(path.join(dir, path.dirname(object), `.${path.basename(object)}.o.cmd`), cmdText);
  return dir;
}

describe("kbuild's recorded commands", () => {
  for (const kernel of ['6.1', '6.12', '7.2']) {
    it(`Linux ${kernel}: the compiler's argument array, its environment words, nothing after the ';'`, () => {
      const recorded = parseRecordedCommand(record(kernel));
      assert.ok(recorded);
      assert.match(recorded.argv[0] ?? '', /clippy-driver$/);
      assert.equal(recorded.argv.at(-1), kernel === '7.2' ? 'hello.rs' : '/home/dev/hello/hello.rs');
      assert.ok(recorded.env.RUST_MODFILE);
      // Quotes are the shell's, not part of the argument.
      assert.ok(recorded.argv.some((arg) => /^-Zcrate-attr=feature\([a-z_,]+\)$/.test(arg)));
      assert.ok(!recorded.argv.some((arg) => /objtool|^sed$/.test(arg)));
    });
  }

  it('7.2 names its target relative to the module folder; 6.x gives an absolute one', () => {
    assert.equal(parseRecordedCommand(record('7.2'))?.target, 'hello.o');
    assert.equal(parseRecordedCommand(record('7.2'))?.env.OBJTREE, '/usr/src/linux');
    assert.equal(parseRecordedCommand(record('6.12'))?.target, '/home/dev/hello/hello.o');
  });

  it('refuses what a plain argument array cannot replay: expansions, pipes, backquotes, other lines', () => {
    assert.equal(parseRecordedCommand('cmd_x.o := A=1 rustc $FOO x.rs ; sed'), undefined);
    assert.equal(parseRecordedCommand('cmd_x.o := rustc x.rs | tee log'), undefined);
    assert.equal(parseRecordedCommand('cmd_x.o := rustc `pwd`/x.rs'), undefined);
    assert.equal(parseRecordedCommand('deps_x.o := x.rs'), undefined);
    assert.deepEqual(parseRecordedCommand(`cmd_x.o := rustc "x y.rs"; sed '/^$(pound)/d' x.d`)?.argv, ['rustc', 'x y.rs']);
  });
});

describe('crate checks from a clippy build', () => {
  it("6.12: run from the kernel build folder, without kbuild's --emit and --out-dir", () => {
    const dir = buildFolder('k612', record('6.12'));
    const crates = recipeFromBuild(dir, '/usr/src/linux');
    assert.equal(crates?.length, 1);
    const crate = crates![0]!;
    assert.equal(crate.cwd, '/usr/src/linux');
    assert.equal(crate.source, '/home/dev/hello/hello.rs');
    assert.equal(crate.object, path.join(dir, 'hello.o'));
    assert.ok(crate.args.includes('--error-format=json'));
    assert.ok(!crate.args.some((arg) => arg.startsWith('--emit') || arg.startsWith('--out-dir')));
    assert.ok(!crate.args.includes('/home/dev/hello/'), 'the --out-dir value went with it');
  });

  it('7.2: run from the module folder, the crate root resolved against it', () => {
    const dir = buildFolder('k72', record('7.2'));
    const crate = recipeFromBuild(dir, '/usr/src/linux')?.[0];
    assert.equal(crate?.cwd, dir);
    assert.equal(crate?.source, path.join(dir, 'hello.rs'));
    assert.equal(crate?.env.OBJTREE, '/usr/src/linux');
  });

  it('objects in subfolders are checked too', () => {
    const dir = buildFolder('nested', record('7.2').replace('hello.rs', 'sub/hello.rs'), 'sub/hello');
    assert.equal(recipeFromBuild(dir, '/usr/src/linux')?.[0]?.object, path.join(dir, 'sub', 'hello.o'));
  });

  it('none from a build that was not a clippy check with JSON diagnostics, or without Rust objects', () => {
    const plain = record('6.12').replace('/usr/bin/clippy-driver', '/usr/bin/rustc');
    assert.equal(recipeFromBuild(buildFolder('rustc', plain), '/k'), undefined);
    assert.equal(recipeFromBuild(buildFolder('human', record('6.12').replace('--error-format=json', '')), '/k'), undefined);
    const cOnly = path.join(scratch, 'c-only');
    mkdirSync(cOnly);
    writeFileSync(path.join(cOnly, '.hello.o.cmd'), 'savedcmd_hello.o := gcc -c hello.c');
    writeFileSync(path.join(cOnly, 'hello.c'), '');
    assert.equal(recipeFromBuild(cOnly, '/k'), undefined);
  });

  it("a change to the module's Kbuild or the kernel build invalidates the recipe; a source edit does not", () => {
    const moduleDir = path.join(scratch, 'fingerprint');
    const kdir = path.join(scratch, 'kernel');
    mkdirSync(moduleDir);
    mkdirSync(path.join(kdir, 'rust'), { recursive: true });
    writeFileSync(path.join(moduleDir, 'Kbuild'), 'obj-m := hello.o\n');
    writeFileSync(path.join(moduleDir, 'hello.rs'), '// v1\n');
    writeFileSync(path.join(kdir, 'rust', 'libkernel.rmeta'), 'v1');
    const first = recipeFingerprint(moduleDir, kdir, undefined, { tool: 'x' });
    writeFileSync(path.join(moduleDir, 'hello.rs'), '// v2, longer\n');
    assert.equal(recipeFingerprint(moduleDir, kdir, undefined, { tool: 'x' }), first);
    assert.notEqual(recipeFingerprint(moduleDir, kdir, undefined, { tool: 'y' }), first);
    writeFileSync(path.join(moduleDir, 'Kbuild'), 'obj-m := hello.o other.o\n');
    const kbuildEdited = recipeFingerprint(moduleDir, kdir, undefined, { tool: 'x' });
    assert.notEqual(kbuildEdited, first);
    utimesSync(path.join(kdir, 'rust', 'libkernel.rmeta'), new Date(), new Date(Date.now() + 5000));
    assert.notEqual(recipeFingerprint(moduleDir, kdir, undefined, { tool: 'x' }), kbuildEdited);
  });
});
