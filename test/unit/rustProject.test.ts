// The rust-project.json fix for rust-analyzer without a kernel: the sysroot crates the kernel's
// generator lists move into `sysroot_project` (rust-analyzer finds primitive methods only there),
// std's vendored hashbrown is read from a library folder laid out like Debian's rust-src, and `rfl
// check` becomes the flycheck of the module's crates. test/kernel/rustAnalyzer.test.ts runs the real rust-analyzer on it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fixRustProject, type RustProject } from '../../src/core/rustAnalyzer/rustProject';
import { kernelSourceTree, procMacrosTakeConfigCfgs } from '../../src/core/rustAnalyzer/procMacroCfg';
import { stdVendoredDependencies } from '../../src/core/rustAnalyzer/stdVendor';
import { sysrootLibrary } from '../../src/core/rustAnalyzer/sysrootProject';

const LIB = '/usr/lib/rustlib/src/rust/library';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'rfl-rust-project-unit-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The shape scripts/generate_rust_analyzer.py (6.12) writes for an out-of-tree module. */
function kernelProject(): RustProject {
  const sysrootCrate = (name: string, deps: { crate: number; name: string }[]) => ({
    display_name: name,
    root_module: `${LIB}/${name}/src/lib.rs`,
    deps,
    edition: '2024',
    is_workspace_member: false,
  });
  return {
    sysroot: '/usr',
    crates: [
      { ...sysrootCrate('core', []), cfg: ['no_fp_fmt_parse'] },
      sysrootCrate('alloc', [{ crate: 0, name: 'core' }]),
      sysrootCrate('std', [
        { crate: 1, name: 'alloc' },
        { crate: 0, name: 'core' },
      ]),
      sysrootCrate('proc_macro', [
        { crate: 0, name: 'core' },
        { crate: 2, name: 'std' },
      ]),
      {
        display_name: 'macros',
        root_module: '/k/rust/macros/lib.rs',
        deps: [
          { crate: 2, name: 'std' },
          { crate: 3, name: 'proc_macro' },
        ],
        is_workspace_member: true,
        is_proc_macro: true,
        proc_macro_dylib_path: '/k/rust/libmacros.so',
      },
      {
        display_name: 'kernel',
        root_module: '/k/rust/kernel/lib.rs',
        deps: [
          { crate: 0, name: 'core' },
          { crate: 4, name: 'macros' },
        ],
        is_workspace_member: true,
        cfg: ['CONFIG_RUST', 'CONFIG_RUSTC_HAS_SPAN_FILE'],
      },
      {
        display_name: 'rust_hello',
        // As 7.2's generator writes it: relative to the project file.
        root_module: 'rust_hello.rs',
        deps: [
          { crate: 0, name: 'core' },
          { crate: 5, name: 'kernel' },
        ],
        is_workspace_member: true,
      },
    ],
  };
}

const HASHBROWN = {
  crate: {
    display_name: 'hashbrown',
    root_module: `${LIB}/vendor/hashbrown-0.16.1/src/lib.rs`,
    edition: '2021',
    cfg: ['feature="rustc-dep-of-std"'],
    is_workspace_member: false as const,
    is_proc_macro: false as const,
  },
  deps: ['core', 'alloc'],
  usedBy: 'std',
};

describe('rust-project.json for rust-analyzer', () => {
  it('moves the sysroot crates into sysroot_project, drops the kernel crates’ edges to them, and keeps theirs', () => {
    const fixed = fixRustProject(kernelProject(), { sysrootDependencies: [HASHBROWN] });
    assert.equal(fixed.sysroot, '/usr');
    assert.equal(fixed.sysroot_src, LIB);
    const sysroot = fixed.sysroot_project?.crates ?? [];
    assert.deepEqual(
      sysroot.map((krate) => [krate.display_name, krate.deps.map((dep) => `${dep.name}=${sysroot[dep.crate]?.display_name}`)]),
      [
        ['core', []],
        ['alloc', ['core=core']],
        ['std', ['alloc=alloc', 'core=core', 'hashbrown=hashbrown']],
        ['proc_macro', ['core=core', 'std=std']],
        ['hashbrown', ['core=core', 'alloc=alloc']],
      ],
    );
    assert.deepEqual(sysroot[0]?.cfg, ['no_fp_fmt_parse']);
    assert.deepEqual(
      fixed.crates.map((krate) => [krate.display_name, krate.deps.map((dep) => `${dep.name}=${fixed.crates[dep.crate]?.display_name}`)]),
      [
        ['macros', []],
        ['kernel', ['macros=macros']],
        ['rust_hello', ['kernel=kernel']],
      ],
    );
    assert.equal(fixed.crates[0]?.proc_macro_dylib_path, '/k/rust/libmacros.so');
  });

  it('leaves a project alone that has a sysroot project already or lists no sysroot core', () => {
    const once = fixRustProject(kernelProject());
    assert.deepEqual(fixRustProject(once), once);
    const noCore = {
      crates: kernelProject()
        .crates.slice(4)
        .map((krate) => ({ ...krate, deps: [] })),
    };
    assert.equal(sysrootLibrary(noCore), undefined);
    assert.deepEqual(fixRustProject(noCore), noCore);
  });

  it('adds rfl check as the flycheck runnable, once, and build information to the module’s crates so that rust-analyzer runs it', () => {
    const flycheck = { program: 'node', args: ['rfl', 'check'], cwd: '/m', buildFile: '/m/Kbuild' };
    const fixed = fixRustProject(kernelProject(), { flycheck });
    assert.deepEqual(fixed.runnables, [{ program: 'node', args: ['rfl', 'check'], cwd: '/m', kind: 'flycheck' }]);
    assert.deepEqual(
      fixed.crates.map((krate) => [krate.display_name, krate.build]),
      [
        ['macros', undefined],
        ['kernel', undefined],
        ['rust_hello', { label: 'rust_hello', build_file: '/m/Kbuild', target_kind: 'lib' }],
      ],
    );
    const again = fixRustProject(fixed, { flycheck: { ...flycheck, args: ['rfl', 'check', '--fresh'] } });
    assert.deepEqual(
      again.runnables?.map((runnable) => runnable.args),
      [['rfl', 'check', '--fresh']],
    );
  });
});

