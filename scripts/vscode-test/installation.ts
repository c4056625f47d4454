// Where .ci/vscode-setup.sh put code-server, its Node 24 and chromium: from the environment when set
// (`. $RFL_CACHE/vscode/<version>/env`), otherwise from that env file in the cache.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';

export interface Installation {
  /** The cache folder of this version: run folders go under it. */
  dir: string;
  /** Node 24, which code-server 4.139 needs. */
  node: string;
  /** code-server's entry script (out/node/entry.js). */
  codeServer: string;
  chromium: string;
}

const KEYS = {
  dir: 'RFL_VSCODE_DIR',
  node: 'RFL_VSCODE_NODE',
  codeServer: 'RFL_CODE_SERVER',
  chromium: 'RFL_CHROMIUM',
} as const;

function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^export (\w+)='([^']*)'$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}

export function findInstallation(env: NodeJS.ProcessEnv = process.env): Installation {
  const cache = env.RFL_CACHE ?? path.join(os.homedir(), '.cache', 'rust-for-linux');
  const envFile = path.join(cache, 'vscode', CODE_SERVER_VERSION, 'env');
  const fromFile = existsSync(envFile) ? readEnvFile(envFile) : {};
  const pick = (key: string): string => env[key] ?? fromFile[key] ?? '';
  const installation: Installation = {
    dir: pick(KEYS.dir),
    node: pick(KEYS.node),
    codeServer: pick(KEYS.codeServer),
    chromium: pick(KEYS.chromium),
  };
  const missing = (Object.keys(KEYS) as (keyof typeof KEYS)[]).filter((key) => !installation[key] || !existsSync(installation[key]));
  if (missing.length > 0) {
    throw new Error(
      `code-server ${CODE_SERVER_VERSION} is not set up (${missing.map((key) => KEYS[key]).join(', ')} missing; ` +
        `looked in the environment and ${envFile}): run .ci/vscode-setup.sh first`,
    );
  }
  return installation;
}
