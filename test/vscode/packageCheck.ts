// Packaging, checked the way a user gets the extension: `vsce package --no-dependencies` offline into
// a temporary folder, the .vsix's file list (the bundles, both wasm files, package.json, README,
// licence, grammars, snippets; no sources, tests or node_modules) and size, then `code-server
// --install-extension` into a fresh extensions folder and the integration suite (test/vscode/suite)
// against that installed copy instead of this checkout (runTest.js with RFL_VSCODE_EXTENSIONS_DIR).
// Prints one line per check and a closing `N passed, N failed` line; exit code 1 when any failed.
//
// usage: node test/vscode/out/packageCheck.js    (after npm run build and scripts/vscode-test/build.mjs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findInstallation } from '../../scripts/vscode-test/installation';
import manifest from '../../package.json';

// This file runs as test/vscode/out/packageCheck.js.
const root = path.resolve(__dirname, '../../..');
const MAX_BYTES = 5 * 1024 * 1024;
const REQUIRED = [
  'extension/package.json',
  'extension/README.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/dist/server.js',
  'extension/dist/lintWorker.js',
  'extension/dist/cli.js',
  'extension/dist/tree-sitter.wasm',
  'extension/dist/tree-sitter-rust.wasm',
  'extension/syntaxes/kernel-log.tmLanguage.json',
  'extension/syntaxes/rust-safety-injection.tmLanguage.json',
  'extension/snippets/rust-for-linux.json',
  // Compiled at run time into the guest benchmark (src/core/qemu/benchTool.ts).
  'extension/guest/rfl-bench.c',
];
/** Nothing of these may ship: sources, tests, dependencies, build inputs, the repository's own files. */
const FORBIDDEN = [
  /^extension\/src\//,
  /^extension\/test\//,
  /node_modules\//,
  /^extension\/scripts\//,
  /\.ts$/,
  /^extension\/\.(?!vsixmanifest)/,
  /\.map$/,
];

/** The file names in a zip archive, from its central directory (a .vsix is a zip). */
export function zipEntries(file: string): string[] {
  const data = readFileSync(file);
  // The end-of-central-directory record: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let offset = data.length - 22; offset >= Math.max(0, data.length - 65_557); offset--) {
    if (data.readUInt32LE(offset) === 0x06054b50) {
      eocd = offset;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip archive`);
  const count = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    if (data.readUInt32LE(offset) !== 0x02014b50) throw new Error(`${file}: broken central directory entry ${index}`);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    names.push(data.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { code: number; output: string } {
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? 1, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function main(): number {
  let passed = 0;
  let failed = 0;
  const check = (name: string, ok: boolean, detail = ''): boolean => {
    if (ok) passed++;
    else failed++;
    console.log(`  ${ok ? '✔' : '✘'} ${name}${detail ? `\n${detail.replace(/^/gm, '      ')}` : ''}`);
    return ok;
  };
  console.log('Rust for Linux packaged (.vsix)');
  const temp = mkdtempSync(path.join(os.tmpdir(), 'rfl-vsix-'));
  try {
    const vsix = path.join(temp, `${manifest.name}-${manifest.version}.vsix`);
    // Offline: --no-dependencies (the bundles hold the code); the base URLs only rewrite the
    // README's relative image links, since package.json names no public repository.
    const base = 'https://example.invalid/rust-for-linux-toolkit';
    const vsce = path.join(root, 'node_modules/.bin/vsce');
    const packaged = run(vsce, ['package', '--no-dependencies', '--out', vsix, '--baseContentUrl', base, '--baseImagesUrl', base]);
    if (!check('vsce package --no-dependencies builds a .vsix offline', packaged.code === 0, packaged.code === 0 ? '' : packaged.output)) {
      return 1;
    }
    const names = zipEntries(vsix);
    const missing = REQUIRED.filter((name) => !names.includes(name));
    check(
      'the .vsix holds the bundles, both wasm files, package.json, README, licence, grammars and snippets',
      missing.length === 0,
      missing.length ? `missing: ${missing.join(', ')}` : '',
    );
    const unwanted = names.filter((name) => FORBIDDEN.some((pattern) => pattern.test(name)));
    check('no sources, tests, source maps or node_modules in the .vsix', unwanted.length === 0, unwanted.join('\n'));
    const size = statSync(vsix).size;
    check(`the .vsix is under 5 MB (${(size / 1024).toFixed(0)} KB, ${names.length} files)`, size < MAX_BYTES);

    const installation = findInstallation();
    const extensionsDir = path.join(temp, 'extensions');
    const installed = run(installation.node, [installation.codeServer, '--extensions-dir', extensionsDir, '--install-extension', vsix]);
    const folders =
      installed.code === 0
        ? readdirSync(extensionsDir).filter((name) => name.startsWith(`${manifest.publisher}.${manifest.name}`.toLowerCase()))
        : [];
    if (
      !check(
        'code-server --install-extension installs it',
        installed.code === 0 && folders.length === 1,
        installed.code === 0 ? `installed: ${readdirSync(extensionsDir).join(', ')}` : installed.output,
      )
    ) {
      return 1;
    }
    console.log(`  … the integration suite against ${path.join(extensionsDir, folders[0])}`);
    const suite = spawnSync(process.execPath, [path.join(__dirname, 'runTest.js'), 'suite'], {
      cwd: root,
      env: { ...process.env, RFL_VSCODE_EXTENSIONS_DIR: extensionsDir, RFL_VSCODE_NO_SCREENSHOTS: '1' },
      stdio: 'inherit',
    });
    check(
      'the integration suite passes against the installed copy',
      suite.status === 0,
      `runTest.js suite exited with ${suite.status ?? suite.signal}`,
    );
  } finally {
    rmSync(temp, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
  }
  return failed > 0 ? 1 : 0;
}

try {
  process.exit(main());
} catch (error) {
  console.error(`package check: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
