// The source tarball of a kernel series from Debian: bookworm's linux-source-X package installed
// system-wide (it puts /usr/src/linux-source-X.tar.xz there), or unstable's downloaded once into
// ${cache}/sources/ and named by package version. A cached download is used as is, without asking the
// archive, so a second run needs no network and the kernel's cache key stays the same; delete it to
// pick up a newer upload.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DebianPackageError, installSystemPackages, unpackPrivately, type AptOptions } from './aptPackages';
import type { KernelRecipe } from './kernelRecipes';
import { liveWork } from '../process/liveWork';

export async function debianKernelSource(recipe: KernelRecipe, cacheRoot: string, options: AptOptions = {}): Promise<string> {
  const { name, suite } = recipe.sourcePackage;
  if (suite === 'bookworm') {
    await installSystemPackages([name], `the Linux ${recipe.series} source`, options);
    const tarball = `/usr/src/${name}.tar.xz`;
    if (!existsSync(tarball))
      throw new DebianPackageError(`${name} is installed but ${tarball} is missing; reinstall it (apt-get install --reinstall ${name}).`);
    return tarball;
  }
  const sources = path.join(cacheRoot, 'sources');
  mkdirSync(sources, { recursive: true });
  const cached = readdirSync(sources)
    .filter((file) => file.startsWith(`${name}_`) && file.endsWith('.tar.xz'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .at(-1);
  if (cached) return path.join(sources, cached);
  options.onLine?.(`downloading ${name} from Debian ${suite} (about 160 MB, once)`);
  const work = path.join(sources, `.tmp-${name}`);
  // An interrupted CLI (signal teardown) removes it too.
  const forgetWork = liveWork.addDir(work);
  try {
    const { root, versions } = await unpackPrivately(work, suite, [name], options);
    const tarball = path.join(root, 'usr', 'src', `${name}.tar.xz`);
    if (!existsSync(tarball)) throw new DebianPackageError(`the ${name} package from Debian ${suite} holds no usr/src/${name}.tar.xz`);
    const version = versions.get(name) ?? 'unknown';
    // The rename is the commit: an interrupted run leaves only .tmp-*, which the next run starts over.
    const target = path.join(sources, `${name}_${version.replace(/:/g, '%3a')}.tar.xz`);
    renameSync(tarball, target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(`${work}.tmp`, { recursive: true, force: true });
    forgetWork();
  }
}