describe("std's vendored dependencies", () => {
  /** A library folder with std's Cargo.toml and, when `vendored`, hashbrown's sources (the manifests trimmed from rustc-web 1.96's). */
  function library(name: string, vendored: boolean): string {
    const dir = path.join(scratch, name);
    mkdirSync(path.join(dir, 'std'), { recursive: true });
    writeFileSync(
      path.join(dir, 'std', 'Cargo.toml'),
      `[dependencies]\nalloc = { path = "../alloc", public = true }\nhashbrown = { version = "0.16.1", default-features = false, features = [\n    'rustc-dep-of-std',\n] }\n`,
    );
    if (vendored) {
      const hashbrown = path.join(dir, 'vendor', 'hashbrown-0.16.1');
      mkdirSync(path.join(hashbrown, 'src'), { recursive: true });
      writeFileSync(path.join(hashbrown, 'src', 'lib.rs'), '#![no_std]\n');
      writeFileSync(
        path.join(hashbrown, 'Cargo.toml'),
        [
          '[package]',
          'edition = "2021"',
          'name = "hashbrown"',
          '',
          '[features]',
          'default = [\n    "default-hasher",\n    "inline-more",\n]',
          'default-hasher = ["dep:foldhash"]',
          'nightly = [\n    "foldhash?/nightly",\n    "bumpalo/allocator_api",\n]',
          'rustc-dep-of-std = [\n    "nightly",\n    "core",\n    "alloc",\n    "rustc-internal-api",\n]',
          'rustc-internal-api = []',
          '',
          '[dependencies.alloc]',
          'optional = true',
          'package = "rustc-std-workspace-alloc"',
          '',
        ].join('\n'),
      );
    }
    return dir;
  }

  it('reads hashbrown’s version from std and its features’ closure from its own manifest', () => {
    const dir = library('vendored', true);
    assert.deepEqual(stdVendoredDependencies(dir), [
      {
        crate: {
          display_name: 'hashbrown',
          root_module: path.join(dir, 'vendor', 'hashbrown-0.16.1', 'src', 'lib.rs'),
          edition: '2021',
          cfg: ['feature="alloc"', 'feature="core"', 'feature="nightly"', 'feature="rustc-dep-of-std"', 'feature="rustc-internal-api"'],
          is_workspace_member: false,
          is_proc_macro: false,
        },
        deps: ['core', 'alloc'],
        usedBy: 'std',
      },
    ]);
  });

  it('gives none when the sources carry no vendored crates', () => {
    assert.deepEqual(stdVendoredDependencies(library('plain', false)), []);
    assert.deepEqual(stdVendoredDependencies(path.join(scratch, 'absent')), []);
  });
});

describe("the kernel's proc macros and the configuration's cfgs", () => {
  /** A source tree whose rust/Makefile has `recipe` as cmd_rustc_procmacro (trimmed from 7.2's and 6.12's). */
  function tree(name: string, recipe: string): string {
    const dir = path.join(scratch, name);
    mkdirSync(path.join(dir, 'rust'), { recursive: true });
    writeFileSync(
      path.join(dir, 'rust', 'Makefile'),
      `quiet_cmd_rustc_procmacro = $(RUSTC_OR_CLIPPY_QUIET) P $@\n      cmd_rustc_procmacro = \\\n${recipe}\n\n# Procedural macros can only be used with the rustc that compiled it.\n$(obj)/libmacros.so: $(src)/macros/lib.rs FORCE\n\t+$(call if_changed_dep,rustc_procmacro) @$(objtree)/include/generated/rustc_cfg\n`,
    );
    return dir;
  }

  it('reads from rust/Makefile whether kbuild compiles proc macros with include/generated/rustc_cfg', () => {
    const with72 = tree(
      '7.2',
      '\t$(RUSTC_OR_CLIPPY) $(rust_common_flags) \\\n\t\t--crate-type proc-macro \\\n\t\t@$(objtree)/include/generated/rustc_cfg $<',
    );
    const with612 = tree(
      '6.12',
      '\t$(RUSTC_OR_CLIPPY) $(rust_common_flags) \\\n\t\t--crate-type proc-macro \\\n\t\t--crate-name $(patsubst lib%.so,%,$(notdir $@)) $<',
    );
    assert.equal(procMacrosTakeConfigCfgs(with72), true);
    assert.equal(procMacrosTakeConfigCfgs(with612), false);
    assert.equal(procMacrosTakeConfigCfgs(path.join(scratch, 'absent')), false);
  });

  it('adds the kernel crate’s cfgs to the proc-macro crates of that tree only', () => {
    const project = kernelProject();
    const srctree = kernelSourceTree(project);
    assert.equal(srctree, '/k');
    const fixed = fixRustProject(project, { procMacroConfigTree: '/k' });
    assert.deepEqual(
      fixed.crates.map((krate) => [krate.display_name, krate.cfg]),
      [
        ['macros', ['CONFIG_RUST', 'CONFIG_RUSTC_HAS_SPAN_FILE']],
        ['kernel', ['CONFIG_RUST', 'CONFIG_RUSTC_HAS_SPAN_FILE']],
        ['rust_hello', undefined],
      ],
    );
    assert.equal(fixRustProject(project).crates.find((krate) => krate.display_name === 'macros')?.cfg, undefined);
  });
});
