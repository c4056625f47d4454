// A module folder for the editors to open, a small fake kernel tree for `kernelDir` to point at, and an
// empty home for the editor process, all in one temporary folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Undocumented unsafe blocks, one on a line with non-ASCII text (`ä` is 2 bytes and 1 UTF-16 unit, `→` 3
 * and 1, `🦀` 4 and 2: byte, UTF-16 and code-point columns all differ), and a SAFETY comment whose only
 * finding is the style hint that the README's configurations turn off.
 */
export const SAFETY_SOURCE = `fn read(p: *const u8) -> u8 {
    let v = unsafe { *p };
    v
}

fn first(p: *const u8) -> u8 { let _s = "ä→🦀"; unsafe { *p } }

fn styled(p: *const u8) -> u8 {
    // SAFETY: p is valid
    unsafe { *p }
}
`;

/** The SAFETY fixture after both quick fixes, as the server's fixes define it. */
export const SAFETY_FIXED = `fn read(p: *const u8) -> u8 {
    // SAFETY: TODO: explain why this is sound.
    let v = unsafe { *p };
    v
}

fn first(p: *const u8) -> u8 { let _s = "ä→🦀"; 
    // SAFETY: TODO: explain why this is sound.
    unsafe { *p } }

fn styled(p: *const u8) -> u8 {
    // SAFETY: p is valid
    unsafe { *p }
}
`;

/** A module with 7.x's `authors` key, which the fake kernel's (6.x-style) macro does not know. */
export const MODULE_SOURCE = `use kernel::prelude::*;

module! {
    type: EditorTier,
    name: "editor_tier",
    authors: ["Editor Tier"],
    license: "GPL",
}

struct EditorTier;

impl kernel::Module for EditorTier {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(EditorTier)
    }
}
`;

/** A key no real kernel has: seeing it in a message proves the keys came from the configured tree. */
export const FAKE_KERNEL_KEY = 'editor_tier_key';
const FAKE_KERNEL_KEYS = ['type', 'name', 'author', 'description', 'license', 'alias', FAKE_KERNEL_KEY];

/** A 6.12-style rust/macros/module.rs, reduced to what the server reads from it (the key table). */
function fakeModuleMacro(): string {
  const arms = FAKE_KERNEL_KEYS.map((key) => {
    const parser = key === 'type' ? 'expect_ident' : key === 'alias' ? 'expect_string_array' : 'expect_string';
    return `                "${key}" => info.${key} = ${parser}(it),`;
  });
  return `// Fake kernel for the editor tier: only the module! key table.
impl ModuleInfo {
    fn parse(it: &mut token_stream::IntoIter) -> Self {
        const EXPECTED_KEYS: &[&str] = &[${FAKE_KERNEL_KEYS.map((key) => `"${key}"`).join(', ')}];
        const REQUIRED_KEYS: &[&str] = &["type", "name", "license"];
        loop {
            match key.as_str() {
${arms.join('\n')}
                _ => panic!("Unknown key \\"{key}\\". Valid keys are: {EXPECTED_KEYS:?}."),
            }
        }
    }
}
`;
}

export interface Workspace {
  root: string;
  /** The module folder the editors open (with a Kbuild, the Neovim root marker). */
  moduleDir: string;
  safetyFile: string;
  moduleFile: string;
  kernelDir: string;
  /** HOME and XDG folders of the editor process: no user configuration leaks in. */
  home: string;
  remove(): void;
}

export function createWorkspace(): Workspace {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rfl-editors-'));
  const moduleDir = path.join(root, 'editor_tier');
  const kernelDir = path.join(root, 'linux');
  const home = path.join(root, 'home');
  for (const dir of [moduleDir, path.join(kernelDir, 'rust', 'macros'), home]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(moduleDir, 'Kbuild'), 'obj-m := editor_tier.o\n');
  const safetyFile = path.join(moduleDir, 'safety.rs');
  const moduleFile = path.join(moduleDir, 'editor_tier.rs');
  writeFileSync(safetyFile, SAFETY_SOURCE);
  writeFileSync(moduleFile, MODULE_SOURCE);
  writeFileSync(path.join(kernelDir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\nEXTRAVERSION =\n');
  writeFileSync(path.join(kernelDir, 'rust', 'macros', 'module.rs'), fakeModuleMacro());
  return { root, moduleDir, safetyFile, moduleFile, kernelDir, home, remove: () => rmSync(root, { recursive: true, force: true }) };
}
