// Which kernel's module API the server follows: rustForLinux.kernelDir (resolved like the client's
// settings: relative to the workspace, `~` and `${workspaceFolder}` allowed), else what `rfl` would
// find (RFL_KDIR, an enclosing kernel tree, the running kernel's build folder), else the newest API.
// Located and read once per setting value: this runs on every edit.
import { detectKernelApi, type DetectedApi } from '../core/authoring/detectKernelApi';
import { locateKernel } from '../core/kernel/locate';
import { resolveSettingPath } from '../shared/settingPath';

export class KernelContext {
  private cached: { setting: string | undefined; detected: DetectedApi } | undefined;

  constructor(private readonly workspaceRoot: string | undefined) {}

  api(setting: string | undefined): DetectedApi {
    if (!this.cached || this.cached.setting !== setting) {
      const root = this.workspaceRoot ?? process.cwd();
      const kdir = locateKernel(setting ? resolveSettingPath(setting, root) : undefined, root)?.kdir;
      this.cached = { setting, detected: detectKernelApi(kdir) };
    }
    return this.cached.detected;
  }
}
