// Bundles the extension, the language server (and its lint worker), the CLI and the benchmarks into dist/ with one esbuild
// call, and copies the two wasm files that web-tree-sitter loads at run time next to them.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const production = process.argv.includes('--production');

mkdirSync(dist, { recursive: true });

await build({
  entryPoints: {
    extension: 'src/client/extension.ts',
    server: 'src/server/server.ts',
    // The language server's lint thread (src/server/lint/lintService.ts starts it).
    lintWorker: 'src/server/lint/worker.ts',
    cli: 'src/cli/main.ts',
    'bench/lint-bench': 'bench/lintBench.ts',
  },
  absWorkingDir: root,
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  logLevel: 'warning',
  // web-tree-sitter's ESM build locates its wasm through import.meta.url, which a CommonJS bundle
  // does not have: give it one derived from the bundle's own file name.
  define: { 'import.meta.url': '__rflImportMetaUrl' },
  banner: { js: "var __rflImportMetaUrl = require('url').pathToFileURL(__filename).href;" },
});

const wasmFiles = [require.resolve('web-tree-sitter/tree-sitter.wasm'), require.resolve('tree-sitter-rust/tree-sitter-rust.wasm')];
for (const file of wasmFiles) copyFileSync(file, path.join(dist, path.basename(file)));
