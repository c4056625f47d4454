// The kernel compiler's verdict in VS Code, as a user meets it: a module with a type error is saved,
// the language server's check on save (rfl check: the kernel's rustc and clippy with the kernel's
// flags, on the 6.12 workspace kernel) puts rustc's E0308 in Problems on the line, and once the
// error is fixed and saved again the diagnostic goes. The module folder sits inside the workspace's
// own module folder (its root has a Kbuild), which the server is checking too: the nested case that
// once kept this module's verdict out of Problems. When it fails, runTest.ts prints the
// end of the extension's log, where the server says what each check found and how long it took.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Skip, type TestCase } from './harness';
import { extensionApi, workspaceFolder } from './tasks';
import { diagnosticCode, saveDocument, waitForDiagnostics } from './wait';

/** A check builds the module with clippy; on a busy 2-core machine that can take a minute. */
const CHECK_TIMEOUT_MS = 120_000;
const MODULE = 'check_fixture';
/** 0-based line of the type error in the source below. */
const ERROR_LINE = 19;
const ALIAS = 'type Count = u32;';
const SOURCE = `// SPDX-License-Identifier: GPL-2.0
//! A module with a type error for the check-on-save test (Linux 6.12 API).
use kernel::prelude::*;

module! {
    type: CheckFixture,
    name: "check_fixture",
    author: "rfl tests",
    description: "check on save fixture",
    license: "GPL",
}

struct CheckFixture;

// The fix changes this line, not the error's: only a new check can clear the error.
type Count = u32;

impl kernel::Module for CheckFixture {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let count: Count = "three";
        pr_info!("count {}\\n", count);
        Ok(CheckFixture)
    }
}
`;

const fromRustc = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.source === 'rustc');

export function checkOnSaveTests(): TestCase[] {
  return [
    {
      name: 'check on save: a saved type error shows as rustc E0308 in Problems on its line, and goes once fixed',
      timeoutMs: 2 * CHECK_TIMEOUT_MS + 10_000,
      run: async () => {
        const kdir = vscode.workspace.getConfiguration('rustForLinux', workspaceFolder()).get<string>('kernelDir');
        if (!kdir) throw new Skip('no 6.12 test kernel (.ci/test-kernels.sh writes RFL_TEST_KDIR_6_12)');
        const dir = path.join(workspaceFolder().uri.fsPath, MODULE);
        const file = path.join(dir, `${MODULE}.rs`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'Kbuild'), `obj-m := ${MODULE}.o\n`);
        writeFileSync(file, SOURCE);
        const uri = vscode.Uri.file(file);
        await extensionApi();
        try {
          // The workspace's own module opened first, as the earlier tests of the suite do, so the
          // server knows the outer module folder before this one also when the test runs alone.
          await vscode.window.showTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, 'rust_fixture.rs'));
          const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
          // A save, as the user makes it: an edit (a trailing newline), then File > Save.
          await editor.edit((builder) => builder.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
          await saveDocument(editor.document);
          const shown = await waitForDiagnostics(
            uri,
            (diagnostics) => fromRustc(diagnostics).some((diagnostic) => diagnosticCode(diagnostic) === 'E0308'),
            'rustc E0308 after the save',
            CHECK_TIMEOUT_MS,
          );
          const error = fromRustc(shown).find((diagnostic) => diagnosticCode(diagnostic) === 'E0308');
          assert.equal(error?.range.start.line, ERROR_LINE, 'E0308 on the line of the wrong literal');
          assert.equal(error?.severity, vscode.DiagnosticSeverity.Error);
          const code = error?.code;
          assert.ok(typeof code === 'object' && /E0308/.test(code.target.toString()), 'the code links to its explanation');

          // An edit on the error's own line would drop the diagnostic by itself (diagnostics do not
          // outlive edits of their code): the fix is made on another line, so what clears it is the
          // check after the save.
          const alias = editor.document.getText().split('\n').indexOf(ALIAS);
          await editor.edit((builder) => builder.replace(new vscode.Range(alias, 0, alias, ALIAS.length), "type Count = &'static str;"));
          await saveDocument(editor.document);
          await waitForDiagnostics(
            uri,
            (diagnostics) => fromRustc(diagnostics).length === 0,
            'no rustc diagnostic after the fix',
            CHECK_TIMEOUT_MS,
          );
        } finally {
          // Reverted, not saved, and only this editor: no save left pending (an auto save after the
          // folder is gone would create it again, without its Kbuild) and no "save changes?" prompt.
          const open = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === uri.toString());
          if (open) {
            await vscode.window.showTextDocument(open.document);
            await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
          }
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
