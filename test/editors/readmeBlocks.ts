// The editor configurations exactly as README.md gives them: each is the fenced block right after an
// `<!-- editor-config: NAME -->` line, so the README and the editor tier cannot drift apart. Only the
// two placeholder paths are replaced.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const README = path.join(REPO_ROOT, 'README.md');

export type EditorConfigName = 'neovim-0.11' | 'neovim-0.7' | 'emacs-init' | 'emacs-dir-locals';

/** The block's text, as written in the README. */
export function readmeBlock(name: EditorConfigName): string {
  const text = readFileSync(README, 'utf8');
  const marker = `<!-- editor-config: ${name} -->\n`;
  const at = text.indexOf(marker);
  if (at === -1) throw new Error(`README.md has no "${marker.trim()}" line: the editor tier runs that block`);
  if (text.indexOf(marker, at + 1) !== -1) throw new Error(`README.md has "${marker.trim()}" twice`);
  const block = /^```\w*\n([\s\S]*?)^```$/m.exec(text.slice(at + marker.length));
  if (!block || block.index !== 0) throw new Error(`README.md: "${marker.trim()}" is not followed directly by a fenced code block`);
  return block[1]!;
}

const RFL_PATH = '/path/to/rust-for-linux';
const KERNEL_PATH = '/path/to/linux/build';
/** The placeholders each block must keep, so that the test really points it at its own server and kernel. */
const PLACEHOLDERS: Readonly<Record<EditorConfigName, readonly string[]>> = {
  'neovim-0.11': [RFL_PATH, KERNEL_PATH],
  'neovim-0.7': [RFL_PATH, KERNEL_PATH],
  'emacs-init': [RFL_PATH],
  'emacs-dir-locals': [KERNEL_PATH],
};

/** The block with the README's placeholders pointing at this checkout and the given kernel folder. */
export function editorConfig(name: EditorConfigName, kernelDir: string): string {
  const block = readmeBlock(name);
  for (const placeholder of PLACEHOLDERS[name]) {
    if (!block.includes(placeholder)) throw new Error(`README.md's ${name} block lost its ${placeholder} placeholder`);
  }
  return block.replaceAll(RFL_PATH, REPO_ROOT).replaceAll(KERNEL_PATH, kernelDir);
}
