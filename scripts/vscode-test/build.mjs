// Bundles the integration-test side into test/vscode/out/ (ignored by git): the suite that runs in
// the extension host, test/vscode/runTest.ts, and the code-server runner behind scripts/vscode-test/code.
// The extension itself is built by `npm run build` (dist/).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = path.join(root, 'test/vscode/out');
rmSync(out, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
};

await Promise.all([
  // Runs inside the extension host: everything bundled but the editor's own module.
  build({
    ...common,
    entryPoints: {
      'suite/index': 'test/vscode/suite/index.ts',
      'selftest/index': 'test/vscode/selftest/index.ts',
      'trust/index': 'test/vscode/trust/index.ts',
    },
    outdir: out,
    external: ['vscode'],
  }),
  // Run by Node outside the editor: npm packages stay in node_modules.
  build({
    ...common,
    entryPoints: {
      runTest: 'test/vscode/runTest.ts',
      runnerCheck: 'test/vscode/runnerCheck.ts',
      grammars: 'test/vscode/grammars/snapshot.ts',
      packageCheck: 'test/vscode/packageCheck.ts',
      'runner/cli': 'scripts/vscode-test/cli.ts',
    },
    outdir: out,
    packages: 'external',
  }),
]);
