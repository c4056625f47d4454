// The KUnit Test Explorer as a user meets it: a module with `#[kunit_tests]` appears in the test tree
// (found from the source), "Run Test at Cursor" on the failing `#[test]` builds, boots the 7.2 test
// kernel (RFL_TEST_KDIR_7_2, passed by runTest.ts) and loads the module, and the failure message is
// placed on the assertion's line. Waits on the extension's own events (tree rebuilt, run ended).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/client/extension';
import type { KunitRunEnd } from '../../../src/client/kunitTestRun';
import { takeScreenshot } from './driver';
import { Skip, type TestCase } from './harness';
import { extensionApi, workspaceFolder } from './tasks';

const RUN_TIMEOUT_MS = 240_000;
const MODULE = 'kunit_fixture';
/** 1-based line of `assert_eq!(add(2, 2), 5);` in the source below. */
const ASSERTION_LINE = 27;
const SOURCE = `// SPDX-License-Identifier: GPL-2.0
//! A module with KUnit tests for the Test Explorer suite.
use kernel::prelude::*;

module! {
    type: KunitFixture,
    name: "kunit_fixture",
    authors: ["rfl tests"],
    description: "Test Explorer fixture",
    license: "GPL",
}

struct KunitFixture;

impl kernel::Module for KunitFixture {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        Ok(KunitFixture)
    }
}

#[kunit_tests(fixture_suite)]
mod tests {
    fn add(a: u32, b: u32) -> u32 { a + b }

    #[test]
    fn adds_wrong() {
        assert_eq!(add(2, 2), 5);
    }

    #[test]
    fn adds() {
        assert_eq!(add(2, 2), 4);
    }
}
`;

export function waitFor<T>(
  subscribe: (listener: (value: T) => void) => vscode.Disposable,
  accept: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${what}: nothing within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = subscribe((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

function findItem(collection: vscode.TestItemCollection, id: string): vscode.TestItem | undefined {
  let found: vscode.TestItem | undefined;
  collection.forEach((item) => {
    found ??= item.id === id ? item : findItem(item.children, id);
  });
  return found;
}

/** Writes the KUnit fixture module into the workspace and resolves once the test tree lists it. */
export async function addKunitFixture(api: ExtensionApi): Promise<{ dir: string; file: string; caseId: string }> {
  const dir = path.join(workspaceFolder().uri.fsPath, MODULE);
  const file = path.join(dir, `${MODULE}.rs`);
  const caseId = `case:${dir}:fixture_suite.adds_wrong`;
  const rebuilt = waitFor(
    (listener) => api.kunit.tree.onDidChange(listener),
    () => findItem(api.kunit.tree.controller.items, caseId) !== undefined,
    60_000,
    'the test tree',
  );
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Kbuild'), `obj-m := ${MODULE}.o\n`);
  writeFileSync(file, SOURCE);
  // As a user would: the new file is opened (the tree also reads open documents as they change).
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  await rebuilt;
  return { dir, file, caseId };
}

export function findKunitItem(api: ExtensionApi, id: string): vscode.TestItem | undefined {
  return findItem(api.kunit.tree.controller.items, id);
}

export function kunitTests(): TestCase[] {
  let api: ExtensionApi;
  let dir: string;
  let file: string;
  const caseId = () => `case:${dir}:fixture_suite.adds_wrong`;
  return [
    {
      name: 'KUnit: a module with #[kunit_tests] appears in the Test Explorer with its cases at their lines',
      // Up to addKunitFixture's own wait for the tree (a busy extension host can take a while).
      timeoutMs: 70_000,
      run: async () => {
        api = await extensionApi();
        ({ dir, file } = await addKunitFixture(api));
        const item = findItem(api.kunit.tree.controller.items, caseId());
        assert.equal(item?.range?.start.line, ASSERTION_LINE - 2, 'the case starts at its fn line');
        assert.equal(item?.parent?.label, 'fixture_suite');
      },
    },
    {
      name: 'KUnit: Run Test at Cursor on a failing test puts the message on the assertion line',
      timeoutMs: RUN_TIMEOUT_MS + 10_000,
      run: async () => {
        const kdir = process.env.RFL_TEST_KDIR_7_2;
        if (!kdir) throw new Skip('no 7.2 test kernel (RFL_TEST_KDIR_7_2): run .ci/test-kernels.sh');
        const settings = vscode.workspace.getConfiguration('rustForLinux');
        const previous = settings.inspect<string>('kernelDir')?.workspaceValue;
        await settings.update('kernelDir', kdir, vscode.ConfigurationTarget.Workspace);
        try {
          const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
          const inTest = new vscode.Position(ASSERTION_LINE - 1, 8);
          editor.selection = new vscode.Selection(inTest, inTest);
          const ended = waitFor<KunitRunEnd>(
            (listener) => api.kunit.runner.onDidEndRun(listener),
            () => true,
            RUN_TIMEOUT_MS,
            'the test run',
          );
          await vscode.commands.executeCommand('testing.runAtCursor');
          const end = await ended;
          assert.equal(end.error, undefined, end.error);
          const mark = end.marks.find((one) => one.id === caseId());
          assert.equal(mark?.state, 'failed', JSON.stringify(end.marks));
          assert.equal(end.marks.length, 1, 'only the case at the cursor ran');
          assert.equal(mark?.location?.line, ASSERTION_LINE - 1);
          assert.equal(path.basename(mark?.location?.file ?? ''), `${MODULE}.rs`);
          assert.match(mark?.message ?? '', /ASSERTION FAILED at \S+:27\nExpected add\(2, 2\) == 5 to be true, but is false/);
          // The picture for the README: the Testing view's tree beside the failure shown at its line.
          await vscode.commands.executeCommand('workbench.view.testing.focus');
          const shown = await vscode.window.showTextDocument(vscode.Uri.file(file));
          shown.revealRange(new vscode.Range(ASSERTION_LINE - 1, 0, ASSERTION_LINE - 1, 0), vscode.TextEditorRevealType.InCenter);
          await takeScreenshot({ name: 'kunit-test-explorer', waitFor: ['.monaco-editor'] }).catch((error: unknown) => {
            if (!(error instanceof Skip)) throw error;
          });
        } finally {
          await settings.update('kernelDir', previous, vscode.ConfigurationTarget.Workspace);
          rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ];
}
