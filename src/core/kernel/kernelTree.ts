// Facts read from a kernel build folder: its version (top Makefile), its configuration (.config),
// and the rustc that built it (CONFIG_RUSTC_VERSION_TEXT, recorded by kconfig since 6.1).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface KernelVersion {
  version: number;
  patchlevel: number;
  sublevel: number;
  /** `6.12.117` */
  text: string;
}

/** Reads VERSION/PATCHLEVEL/SUBLEVEL from the top Makefile (of an O= folder, its source's). */
export function readKernelVersion(dir: string): KernelVersion | undefined {
  const makefile = path.join(dir, 'Makefile');
  if (!existsSync(makefile)) return undefined;
  const text = readFileSync(makefile, 'utf8');
  const field = (name: string) => new RegExp(`^${name}\\s*=\\s*(\\d+)\\s*$`, 'm').exec(text)?.[1];
  const version = field('VERSION');
  const patchlevel = field('PATCHLEVEL');
  if (version === undefined || patchlevel === undefined) {
    // An O= build folder's Makefile only includes the source's: follow it.
    const include = /^include\s+(\S+\/Makefile)\s*$/m.exec(text)?.[1];
    return include && include !== makefile ? readKernelVersion(path.dirname(path.resolve(dir, include))) : undefined;
  }
  const sublevel = field('SUBLEVEL') ?? '0';
  return {
    version: Number(version),
    patchlevel: Number(patchlevel),
    sublevel: Number(sublevel),
    text: `${version}.${patchlevel}.${sublevel}`,
  };
}

/** `CONFIG_X=value` pairs of a .config; `# CONFIG_X is not set` gives `n`. */
export function parseKconfig(text: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (set) {
      options.set(set[1] ?? '', (set[2] ?? '').replace(/^"(.*)"$/, '$1'));
      continue;
    }
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (unset) options.set(unset[1] ?? '', 'n');
  }
  return options;
}

export function readKernelConfig(kdir: string): Map<string, string> | undefined {
  const file = path.join(kdir, '.config');
  return existsSync(file) ? parseKconfig(readFileSync(file, 'utf8')) : undefined;
}

/** `rustc 1.96.0 (ac68faa20 2026-05-25) …` as the tree's configuration recorded it. */
export function readTreeRustcVersion(kdir: string): string | undefined {
  return readKernelConfig(kdir)?.get('CONFIG_RUSTC_VERSION_TEXT');
}
