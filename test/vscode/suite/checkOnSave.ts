// The kernel compiler's verdict in VS Code, as a user meets it: a module with a type error is saved,
// the language server's check on save (rfl check: the kernel's rustc and clippy with the kernel's
// flags, on the 6.12 workspace kernel) puts rustc's E0308 in Problems on the line, and once the
// error is fixed and saved again the diagnostic goes.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Skip, type TestCase } from './harness';
import { extensionApi, workspaceFolder } from './tasks';
import { diagnosticCode, waitForDiagnostics } from './wait';

/** A check builds the module with clippy; on a busy 2-core machine that can take a minute. */
const CHECK_TIMEOUT_MS = 120_000;
const MODULE = 'check_fixture';
/** 0-based line of the type error in the source below. */
const ERROR_LINE = 16;
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

impl kernel::Module for CheckFixture {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let count: u32 = "three";
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
        const api = await extensionApi();
        // What the server says to the user (a check that cannot run says why): shown with a failure.
        const said: string[] = [];
        const listening = api.client.onNotification('window/showMessage', (params: unknown) => {
          said.push((params as { message: string }).message);
        });
        try {
          const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
          // A save, as the user makes it: an edit (a trailing newline), then File > Save.
          await editor.edit((builder) => builder.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
          assert.ok(await editor.document.save(), 'the document saved');
          const shown = await waitForDiagnostics(
            uri,
            (diagnostics) => fromRustc(diagnostics).some((diagnostic) => diagnosticCode(diagnostic) === 'E0308'),
            'rustc E0308 after the save',
            CHECK_TIMEOUT_MS,
          ).catch((error: unknown) => {
            throw new Error(`${(error as Error).message}; the server said: ${said.join(' | ') || 'nothing'}`);
          });
          const error = fromRustc(shown).find((diagnostic) => diagnosticCode(diagnostic) === 'E0308');
          assert.equal(error?.range.start.line, ERROR_LINE, 'E0308 on the line of the wrong literal');
          assert.equal(error?.severity, vscode.DiagnosticSeverity.Error);
          const code = error?.code;
          assert.ok(typeof code === 'object' && /E0308/.test(code.target.toString()), 'the code links to its explanation');

          const wrong = editor.document.lineAt(ERROR_LINE).text.indexOf('"three"');
          await editor.edit((builder) => builder.replace(new vscode.Range(ERROR_LINE, wrong, ERROR_LINE, wrong + '"three"'.length), '3'));
          assert.ok(await editor.document.save(), 'the fixed document saved');
          await waitForDiagnostics(
            uri,
            (diagnostics) => fromRustc(diagnostics).length === 0,
            'no rustc diagnostic after the fix',
            CHECK_TIMEOUT_MS,
          );
        } finally {
          listening.dispose();
          await vscode.commands.executeCommand('workbench.action.closeAllEditors');
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
