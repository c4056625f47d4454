// Grammar snapshot tests (in the style of vscode-tmgrammar-snap): each fixture in fixtures/ is
// tokenized the way VS Code does it (vscode-textmate on vscode-oniguruma) and compared with its
// `.snap` file, which lists every line followed by its tokens and their scopes.
//   fixtures/*.rs   source.rust (VS Code 1.139's own Rust grammar, from the code-server
//                   installation) with syntaxes/rust-safety-injection.tmLanguage.json injected
//   fixtures/*.log  syntaxes/kernel-log.tmLanguage.json
// Prints one line per fixture and a closing `N passed, N failed` line; exit code 1 on a mismatch.
//
// usage: node test/vscode/out/grammars.js [--update]    (--update rewrites the .snap files)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from 'vscode-textmate';
import { findInstallation } from '../../../scripts/vscode-test/installation';

// This file runs as test/vscode/out/grammars.js.
const root = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(root, 'test/vscode/grammars/fixtures');
const INJECTION_SCOPE = 'rust-safety.injection';

function grammarFiles(): Record<string, string> {
  const codeServer = findInstallation().codeServer; // .../code-server/out/node/entry.js
  return {
    'source.rust': path.join(path.dirname(codeServer), '../../lib/vscode/extensions/rust/syntaxes/rust.tmLanguage.json'),
    [INJECTION_SCOPE]: path.join(root, 'syntaxes/rust-safety-injection.tmLanguage.json'),
    'text.log.kernel': path.join(root, 'syntaxes/kernel-log.tmLanguage.json'),
  };
}

async function registry(): Promise<Registry> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const files = grammarFiles();
  return new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const file = files[scopeName];
      return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    // As package.json's contributes.grammars `injectTo: ["source.rust"]` tells VS Code.
    getInjections: (scopeName) => (scopeName === 'source.rust' ? [INJECTION_SCOPE] : undefined),
  });
}

/** The snapshot text: each line, then one row per token: `^^^ scope scope ...` under its columns. */
function snapshot(grammar: IGrammar, text: string): string {
  const out: string[] = [];
  let state: StateStack = INITIAL;
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    out.push(`>${line}`);
    for (const token of result.tokens) {
      const end = Math.min(token.endIndex, line.length);
      if (end <= token.startIndex) continue;
      out.push(`#${' '.repeat(token.startIndex)}${'^'.repeat(end - token.startIndex)} ${token.scopes.join(' ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

async function main(): Promise<number> {
  const update = process.argv.includes('--update');
  const reg = await registry();
  const grammars: Record<string, IGrammar> = {};
  for (const [ext, scope] of [
    ['.rs', 'source.rust'],
    ['.log', 'text.log.kernel'],
  ] as const) {
    const grammar = await reg.loadGrammar(scope);
    if (!grammar) throw new Error(`grammar ${scope} did not load`);
    grammars[ext] = grammar;
  }
  let passed = 0;
  let failed = 0;
  console.log('Grammar snapshots');
  for (const name of readdirSync(FIXTURES).sort()) {
    const grammar = grammars[path.extname(name)];
    if (!grammar) continue;
    const actual = snapshot(grammar, readFileSync(path.join(FIXTURES, name), 'utf8'));
    const snapFile = path.join(FIXTURES, `${name}.snap`);
    if (update || !existsSync(snapFile)) {
      writeFileSync(snapFile, actual);
      console.log(`  ✔ ${name} (snapshot written)`);
      passed++;
      continue;
    }
    const expected = readFileSync(snapFile, 'utf8');
    if (expected === actual) {
      console.log(`  ✔ ${name}`);
      passed++;
      continue;
    }
    failed++;
    const [a, b] = [expected.split('\n'), actual.split('\n')];
    const at = a.findIndex((row, index) => row !== b[index]);
    console.log(`  ✘ ${name}: differs from ${path.relative(root, snapFile)} at row ${at + 1}`);
    console.log(`      expected: ${a[at] ?? '(end)'}\n      actual:   ${b[at] ?? '(end)'}`);
    console.log('      (node test/vscode/out/grammars.js --update rewrites the snapshots after a deliberate change)');
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`grammar snapshots: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
