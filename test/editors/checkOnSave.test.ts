// Check on save in real Neovim (0.12 and 0.7) and Emacs (eglot), each with the README's blocks: on the
// built 6.12 test kernel, saving a module file with a type error shows the kernel compiler's E0308 on
// its line, and saving the fix clears it. The editor tier's other tests use a fake kernel, which cannot
// build.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { mustRun, testKernel } from '../kernel/support';
import { editorCommand, type EditorVariable } from './editorsEnv';
import { editorConfig, type EditorConfigName } from './readmeBlocks';
import { editorEnv, runEditor, type EditorRun } from './runEditor';
import { createWorkspace, type Workspace } from './workspace';

const NVIM_DRIVER = path.join(__dirname, 'nvim', 'check_driver.lua');
const EMACS_DRIVER = path.join(__dirname, 'emacs', 'check_driver.el');
/** Two checks (a clippy build of the module each) on a busy 2-core machine. */
const RUN_TIMEOUT_MS = 240_000;
/** 0-based line of the type error in CHECK_SOURCE. */
const ERROR_LINE = 16;
const CHECK_SOURCE = `// SPDX-License-Identifier: GPL-2.0
//! A module with a type error for the editors' check-on-save test (Linux 6.12 API).
use kernel::prelude::*;

module! {
    type: CheckTier,
    name: "check_tier",
    author: "rfl tests",
    description: "check on save in the editors",
    license: "GPL",
}

struct CheckTier;

impl kernel::Module for CheckTier {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let count: u32 = "three";
        pr_info!("count {}\\n", count);
        Ok(CheckTier)
    }
}
`;

const lookup = testKernel('6.12');
if ('missing' in lookup) {
  if (mustRun()) it('the 6.12 test kernel is available for check on save in the editors', () => assert.fail(lookup.missing));
  else it('check on save in Neovim and Emacs', { skip: lookup.missing }, () => undefined);
} else {
  const kernel = lookup.kernel;
  /** The module folder with the type error, in a fresh workspace (an empty home for the editor). */
  const prepare = (workspace: Workspace) => {
    const moduleDir = path.join(workspace.root, 'check_tier');
    mkdirSync(moduleDir);
    writeFileSync(path.join(moduleDir, 'Kbuild'), 'obj-m := check_tier.o\n');
    const file = path.join(moduleDir, 'check_tier.rs');
    writeFileSync(file, CHECK_SOURCE);
    const resultFile = path.join(workspace.root, 'result.json');
    const env = editorEnv(workspace, resultFile, {
      RFL_EDITOR_CHECK_FILE: file,
      RFL_EDITOR_CHECK_LINE: String(ERROR_LINE),
      RFL_EDITOR_WAIT_MS: String(RUN_TIMEOUT_MS / 2 - 10_000),
    });
    return { moduleDir, resultFile, env };
  };
  const assertVerdicts = (run: EditorRun) => {
    const check = run.result.check;
    console.log(`${run.result.editor}: rustc's verdict shown ${((check?.shown_after_ms ?? 0) / 1000).toFixed(1)} s after the start`);
    assert.deepEqual(
      check?.shown.map((diagnostic) => [diagnostic.line, diagnostic.code]),
      [[ERROR_LINE, 'E0308']],
    );
    assert.deepEqual(check?.after_fix, []);
  };

  /** One editor's case: a fresh workspace, the editor run as `launch` says, the verdicts asserted. */
  const checkOnSaveCase = (
    title: string,
    launch: (workspace: Workspace, prepared: ReturnType<typeof prepare>) => { command: string; args: string[] },
  ) =>
    describe(title, () => {
      let workspace: Workspace | undefined;
      after(() => workspace?.remove());

      it(
        'a saved type error shows as rustc E0308 on its line, and the saved fix clears it',
        { timeout: RUN_TIMEOUT_MS + 30_000 },
        async () => {
          workspace = createWorkspace();
          const prepared = prepare(workspace);
          const { command, args } = launch(workspace, prepared);
          assertVerdicts(await runEditor(command, args, workspace, prepared.resultFile, prepared.env, RUN_TIMEOUT_MS));
        },
      );
    });

  for (const [variable, block] of [
    ['RFL_NVIM_0_12', 'neovim-0.11'],
    ['RFL_NVIM_0_7', 'neovim-0.7'],
  ] as [EditorVariable, EditorConfigName][]) {
    checkOnSaveCase(`check on save in Neovim (${variable}, the README's ${block} block) on Linux 6.12`, (workspace) => {
      const init = path.join(workspace.home, 'init.lua');
      writeFileSync(init, editorConfig(block, kernel.kdir));
      return { command: editorCommand(variable), args: ['--headless', '-u', init, '-i', 'NONE', '-c', `luafile ${NVIM_DRIVER}`] };
    });
  }

  checkOnSaveCase(
    "check on save in Emacs (eglot) with the README's emacs-init and emacs-dir-locals blocks on Linux 6.12",
    (workspace, { moduleDir }) => {
      const init = path.join(workspace.home, 'init.el');
      writeFileSync(init, editorConfig('emacs-init', kernel.kdir));
      writeFileSync(path.join(moduleDir, '.dir-locals.el'), editorConfig('emacs-dir-locals', kernel.kdir));
      // As emacs.test.ts: activate the installed packages (--batch skips it), then the init file.
      return { command: editorCommand('RFL_EMACS'), args: ['--batch', '-f', 'package-activate-all', '-l', init, '-l', EMACS_DRIVER] };
    },
  );
}
