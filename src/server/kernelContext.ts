// Which kernel's module API the server follows: rustForLinux.kernelDir (relative to the workspace,
// `~` allowed), else what `rfl` would find (RFL_KDIR, an enclosing kernel tree, the running
// kernel's build folder), else the newest API. Read once per folder and kept until settings change.
import os from 'node:os';
import path from 'node:path';
import { detectKernelApi, type DetectedApi } from '../core/authoring/detectKernelApi';
import { locateKernel } from '../core/kernel/locate';

export class KernelContext {
  private cached: { key: string; detected: DetectedApi } | undefined;

  constructor(private readonly workspaceRoot: string | undefined) {}

  resolveDir(setting: string | undefined): string | undefined {
    const root = this.workspaceRoot ?? process.cwd();
    const expanded = setting?.replace(/^~(?=$|\/)/, os.homedir()).replace('${workspaceFolder}', root);
    return locateKernel(expanded ? path.resolve(root, expanded) : undefined, root)?.kdir;
  }

  private located: { setting: string | undefined; kdir: string | undefined } | undefined;

  api(setting: string | undefined): DetectedApi {
    // Locating walks up the folders; it runs on every edit, so it is done once per setting value.
    if (!this.located || this.located.setting !== setting) this.located = { setting, kdir: this.resolveDir(setting) };
    const kdir = this.located.kdir;
    const key = kdir ?? '';
    if (this.cached?.key !== key) this.cached = { key, detected: detectKernelApi(kdir) };
    return this.cached.detected;
  }
}
