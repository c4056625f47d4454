// One test kernel, from nothing to a build folder: the source (a Debian series, or a folder or
// tarball), the toolchain (the caller's tools, or Debian's recipe for the version found in the
// source), then `prepareKernel`. The task behind `rfl kernel prepare` and VS Code's "Prepare a Test
// Kernel" command, which only adapt its progress and messages.
import { prepareKernel, PrepareError, type PrepareOptions, type PrepareResult } from '../kernel/prepare';
import type { KernelVersion } from '../kernel/kernelTree';
import type { Toolchain } from '../toolchain/toolchain';
import { parseSeries, recipeFor } from './kernelRecipes';
import { debianKernelSource } from './kernelSource';
import { provisionToolchain } from './provisionToolchain';

export interface PrepareTestKernelOptions extends Omit<PrepareOptions, 'source' | 'toolchain'> {
  /** A Debian series (`6.12`) whose linux-source package is the source, or a source folder/tarball. */
  from: { series: string } | { source: string };
  /** The caller's tools; without them Debian's recipe for the kernel's version is used. */
  toolchain?: Toolchain;
  /** Build with GCC even where the recipe says LLVM. */
  noLlvm?: boolean;
}

export async function prepareTestKernel(options: PrepareTestKernelOptions): Promise<PrepareResult> {
  const started = Date.now();
  const say = options.onLine ?? (() => undefined);
  const phase = (name: 'toolchain' | 'source') => options.onProgress?.({ phase: name, fraction: 0, elapsedMs: Date.now() - started });
  const recipeOf = (version: Pick<KernelVersion, 'version' | 'patchlevel'>) => {
    const recipe = recipeFor(version);
    if ('unsupported' in recipe) throw new PrepareError(recipe.unsupported);
    return recipe;
  };
  let source: string;
  if ('series' in options.from) {
    const series = parseSeries(options.from.series);
    if (!series) throw new PrepareError(`"${options.from.series}" is not a kernel series such as 6.12`);
    phase('source');
    source = await debianKernelSource(recipeOf(series), options.cacheRoot, {
      onLine: say,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } else {
    source = options.from.source;
  }
  const toolchain =
    options.toolchain ??
    (async (version: KernelVersion) => {
      phase('toolchain');
      const provided = await provisionToolchain(recipeOf(version), {
        cacheRoot: options.cacheRoot,
        onLine: say,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      return options.noLlvm ? { ...provided, llvm: false } : provided;
    });
  return prepareKernel({ ...options, source, toolchain });
}
