// The language server driven by real Emacs 28 with Debian 12's eglot 1.9 and rust-mode, in batch mode,
// configured with the README's blocks verbatim: the init block loaded as the init file, the settings
// block as the module folder's .dir-locals.el. test/editors/emacs/driver.el does what a user would
// and writes what Emacs shows; the assertions are in expectations.ts, shared with Neovim.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { editorCommand } from './editorsEnv';
import {
  assertFirstDiagnosticsConfigured,
  assertModuleDiagnostics,
  assertQuickFixes,
  assertRuleOff,
  assertSafetyDiagnostics,
  characterColumns,
} from './expectations';
import { editorConfig } from './readmeBlocks';
import { describeRun, editorEnv, runEditor, type EditorRun } from './runEditor';
import { createWorkspace, type Workspace } from './workspace';

const DRIVER = path.join(__dirname, 'emacs', 'driver.el');

describe("Emacs with eglot and the README's emacs-init and emacs-dir-locals blocks", () => {
  let workspace: Workspace;
  let run: EditorRun;

  before(async () => {
    const emacs = editorCommand('RFL_EMACS');
    workspace = createWorkspace();
    const init = path.join(workspace.home, 'init.el');
    writeFileSync(init, editorConfig('emacs-init', workspace.kernelDir));
    writeFileSync(path.join(workspace.moduleDir, '.dir-locals.el'), editorConfig('emacs-dir-locals', workspace.kernelDir));
    const resultFile = path.join(workspace.root, 'result.json');
    // What an interactive start does, in its order: activate the installed packages (Debian's eglot and
    // rust-mode; --batch skips this), then load the init file (--batch loads none by itself).
    const args = ['--batch', '-f', 'package-activate-all', '-l', init, '-l', DRIVER];
    run = await runEditor(emacs, args, workspace, resultFile, editorEnv(workspace, resultFile));
    console.log(describeRun(run));
  });
  after(() => workspace?.remove());

  it('shows the SAFETY diagnostics on the right line and character column, also after non-ASCII text', () => {
    assertSafetyDiagnostics(run.result, characterColumns);
  });
  it('applies the SAFETY quick fix picked from M-x eglot-code-actions', () => {
    assertQuickFixes(run.result);
  });
  it('never shows the rule the configuration turns off', () => {
    assertRuleOff(run.result);
  });
  it("checks module! against the configured kernel's keys", () => {
    assertModuleDiagnostics(run.result, characterColumns);
  });
  it('shows configured diagnostics from the first one on (none replaced after the settings arrive)', () => {
    assertFirstDiagnosticsConfigured(run.result);
  });
  it('shuts the server down cleanly with M-x eglot-shutdown', () => {
    assert.deepEqual(run.result.shutdown, { error: null, alive: false });
  });
});
