// The SAFETY linter as a user meets it, on the fixture module (test/vscode/fixtures/module): the
// extension activates, the missing-SAFETY diagnostic and the whole-block highlight appear on open and
// after edits, the quick fix inserts the comment, and a severity setting takes effect without a reload.
// The tests run in order and build on each other's edits to the one open document.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../../package.json';
import type { ExtensionApi } from '../../../src/client/extension';
import { takeScreenshot } from './driver';
import type { TestCase } from './harness';
import { diagnosticCode, waitForCodeAction, waitForDiagnostics } from './wait';

const RULE = 'undocumented_unsafe_blocks';
const SEVERITY_SETTING = `lint.severity.${RULE}`;
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

function undocumented(diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnosticCode(diagnostic) === RULE);
}

/** The n-th (0-based) line of the document whose text includes `needle`. */
function lineOf(document: vscode.TextDocument, needle: string, nth = 0): number {
  let seen = 0;
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(needle) && seen++ === nth) return line;
  }
  throw new Error(`no ${nth + 1}. line with ${JSON.stringify(needle)} in ${document.uri.fsPath}`);
}

class Scenario {
  private state: { api: ExtensionApi; editor: vscode.TextEditor } | undefined;

  get api(): ExtensionApi {
    return this.opened().api;
  }
  get editor(): vscode.TextEditor {
    return this.opened().editor;
  }
  get uri(): vscode.Uri {
    return this.editor.document.uri;
  }

  private opened(): { api: ExtensionApi; editor: vscode.TextEditor } {
    if (!this.state) throw new Error('the fixture was not opened (the activation test failed)');
    return this.state;
  }

  async open(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'rust_fixture.rs'));
    assert.equal(document.languageId, 'rust');
    const editor = await vscode.window.showTextDocument(document);
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    // onLanguage:rust has activated it by now, or does so here; activate() returns its API either way.
    const api = await extension.activate();
    assert.ok(extension.isActive);
    assert.ok(api.client.isRunning(), 'the language server is running');
    this.state = { api, editor };
  }
}

export function safetyTests(): TestCase[] {
  const scenario = new Scenario();
  return [
    {
      name: 'activates on a Rust module workspace without error',
      run: () => scenario.open(),
    },
    {
      name: `reports ${RULE} on open, on the unsafe block's line`,
      run: async () => {
        const diagnostics = undocumented(
          await waitForDiagnostics(scenario.uri, (all) => undocumented(all).length === 1, `one ${RULE} diagnostic`),
        );
        const line = lineOf(scenario.editor.document, 'unsafe {');
        assert.equal(diagnostics[0].range.start.line, line);
        assert.equal(diagnostics[0].source, 'rust-for-linux');
        assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);
      },
    },
    {
      name: 'highlights the whole extent of the unsafe block',
      run: async () => {
        const { document } = scenario.editor;
        const start = lineOf(document, 'unsafe {');
        // The block's closing brace: the first line after it indented as the `unsafe` line.
        const indent = document.lineAt(start).firstNonWhitespaceCharacterIndex;
        let end = start + 1;
        while (document.lineAt(end).text !== `${' '.repeat(indent)}}`) end++;
        const ranges = scenario.api.highlighter.rangesFor(scenario.uri);
        assert.equal(ranges.length, 1);
        assert.deepEqual(
          [ranges[0].start.line, ranges[0].start.character, ranges[0].end.line, ranges[0].end.character],
          [start, indent, end, indent + 1],
        );
      },
    },
    {
      name: 'screenshot: the highlighted unsafe block with its hover',
      run: async () => {
        const { editor } = scenario;
        const line = lineOf(editor.document, 'unsafe {');
        const position = new vscode.Position(line, editor.document.lineAt(line).firstNonWhitespaceCharacterIndex + 2);
        editor.selection = new vscode.Selection(position, position);
        editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
        await vscode.commands.executeCommand('editor.action.showHover');
        await takeScreenshot({ name: 'unsafe-block-hover', waitFor: ['.monaco-hover:has-text("SAFETY")'] });
      },
    },
    {
      name: 'reports a second unsafe block added by an edit',
      run: async () => {
        const { document } = scenario.editor;
        const after = lineOf(document, 'impl kernel::Module');
        const edit = new vscode.WorkspaceEdit();
        edit.insert(
          scenario.uri,
          new vscode.Position(after, 0),
          'fn second_byte(bytes: &[u8]) -> u8 {\n    let pointer = bytes.as_ptr();\n    unsafe { *pointer.add(1) }\n}\n\n',
        );
        assert.ok(await vscode.workspace.applyEdit(edit));
        const diagnostics = undocumented(
          await waitForDiagnostics(scenario.uri, (all) => undocumented(all).length === 2, `two ${RULE} diagnostics`),
        );
        const lines = diagnostics.map((diagnostic) => diagnostic.range.start.line).sort((a, b) => a - b);
        assert.deepEqual(lines, [lineOf(document, 'unsafe {'), lineOf(document, 'unsafe {', 1)]);
        assert.equal(scenario.api.highlighter.rangesFor(scenario.uri).length, 2);
      },
    },
    {
      name: 'the quick fix inserts `// SAFETY:` and the diagnostic clears',
      run: async () => {
        const { document } = scenario.editor;
        const line = lineOf(document, 'unsafe {', 1);
        const diagnostic = undocumented(vscode.languages.getDiagnostics(scenario.uri)).find(
          (candidate) => candidate.range.start.line === line,
        );
        assert.ok(diagnostic, `a ${RULE} diagnostic on line ${line + 1}`);
        const fix = await waitForCodeAction(
          scenario.uri,
          diagnostic.range,
          (action) => action.title.includes('SAFETY') && action.edit !== undefined,
          vscode.CodeActionKind.QuickFix,
        );
        assert.ok(fix.edit);
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));

        assert.match(document.lineAt(line).text, /^ {4}\/\/ SAFETY: /);
        assert.ok(
          document
            .lineAt(line + 1)
            .text.trimStart()
            .startsWith('unsafe {'),
        );
        const remaining = undocumented(
          await waitForDiagnostics(scenario.uri, (all) => undocumented(all).length === 1, `the fixed block's ${RULE} cleared`),
        );
        assert.equal(remaining[0].range.start.line, lineOf(document, 'unsafe {'));
      },
    },
    {
      name: `setting ${SEVERITY_SETTING} to off clears it without a reload, and back`,
      run: async () => {
        const settings = vscode.workspace.getConfiguration('rustForLinux');
        await settings.update(SEVERITY_SETTING, 'off', vscode.ConfigurationTarget.Global);
        try {
          await waitForDiagnostics(scenario.uri, (all) => undocumented(all).length === 0, `no ${RULE} once off`);
          assert.equal(scenario.api.highlighter.rangesFor(scenario.uri).length, 0);
        } finally {
          await settings.update(SEVERITY_SETTING, undefined, vscode.ConfigurationTarget.Global);
        }
        await waitForDiagnostics(scenario.uri, (all) => undocumented(all).length === 1, `${RULE} back once reset`);
        assert.equal(scenario.api.highlighter.rangesFor(scenario.uri).length, 1);
      },
    },
  ];
}
