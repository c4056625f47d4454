// Files read for what they tell about others (which file declares or includes which), with the
// modification stamp each was read at: a conclusion drawn from them stays valid while every stamp it
// depends on is unchanged, so a long-running reader (the language server) notices an edit on disk
// without reading everything again, and a one-shot one (the CLI) reads each file once. Only the
// small facts derived from a text are kept, never the text (the generated bindings are megabytes).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** mtime and size of a file or folder; `missing` when it does not exist (or cannot be read). */
export function stampOf(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

/** The stamps a conclusion was drawn from, by path. */
export type Stamps = Map<string, string>;

export function stampsFresh(stamps: Stamps): boolean {
  for (const [file, stamp] of stamps) if (stampOf(file) !== stamp) return false;
  return true;
}

export class StampedFiles {
  private readonly facts = new Map<string, { stamp: string; value: unknown }>();

  /**
   * A fact about the file, `derive`d from its text and derived again only once the file changed;
   * `kind` names the fact (one file has several). Undefined when the file cannot be read. The
   * file's stamp is recorded in `stamps`.
   */
  fact<T>(file: string, kind: string, derive: (text: string) => T, stamps?: Stamps): T | undefined {
    const stamp = stampOf(file);
    stamps?.set(file, stamp);
    if (stamp === 'missing') return undefined;
    const key = `${kind}\0${file}`;
    const known = this.facts.get(key);
    if (known?.stamp === stamp) return known.value as T;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const value = derive(text);
    this.facts.set(key, { stamp, value });
    return value;
  }

  /** The `.rs` files directly in `folder` (none if it cannot be read), its stamp recorded. */
  rustFilesIn(folder: string, stamps?: Stamps): string[] {
    stamps?.set(folder, stampOf(folder));
    try {
      return readdirSync(folder, { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.rs'))
        .map((entry) => path.join(folder, entry.name));
    } catch {
      return [];
    }
  }
}
