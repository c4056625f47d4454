// Where .ci/editors-setup.sh put the editors: its env file (RFL_EDITORS_ENV, else the cache's), or the
// variables themselves when the caller exported them.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type EditorVariable = 'RFL_NVIM_0_12' | 'RFL_NVIM_0_7' | 'RFL_EMACS';

function envFile(): string {
  const cache = process.env.RFL_CACHE ?? path.join(os.homedir(), '.cache', 'rust-for-linux');
  return process.env.RFL_EDITORS_ENV ?? path.join(cache, 'editors', 'env');
}

/** The editor's command; a clear error when the set-up has not run. */
export function editorCommand(variable: EditorVariable): string {
  let value = process.env[variable];
  const file = envFile();
  if (!value && existsSync(file)) {
    value = new RegExp(`^export ${variable}='([^']*)'$`, 'm').exec(readFileSync(file, 'utf8'))?.[1];
  }
  if (!value || !existsSync(value)) {
    throw new Error(
      `${variable} is ${value ? `${value}, which does not exist` : `not set and not in ${file}`}: run .ci/editors-setup.sh (npm run test:editors does)`,
    );
  }
  return value;
}
