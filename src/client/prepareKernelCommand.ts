// "Rust for Linux: Prepare a Test Kernel…": for users who have no Rust-enabled kernel build. Picks a
// Debian linux-source series (or a source folder or tarball), then runs the same task as
// `rfl kernel prepare` (toolchain from Debian's packages, tinyconfig + Rust, cached) with a
// cancellable progress notification, and offers to use the result for the workspace. Tests and
// keybindings may pass the answers as an argument.
import * as vscode from 'vscode';
import { cacheRoot } from '../core/cache/cachePaths';
import { DEBIAN_KERNEL_SERIES, parseSeries, recipeFor } from '../core/debian/kernelRecipes';
import { prepareTestKernel } from '../core/debian/prepareTestKernel';
import { formatProgress } from '../core/kernel/prepareProgress';

export const PREPARE_KERNEL_COMMAND = 'rustForLinux.prepareKernel';

export interface PrepareKernelArguments {
  /** A Debian series such as `6.12`, or */
  series?: string;
  /** a kernel source folder or tarball. */
  source?: string;
  /** Set rustForLinux.kernelDir for the workspace without asking. */
  useForWorkspace?: boolean;
  /** Another cache than $RFL_CACHE / $XDG_CACHE_HOME's (tests run VS Code with a cache of its own). */
  cacheRoot?: string;
}

type From = { series: string } | { source: string };

async function askSource(): Promise<From | undefined> {
  const items: (vscode.QuickPickItem & { from?: From })[] = DEBIAN_KERNEL_SERIES.map((series) => {
    const recipe = recipeFor(parseSeries(series)!);
    const detail =
      'unsupported' in recipe
        ? recipe.unsupported
        : `${recipe.sourcePackage.name} from Debian ${recipe.sourcePackage.suite}; rustc ${recipe.rust === 'rustc-web' ? '1.96 (rustc-web)' : '1.63'}, ${recipe.llvm ? 'LLVM' : 'GCC'}`;
    return { label: `Linux ${series}`, description: 'Debian source package', detail, from: { series } };
  });
  items.push({ label: 'Kernel source folder or tarball…', description: 'a tree of 6.1, or 6.11 and later' });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Prepare a test kernel',
    placeHolder: 'Which kernel? It is built once (3-10 minutes) and cached.',
  });
  if (!picked) return undefined;
  if (picked.from) return picked.from;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Build this kernel',
  });
  return chosen?.[0] ? { source: chosen[0].fsPath } : undefined;
}

async function useForWorkspace(kdir: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  await vscode.workspace
    .getConfiguration('rustForLinux', folder)
    .update('kernelDir', kdir, folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global);
}

/** Returns the prepared kernel folder, or undefined when cancelled, refused or failed (the user is told why). */
async function prepareKernelCommand(log: vscode.LogOutputChannel, args: PrepareKernelArguments = {}): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage(
      'Rust for Linux: preparing a kernel runs apt-get and make, which an untrusted workspace does not allow. Trust the workspace first.',
    );
    return undefined;
  }
  const from: From | undefined = args.series ? { series: args.series } : args.source ? { source: args.source } : await askSource();
  if (!from) return undefined;
  const title = 'series' in from ? `Preparing Linux ${from.series}` : `Preparing the kernel in ${from.source}`;
  const cache = args.cacheRoot ?? cacheRoot();
  log.info(`${title} (cache ${cache})`);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        try {
          return await prepareTestKernel({
            from,
            cacheRoot: cacheRoot(),
            signal: abort.signal,
            onLine: (line) => log.info(line),
            onProgress: (update) => {
              // withProgress adds up increments; report only the growth since the last update.
              const percent = Math.floor(update.fraction * 100);
              progress.report({ message: formatProgress(update), increment: Math.max(0, percent - reported) });
              reported = Math.max(reported, percent);
            },
          });
        } finally {
          cancel.dispose();
        }
      },
    );
    log.info(`${result.reused ? 'reused' : 'prepared'} Linux ${result.version} in ${result.kdir}`);
    if (args.useForWorkspace) {
      await useForWorkspace(result.kdir);
    } else if (args.series === undefined && args.source === undefined) {
      const use = 'Use for This Workspace';
      const answer = await vscode.window.showInformationMessage(`Linux ${result.version} is ready in ${result.kdir}.`, use);
      if (answer === use) await useForWorkspace(result.kdir);
    }
    return result.kdir;
  } catch (error) {
    const message = (error as Error).message;
    log.error(message);
    void vscode.window
      .showErrorMessage(`Rust for Linux: ${title.toLowerCase()} failed: ${message.split('\n')[0]}`, 'Show Log')
      .then((answer) => {
        if (answer) log.show();
      });
    return undefined;
  }
}

export function registerPrepareKernelCommand(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(PREPARE_KERNEL_COMMAND, (args?: PrepareKernelArguments) => prepareKernelCommand(log, args));
}
