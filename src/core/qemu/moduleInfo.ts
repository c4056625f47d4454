// The `name=` and `depends=` entries of a .ko's .modinfo section, read straight from the file's
// bytes: modinfo strings are NUL-separated `key=value` pairs, which is all we need to order loads.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ModuleInfo {
  file: string;
  name: string;
  depends: string[];
}

function modinfoValue(bytes: Buffer, key: string): string | undefined {
  const needle = Buffer.from(`\0${key}=`);
  const start = bytes.indexOf(needle);
  if (start < 0) return undefined;
  const valueStart = start + needle.length;
  const end = bytes.indexOf(0, valueStart);
  return bytes.subarray(valueStart, end < 0 ? undefined : end).toString('utf8');
}

/** Module names treat `-` and `_` alike. */
export function normaliseModuleName(name: string): string {
  return name.replace(/-/g, '_');
}

export function readModuleInfo(file: string): ModuleInfo {
  const bytes = readFileSync(file);
  const name = modinfoValue(bytes, 'name') ?? path.basename(file, '.ko');
  const depends = (modinfoValue(bytes, 'depends') ?? '').split(',').filter((dep) => dep !== '');
  return { file, name: normaliseModuleName(name), depends: depends.map(normaliseModuleName) };
}

/** A dependency's .ko: beside the module first, then in the kernel tree (modules.order). */
function findDependency(name: string, moduleDir: string, kdir: string): string | undefined {
  const local = path.join(moduleDir, `${name}.ko`);
  if (existsSync(local)) return local;
  const order = path.join(kdir, 'modules.order');
  if (!existsSync(order)) return undefined;
  for (const line of readFileSync(order, 'utf8').split('\n')) {
    const relative = line.trim().replace(/\.o$/, '.ko');
    if (relative && normaliseModuleName(path.basename(relative, '.ko')) === name) {
      const candidate = path.join(kdir, relative);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The modules to put in the initramfs, dependencies first. Throws when a dependency cannot be found
 * (it is built into the kernel or missing; built-in ones never show in depends=).
 */
export function resolveLoadOrder(mainModules: readonly string[], moduleDir: string, kdir: string): ModuleInfo[] {
  const ordered: ModuleInfo[] = [];
  const seen = new Set<string>();
  const visit = (info: ModuleInfo, chain: string[]) => {
    if (seen.has(info.name)) return;
    if (chain.includes(info.name)) throw new Error(`module dependency cycle: ${[...chain, info.name].join(' -> ')}`);
    for (const dep of info.depends) {
      const file = findDependency(dep, path.dirname(info.file), kdir) ?? findDependency(dep, moduleDir, kdir);
      if (!file) {
        throw new Error(
          `${info.name} depends on ${dep}, but no ${dep}.ko was found beside it or in ${kdir}/modules.order; build it (or enable it as =m in the kernel).`,
        );
      }
      visit(readModuleInfo(file), [...chain, info.name]);
    }
    seen.add(info.name);
    ordered.push(info);
  };
  for (const file of mainModules) visit(readModuleInfo(file), []);
  return ordered;
}
