// rust-analyzer without manual steps: when a module folder with a usable (built) kernel is opened,
// and again when its Kbuild changes, write its rust-project.json (core/rustAnalyzer: the kernel's
// generator with `rfl check` as flycheck) and wire it into rust-analyzer's settings
// of that workspace folder only (`linkedProjects`, `check.overrideCommand`). Trusted workspaces only:
// it runs make. Says once what to do when the rust-analyzer extension is absent.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { RUST_PROJECT_FILE } from '../core/kbuild/moduleLink';
import { locateKernel } from '../core/kernel/locate';
import { generateRustProject } from '../core/rustAnalyzer/generate';
import { resolveToolchain } from '../core/toolchain/toolchain';
import type { ModuleIndex, WorkspaceModule } from './moduleIndex';
import { linkedProjectEntry, mergeLinkedProjects } from './rustAnalyzerProject';
import { readBuildLoadSettings } from './settings';
import { settingsSourceFor } from './vscodeSettings';

export const RUST_ANALYZER_EXTENSION = 'rust-lang.rust-analyzer';
const AUTO_SETTING = 'rustAnalyzer.autoConfigure';

/** Whether the project file is missing or older than the module's Kbuild/Makefile. */
function needsProject(moduleDir: string): boolean {
  const project = path.join(moduleDir, RUST_PROJECT_FILE);
  if (!existsSync(project)) return true;
  const written = statSync(project).mtimeMs;
  return ['Kbuild', 'Makefile'].some((name) => {
    const file = path.join(moduleDir, name);
    return existsSync(file) && statSync(file).mtimeMs > written;
  });
}

export function registerRustAnalyzerAuto(context: vscode.ExtensionContext, modules: ModuleIndex, log: vscode.LogOutputChannel): void {
  let queue = Promise.resolve();
  let toldAbsent = false;
  const enabled = (module: WorkspaceModule) =>
    vscode.workspace.isTrusted && vscode.workspace.getConfiguration('rustForLinux', module.folder).get<boolean>(AUTO_SETTING, true);

  const configure = async (module: WorkspaceModule): Promise<void> => {
    const { settings } = readBuildLoadSettings(settingsSourceFor(module.folder), module.folder.uri.fsPath);
    const located = locateKernel(settings.kernelDir, module.dir);
    // A usable kernel: built, with the Rust crates rust-analyzer and the check need.
    if (!located || !existsSync(path.join(settings.buildDir ?? located.kdir, 'rust', 'libkernel.rmeta'))) return;
    // Without the rust-analyzer extension nobody in VS Code reads the project file: say what to
    // install (once) instead of running a kernel make for nothing. `rfl rust-analyzer` writes it for other editors.
    if (!vscode.extensions.getExtension(RUST_ANALYZER_EXTENSION)) {
      if (!toldAbsent) {
        toldAbsent = true;
        void vscode.window.showInformationMessage(
          `Rust for Linux: install the rust-analyzer extension ("${RUST_ANALYZER_EXTENSION}") for ${module.dir}: this extension then writes its rust-project.json and wires in the kernel's rustc and clippy as its check. In other editors, run "rfl rust-analyzer" and set check.overrideCommand to "rfl check --message-format json".`,
        );
      }
      return;
    }
    const toolchain = resolveToolchain(located.kdir, {
      rustc: settings.rustc,
      bindgen: settings.bindgen,
      makeArgs: settings.makeExtraArgs,
    });
    const result = await generateRustProject({
      kdir: located.kdir,
      moduleDir: module.dir,
      toolchain,
      outDir: settings.buildDir,
      rfl: [process.execPath, context.asAbsolutePath(path.join('dist', 'cli.js'))],
    });
    if (!result.file) {
      log.error(
        `rust-analyzer project for ${module.dir}: ${result.build.command} failed (${result.build.outcome}) ${result.build.hint ?? ''}`,
      );
      return;
    }
    log.info(`rust-analyzer project written: ${result.file}`);
    const ra = vscode.workspace.getConfiguration('rust-analyzer', module.folder.uri);
    const entry = linkedProjectEntry(result.file, module.folder.uri.fsPath, true);
    const merged = mergeLinkedProjects(ra.inspect<unknown>('linkedProjects')?.workspaceFolderValue, entry, module.folder.uri.fsPath);
    if (merged) await ra.update('linkedProjects', merged, vscode.ConfigurationTarget.WorkspaceFolder);
    await ra.update('check.overrideCommand', result.checkCommand, vscode.ConfigurationTarget.WorkspaceFolder);
    // Desktop VS Code's execPath is Electron: it runs the CLI as Node only with this variable.
    if (process.versions.electron)
      await ra.update('check.extraEnv', { ELECTRON_RUN_AS_NODE: '1' }, vscode.ConfigurationTarget.WorkspaceFolder);
  };

  const schedule = (module: WorkspaceModule, force: boolean) => {
    if (!enabled(module) || (!force && !needsProject(module.dir))) return;
    queue = queue
      .then(
        () => configure(module),
        () => configure(module),
      )
      .catch((error: unknown) => log.error(`rust-analyzer project for ${module.dir}: ${(error as Error).message}`));
  };

  const scanAll = async () => {
    for (const module of await modules.all()) schedule(module, false);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/Kbuild');
  const onKbuild = async (uri: vscode.Uri) => {
    const module = (await modules.all()).find((candidate) => candidate.dir === path.dirname(uri.fsPath));
    if (module) schedule(module, true);
  };
  context.subscriptions.push(
    watcher,
    watcher.onDidChange((uri) => void onKbuild(uri)),
    watcher.onDidCreate((uri) => void onKbuild(uri)),
    modules.onDidChange(() => void scanAll()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void scanAll()),
  );
  void scanAll();
}
