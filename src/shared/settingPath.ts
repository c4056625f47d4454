// How a setting that names a folder or file becomes an absolute path; the VS Code client's settings
// and the language server read `rustForLinux.kernelDir` the same way.
import os from 'node:os';
import path from 'node:path';

/** `~/x`, `${workspaceFolder}/x`, `x` (relative to baseDir) or `/x` → an absolute path. */
export function resolveSettingPath(value: string, baseDir: string, home: string = os.homedir()): string {
  let text = value.replace(/\$\{workspaceFolder\}/g, baseDir).replace(/\$\{userHome\}/g, home);
  if (text === '~' || text.startsWith('~/')) text = path.join(home, text.slice(1));
  return path.resolve(baseDir, text);
}
