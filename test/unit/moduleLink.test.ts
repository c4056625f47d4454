// Module folders kbuild cannot take (spaces, shell metacharacters) are built through a staging
// folder with a plain real path holding one link per source entry (6.13+ kbuild resolves a single
// symlink given as M= back to the odd path): the folder's upkeep, copying the results back, and a
// whole buildModule run with a stand-in make that checks what kbuild would be given.
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildModule } from '../../src/core/kbuild/build';
import {
  copyBackModules,
  copyBackRustProject,
  isPlainPath,
  kbuildModulePath,
  stagedModuleObjects,
  unstagePath,
} from '../../src/core/kbuild/moduleLink';

const ODD_NAME = `odd dir $(touch pwned) 'q' "d" ;&|`;
const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function scratch() {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'rfl-link-')));
  roots.push(root);
  const linkRoot = path.join(root, 'cache', 'module-links');
  const moduleDir = path.join(root, ODD_NAME);
  mkdirSync(moduleDir);
  writeFileSync(path.join(moduleDir, 'Kbuild'), 'obj-m := hello.o\n');
  writeFileSync(path.join(moduleDir, 'hello.rs'), '// hello\n');
  return { root, linkRoot, moduleDir };
}

const linksIn = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((name) => lstatSync(path.join(dir, name)).isSymbolicLink())
      .sort()
      .map((name) => [name, readlinkSync(path.join(dir, name))]),
  );

describe('kbuildModulePath', () => {
  it('passes a plain module folder as it is', () => {
    const { root, linkRoot } = scratch();
    const plain = path.join(root, 'plain_module-1.0');
    mkdirSync(plain);
    assert.equal(kbuildModulePath(plain, linkRoot), plain);
    assert.equal(existsSync(linkRoot), false);
  });

  it('stages an odd folder in a real folder with a plain path, one link per source entry', () => {
    const { linkRoot, moduleDir } = scratch();
    mkdirSync(path.join(moduleDir, 'sub'));
    // Outputs of earlier builds and hidden files stay out: a linked stale .o would look up to date.
    for (const name of [
      'hello.o',
      'hello.ko',
      'hello.mod',
      'hello.mod.c',
      '.hello.o.cmd',
      'Module.symvers',
      'modules.order',
      'rust-project.json',
      '.git',
    ]) {
      writeFileSync(path.join(moduleDir, name), '');
    }
    const staging = kbuildModulePath(moduleDir, linkRoot);
    assert.notEqual(staging, moduleDir);
    assert.ok(isPlainPath(staging), staging);
    assert.equal(realpathSync(staging), staging);
    assert.equal(lstatSync(staging).isDirectory(), true);
    assert.deepEqual(linksIn(staging), {
      Kbuild: path.join(moduleDir, 'Kbuild'),
      'hello.rs': path.join(moduleDir, 'hello.rs'),
      sub: path.join(moduleDir, 'sub'),
    });
    assert.equal(readFileSync(path.join(staging, 'hello.rs'), 'utf8'), '// hello\n');
    // Stable per folder, so incremental builds keep working.
    assert.equal(kbuildModulePath(moduleDir, linkRoot), staging);
  });

  it('stages a plain path whose real path is odd (6.13+ kbuild resolves M=)', () => {
    const { root, linkRoot, moduleDir } = scratch();
    const plainLink = path.join(root, 'plain-link');
    symlinkSync(moduleDir, plainLink);
    const staging = kbuildModulePath(plainLink, linkRoot);
    assert.notEqual(staging, plainLink);
    assert.ok(isPlainPath(realpathSync(staging)));
  });

  it('follows the module folder: new sources linked, removed ones dropped, outputs kept', () => {
    const { linkRoot, moduleDir } = scratch();
    const staging = kbuildModulePath(moduleDir, linkRoot);
    writeFileSync(path.join(staging, 'hello.ko'), 'built');
    writeFileSync(path.join(staging, 'extra.h'), 'old output in the way of a new source');
    writeFileSync(path.join(moduleDir, 'extra.h'), '');
    writeFileSync(path.join(moduleDir, 'more.rs'), '');
    rmSync(path.join(moduleDir, 'hello.rs'));
    kbuildModulePath(moduleDir, linkRoot);
    assert.deepEqual(Object.keys(linksIn(staging)), ['Kbuild', 'extra.h', 'more.rs']);
    assert.equal(readFileSync(path.join(staging, 'hello.ko'), 'utf8'), 'built');
  });

  it('replaces the single symlink older versions made, without touching the module folder', () => {
    const { linkRoot, moduleDir } = scratch();
    const staging = kbuildModulePath(moduleDir, linkRoot);
    rmSync(staging, { recursive: true });
    symlinkSync(moduleDir, staging);
    assert.equal(kbuildModulePath(moduleDir, linkRoot), staging);
    assert.equal(lstatSync(staging).isDirectory(), true);
    assert.deepEqual(readdirSync(moduleDir).sort(), ['Kbuild', 'hello.rs']);
  });

  it('removes the staging folders of module folders that are gone, and only their links', () => {
    const first = scratch();
    const { moduleDir } = first;
    const linkRoot = first.linkRoot;
    mkdirSync(path.join(moduleDir, 'sub'));
    writeFileSync(path.join(moduleDir, 'sub', 'keep.rs'), 'keep');
    const staging = kbuildModulePath(moduleDir, linkRoot);
    const gone = path.join(path.dirname(moduleDir), 'gone dir');
    mkdirSync(gone);
    const goneStaging = kbuildModulePath(gone, linkRoot);
    rmSync(gone, { recursive: true });
    // A new staging folder prunes the stale ones.
    const other = path.join(path.dirname(moduleDir), 'other dir');
    mkdirSync(other);
    kbuildModulePath(other, linkRoot);
    assert.equal(existsSync(goneStaging), false);
    assert.equal(existsSync(staging), true);
    // Reset of a staging folder (here: its marker names another folder) removes links, not targets.
    writeFileSync(path.join(staging, '.rfl-module-dir'), JSON.stringify('/elsewhere'));
    kbuildModulePath(moduleDir, linkRoot);
    assert.equal(readFileSync(path.join(moduleDir, 'sub', 'keep.rs'), 'utf8'), 'keep');
    assert.equal(readFileSync(path.join(staging, 'sub', 'keep.rs'), 'utf8'), 'keep');
  });

  it('refuses a link folder whose real path kbuild cannot take', () => {
    const { root, moduleDir } = scratch();
    assert.throws(() => kbuildModulePath(moduleDir, path.join(root, 'my cache', 'module-links')), /XDG_CACHE_HOME/);
  });
});

