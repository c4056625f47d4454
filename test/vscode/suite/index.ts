// The integration suite's entry point (VS Code's extensionTestsPath): loaded in the extension host,
// which calls run() once the workbench is up and ends the test run when its promise settles.
import { authoringTests } from './authoring';
import { checkOnSaveTests } from './checkOnSave';
import { runSuite } from './harness';
import { kunitTests } from './kunit';
import { safetyTests } from './safety';
import { taskTests } from './tasks';

export function run(): Promise<void> {
  return runSuite('Rust for Linux in VS Code', [
    ...safetyTests(),
    ...taskTests(),
    ...authoringTests(),
    ...checkOnSaveTests(),
    ...kunitTests(),
  ]);
}
