// Registers the KUnit Test Explorer: a test controller whose tree comes from the source
// (kunitTestController.ts) and whose Run profile builds, boots and loads the module (kunitTestRun.ts).
import * as vscode from 'vscode';
import type { ModuleIndex } from './moduleIndex';
import type { RunGate } from './runGate';
import { KunitTestTree } from './kunitTestController';
import { KunitTestRunner } from './kunitTestRun';

export interface KunitTests {
  tree: KunitTestTree;
  runner: KunitTestRunner;
}

export function registerKunitTests(context: vscode.ExtensionContext, modules: ModuleIndex, gate: RunGate): KunitTests {
  const controller = vscode.tests.createTestController('rustForLinux.kunit', 'KUnit (Rust for Linux)');
  const tree = new KunitTestTree(controller, modules);
  const runner = new KunitTestRunner(tree, gate);
  controller.createRunProfile('Run in QEMU', vscode.TestRunProfileKind.Run, (request, token) => runner.run(request, token), true);
  context.subscriptions.push(controller, tree, runner);
  void tree.scanAll();
  return { tree, runner };
}
