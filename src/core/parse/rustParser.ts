// Loads web-tree-sitter and the Rust grammar that tree-sitter-rust ships, once per process.
// The wasm files sit next to the bundle in dist/ (copied by scripts/build.mjs); when the sources
// run unbundled (tests through tsx) they are found in node_modules instead.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type { Edit, Node as SyntaxNode, Tree, Point } from 'web-tree-sitter';
export { Parser };

const RUNTIME_WASM = 'tree-sitter.wasm';
const RUST_WASM = 'tree-sitter-rust.wasm';

function locateWasm(fileName: string, packageSpecifier: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (existsSync(besideBundle)) return besideBundle;
  try {
    return require.resolve(packageSpecifier);
  } catch (cause) {
    throw new Error(
      `Cannot find ${fileName}: it should be in ${__dirname} (run "npm run build") or in node_modules ` + `(run "npm install").`,
      { cause },
    );
  }
}

let languagePromise: Promise<Language> | undefined;

/** The tree-sitter Rust language, loaded on first use and shared afterwards. */
export function loadRustLanguage(): Promise<Language> {
  languagePromise ??= (async () => {
    const runtimeWasm = locateWasm(RUNTIME_WASM, `web-tree-sitter/${RUNTIME_WASM}`);
    await Parser.init({ locateFile: () => runtimeWasm });
    return Language.load(locateWasm(RUST_WASM, `tree-sitter-rust/${RUST_WASM}`));
  })();
  return languagePromise;
}

/** A new parser for Rust. Parsers hold state between parses, so give each document owner its own. */
export async function createRustParser(): Promise<Parser> {
  const language = await loadRustLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