describe('copying results back', () => {
  it('reads modules.order as 7.2, 6.12 and 6.1 write it, top-level modules only', () => {
    const { linkRoot, moduleDir } = scratch();
    const staging = kbuildModulePath(moduleDir, linkRoot);
    for (const name of ['a.ko', 'b.ko', 'c.ko', 'stale.ko']) writeFileSync(path.join(staging, name), name);
    writeFileSync(path.join(staging, 'modules.order'), `a.o\n${staging}/b.o\n${staging}/c.ko\nsub/d.o\nmissing.o\n`);
    assert.deepEqual(
      stagedModuleObjects(staging),
      ['a.ko', 'b.ko', 'c.ko'].map((name) => path.join(staging, name)),
    );
  });

  it('copies the built .ko into the module folder, leaving an unchanged copy alone', () => {
    const { linkRoot, moduleDir } = scratch();
    const staging = kbuildModulePath(moduleDir, linkRoot);
    writeFileSync(path.join(staging, 'hello.ko'), 'first');
    writeFileSync(path.join(staging, 'modules.order'), 'hello.o\n');
    const copy = path.join(moduleDir, 'hello.ko');
    assert.deepEqual(copyBackModules(staging, moduleDir), [copy]);
    assert.equal(readFileSync(copy, 'utf8'), 'first');
    const before = new Date(2001, 1, 1);
    utimesSync(copy, before, before);
    copyBackModules(staging, moduleDir);
    assert.equal(statSync(copy).mtime.getTime(), before.getTime(), 'an unchanged module is not copied again');
    writeFileSync(path.join(staging, 'hello.ko'), 'second');
    copyBackModules(staging, moduleDir);
    assert.equal(readFileSync(copy, 'utf8'), 'second');
    assert.deepEqual(
      readdirSync(moduleDir).filter((name) => name.includes('rfl-tmp')),
      [],
    );
  });

  it('rewrites staging paths in rust-project.json to the real ones', () => {
    const { linkRoot, moduleDir } = scratch();
    const staging = kbuildModulePath(moduleDir, linkRoot);
    const project = {
      crates: [
        { display_name: 'kernel', root_module: '/k/rust/kernel/lib.rs' },
        { display_name: 'hello', root_module: `${staging}/hello.rs`, source: { include_dirs: [staging] } },
        { display_name: 'relative', root_module: 'hello.rs' },
      ],
    };
    writeFileSync(path.join(staging, 'rust-project.json'), JSON.stringify(project));
    copyBackRustProject(staging, moduleDir);
    const copied = JSON.parse(readFileSync(path.join(moduleDir, 'rust-project.json'), 'utf8')) as typeof project;
    assert.deepEqual(
      copied.crates.map((crate) => crate.root_module),
      ['/k/rust/kernel/lib.rs', path.join(moduleDir, 'hello.rs'), 'hello.rs'],
    );
    assert.deepEqual(copied.crates[1]?.source?.include_dirs, [moduleDir]);
    assert.equal(unstagePath(`${staging}-other/x.rs`, staging, moduleDir), `${staging}-other/x.rs`);
  });
});

