// The language server driven by real Neovim, headless, configured with the README's blocks verbatim:
// Neovim 0.12 (Debian unstable, `vim.lsp.config`) and Debian 12's Neovim 0.7 (`vim.lsp.start_client`).
// test/editors/nvim/driver.lua does what a user would (open, wait, pick the quick fix in the menu) and
// writes what Neovim shows; the assertions are in expectations.ts, shared with Emacs.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { editorCommand, type EditorVariable } from './editorsEnv';
import {
  assertFirstDiagnosticsConfigured,
  assertModuleDiagnostics,
  assertQuickFixes,
  assertRuleOff,
  assertSafetyDiagnostics,
  byteColumns,
} from './expectations';
import { editorConfig, type EditorConfigName } from './readmeBlocks';
import { describeRun, editorEnv, runEditor, type EditorRun } from './runEditor';
import { createWorkspace, type Workspace } from './workspace';

const DRIVER = path.join(__dirname, 'nvim', 'driver.lua');

for (const [variable, block] of [
  ['RFL_NVIM_0_12', 'neovim-0.11'],
  ['RFL_NVIM_0_7', 'neovim-0.7'],
] as [EditorVariable, EditorConfigName][]) {
  describe(`Neovim (${variable}) with the README's ${block} block`, () => {
    let workspace: Workspace;
    let run: EditorRun;

    before(async () => {
      const nvim = editorCommand(variable);
      workspace = createWorkspace();
      const init = path.join(workspace.home, 'init.lua');
      writeFileSync(init, editorConfig(block, workspace.kernelDir));
      const resultFile = path.join(workspace.root, 'result.json');
      // -u: the README block is the whole init file; -i NONE: no shada file.
      const args = ['--headless', '-u', init, '-i', 'NONE', '-c', `luafile ${DRIVER}`];
      run = await runEditor(nvim, args, workspace, resultFile, editorEnv(workspace, resultFile));
      console.log(describeRun(run));
    });
    after(() => workspace?.remove());

    it('shows the SAFETY diagnostics on the right line and byte column, also after non-ASCII text', () => {
      assertSafetyDiagnostics(run.result, byteColumns);
    });
    it('applies the SAFETY quick fix picked from the code-action menu', () => {
      assertQuickFixes(run.result);
    });
    it('never shows the rule the configuration turns off', () => {
      assertRuleOff(run.result);
    });
    it("checks module! against the configured kernel's keys", () => {
      assertModuleDiagnostics(run.result, byteColumns);
    });
    it('shows configured diagnostics from the first one on (none replaced after the settings arrive)', () => {
      assertFirstDiagnosticsConfigured(run.result);
    });
  });
}