/**
 * A stand-in for make: checks that M= is a plain real folder (what 6.13+ kbuild would put in shell
 * recipes), then acts like kbuild on 6.12 (absolute paths) for `modules` and `rust-analyzer`.
 */
const FAKE_MAKE = `
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const m = args.find((arg) => arg.startsWith('M=')).slice(2);
if (!/^[A-Za-z0-9_./+,@-]+$/.test(m) || fs.realpathSync(m) !== m) { console.error('odd M=' + m); process.exit(2); }
const target = args[args.length - 1];
if (target === 'rust-analyzer') {
  fs.writeFileSync(path.join(m, 'rust-project.json'), JSON.stringify({ crates: [{ root_module: path.join(m, 'hello.rs') }] }));
  process.exit(0);
}
const source = fs.readFileSync(path.join(m, 'hello.rs'), 'utf8');
if (source.includes('BROKEN')) {
  console.error('error[E0308]: mismatched types');
  console.error('  --> ' + path.join(m, 'hello.rs') + ':2:5');
  process.exit(2);
}
fs.writeFileSync(path.join(m, 'hello.o'), source);
fs.writeFileSync(path.join(m, 'hello.ko'), 'module from ' + source);
fs.writeFileSync(path.join(m, 'modules.order'), path.join(m, 'hello.o') + '\\n');
`;

describe('buildModule on an odd folder', () => {
  const setup = () => {
    const { root, moduleDir } = scratch();
    process.env.RFL_CACHE = path.join(root, 'cache');
    const make = path.join(root, 'fake-make');
    writeFileSync(make, `#!${process.execPath}\n${FAKE_MAKE}`);
    chmodSync(make, 0o755);
    // buildModule refuses a kernel folder without a top Makefile before it runs make.
    mkdirSync(path.join(root, 'linux'));
    writeFileSync(path.join(root, 'linux', 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\n');
    const options = { kdir: path.join(root, 'linux'), moduleDir, toolchain: { llvm: true, makeArgs: [] }, make };
    return { root, moduleDir, options };
  };

  it('builds in the staging folder and copies the module back', async () => {
    const { root, moduleDir, options } = setup();
    const result = await buildModule(options);
    assert.equal(result.ok, true, `${result.outcome} ${result.hint ?? ''}`);
    assert.deepEqual(result.modules, [path.join(moduleDir, 'hello.ko')]);
    assert.equal(readFileSync(path.join(moduleDir, 'hello.ko'), 'utf8'), 'module from // hello\n');
    assert.equal(existsSync(path.join(moduleDir, 'hello.o')), false, 'other outputs stay in the staging folder');
    assert.match(result.command, /M=\S+module-links\//);
    assert.equal(existsSync(path.join(root, 'pwned')), false);
  });

  it('puts compile errors on the real file', async () => {
    const { moduleDir, options } = setup();
    writeFileSync(path.join(moduleDir, 'hello.rs'), '// hello\nBROKEN\n');
    const lines: string[] = [];
    const result = await buildModule({ ...options, onLine: (line) => lines.push(line) });
    assert.equal(result.ok, false);
    assert.equal(result.diagnostics[0]?.file, path.join(moduleDir, 'hello.rs'));
    assert.ok(lines.includes(`  --> ${path.join(moduleDir, 'hello.rs')}:2:5`), lines.join('\n'));
    assert.equal(existsSync(path.join(moduleDir, 'hello.ko')), false);
  });

  it('writes rust-project.json into the module folder with real paths', async () => {
    const { moduleDir, options } = setup();
    const result = await buildModule({ ...options, target: 'rust-analyzer' });
    assert.equal(result.ok, true, result.outcome);
    const project = JSON.parse(readFileSync(path.join(moduleDir, 'rust-project.json'), 'utf8')) as { crates: { root_module: string }[] };
    assert.equal(project.crates[0]?.root_module, path.join(moduleDir, 'hello.rs'));
  });
});
