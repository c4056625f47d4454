// `rfl kernel prepare`: a minimal Rust-enabled kernel (tinyconfig + TEST_KERNEL_FRAGMENT) built from
// a source folder or tarball into ${cache}/kernels/<version>-<hash>/, where the hash covers the
// fragment and the toolchain. A finished folder carries a stamp and is reused; an interrupted one is
// resumed (make is incremental). The toolchain is recorded in the folder for later module builds.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDirs } from '../cache/cachePaths';
import { schemaProblems } from '../schema/jsonSchema';
import { describeCommand, describeOutcome } from '../process/describe';
import { liveWork } from '../process/liveWork';
import { runProcess } from '../process/runProcess';
import { readJsonRecord, writeJsonAtomic } from '../files/atomicWrite';
import { acquireLock, describeOwner, LockBusyError, type HeldLock } from '../files/fileLock';
import { TOOLCHAIN_FILE, toolchainMakeVars, writeRecordedToolchain, type Toolchain } from '../toolchain/toolchain';
import { BZIMAGE } from './checks';
import { parseKconfig, readKernelVersion, type KernelVersion } from './kernelTree';
import { PrepareProgressTracker, type PrepareProgress } from './prepareProgress';
import { testKernelFragment } from './testKernelConfig';

export interface PrepareOptions {
  /** A kernel source folder, or a tarball (.tar, .tar.xz, .tar.gz ...). */
  source: string;
  cacheRoot: string;
  /** The toolchain, or how to get one for the version found in the source (rfl kernel prepare --debian). */
  toolchain: Toolchain | ((version: KernelVersion) => Promise<Toolchain>);
  /** Extra configuration lines appended to the fragment. */
  extraConfig?: string;
  jobs?: number;
  /** Limit for the whole kernel build. */
  buildTimeoutMs?: number;
  signal?: AbortSignal;
  /** Progress and build output, line by line. */
  onLine?: (line: string) => void;
  /** Phase, share done and an estimate of the time left. */
  onProgress?: (progress: PrepareProgress) => void;
  make?: string;
}

export interface PrepareResult {
  kdir: string;
  version: string;
  reused: boolean;
  durationMs: number;
}

const STAMP = '.rfl-prepared';
const STEP_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_BUILD_TIMEOUT_MS = 90 * 60_000;

/** The kernel build failed (exit status 1). */
export class PrepareError extends Error {}

/** What was asked for cannot be prepared (no such source, not a kernel tree): a usage error, exit status 2. */
export class PrepareInputError extends Error {}

export function configHash(fragment: string, toolchain: Toolchain): string {
  return createHash('sha256')
    .update(fragment)
    .update('\0')
    .update(JSON.stringify(toolchainMakeVars(toolchain)))
    .digest('hex')
    .slice(0, 12);
}

export async function prepareKernel(options: PrepareOptions): Promise<PrepareResult> {
  const started = Date.now();
  const say = options.onLine ?? (() => undefined);
  // The fragment depends on the version (KUnit from 6.15), which a tarball tells only once unpacked.
  const fragmentFor = (v: KernelVersion) => testKernelFragment(v, options.extraConfig);
  const toolchains = new Map<string, Promise<Toolchain>>();
  const toolchainFor = (v: KernelVersion): Promise<Toolchain> => {
    const given = options.toolchain;
    if (typeof given !== 'function') return Promise.resolve(given);
    const known = toolchains.get(v.text) ?? given(v);
    toolchains.set(v.text, known);
    return known;
  };
  const hashFor = async (v: KernelVersion) => configHash(fragmentFor(v), await toolchainFor(v));
  const kernels = cacheDirs.kernels(options.cacheRoot);
  mkdirSync(kernels, { recursive: true });
  const source = path.resolve(options.source);
  if (!existsSync(source))
    throw new PrepareInputError(
      `${source} does not exist: pass a kernel source folder or tarball (Debian: /usr/src/linux-source-6.12.tar.xz from linux-source-6.12).`,
    );
  const isTarball = statSync(source).isFile();

  let kdir: string;
  let srcDir: string;
  if (isTarball) {
    // One unpack at a time in this cache: a second prepare of the same tarball then finds it unpacked.
    const unpackLock = await lockFor(path.join(kernels, '.unpack.lock'), `unpacking ${source}`, STEP_TIMEOUT_MS, options, say);
    try {
      kdir = await unpackTarball(source, kernels, hashFor, options, say);
    } finally {
      unpackLock.release();
    }
    srcDir = kdir;
  } else {
    const version = readKernelVersion(source);
    if (!version)
      throw new PrepareInputError(
        `${source} has no kernel top-level Makefile with VERSION/PATCHLEVEL: pass a kernel source folder or tarball.`,
      );
    kdir = path.join(kernels, `${version.text}-${await hashFor(version)}`);
    srcDir = source;
    if (source !== kdir && (existsSync(path.join(source, '.config')) || existsSync(path.join(source, 'include', 'config')))) {
      throw new PrepareInputError(
        `${source} has been configured or built in place, so it cannot be built out of tree (O=). Run "make mrproper" there, or pass the tarball instead.`,
      );
    }
  }
  const kernelVersion = readKernelVersion(srcDir);
  if (!kernelVersion) throw new PrepareError(`${srcDir} has no kernel top-level Makefile with VERSION/PATCHLEVEL.`);
  const version = kernelVersion.text;
  const fragment = fragmentFor(kernelVersion);
  const hash = await hashFor(kernelVersion);
  const toolchain = await toolchainFor(kernelVersion);
  const progress = new PrepareProgressTracker(
    path.join(cacheDirs.state(options.cacheRoot), 'kernel-builds.json'),
    `${kernelVersion.version}.${kernelVersion.patchlevel}`,
    options.onProgress ?? (() => undefined),
    started,
  );
  // One prepare per build folder: a second one waits here, then reuses what the first built.
  const buildTimeoutMs = options.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  const lock = await lockFor(`${kdir}.lock`, `preparing Linux ${version} in ${kdir}`, buildTimeoutMs + 4 * STEP_TIMEOUT_MS, options, say);
  try {
    return await buildLocked();
  } finally {
    lock.release();
  }

  async function buildLocked(): Promise<PrepareResult> {
    if (existsSync(path.join(kdir, STAMP))) {
      repairToolchainRecord(kdir, toolchain, say);
      say(`reusing the prepared Linux ${version} in ${kdir}`);
      return { kdir, version, reused: true, durationMs: Date.now() - started };
    }
    mkdirSync(kdir, { recursive: true });
    // Out-of-tree (O=) build for a source folder; in-tree for the folder we unpacked ourselves.
    const outArgs = srcDir === kdir ? [] : [`O=${kdir}`];
    const vars = [...outArgs, ...toolchainMakeVars(toolchain)];
    const make = options.make ?? 'make';
    const run = async (args: string[], what: string, timeoutMs = STEP_TIMEOUT_MS) => {
      say(`$ ${describeCommand(make, args, srcDir)}`);
      const result = await runProcess(make, args, {
        cwd: srcDir,
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        onStdoutLine: (line) => {
          progress.line(line);
          say(line);
        },
        onStderrLine: say,
      });
      if (result.exitCode !== 0) {
        throw new PrepareError(
          `${what} failed: ${describeCommand(make, args, srcDir)} ended with ${describeOutcome(result, timeoutMs)}.\n${result.tail.split('\n').slice(-25).join('\n')}`,
        );
      }
    };

    say(`preparing Linux ${version} (tinyconfig + Rust fragment, key ${hash}) in ${kdir}`);
    progress.enter('configure');
    await run([...vars, 'rustavailable'], 'the Rust toolchain check (make rustavailable; pass --rustc/--bindgen for this kernel version)');
    await run([...vars, 'tinyconfig'], 'make tinyconfig');
    mergeFragment(path.join(kdir, '.config'), fragment);
    await run([...vars, 'olddefconfig'], 'make olddefconfig');
    verifyFragment(path.join(kdir, '.config'), fragment);
    const jobs = options.jobs ?? Math.max(1, os.availableParallelism());
    progress.enter('build');
    await run([...vars, `-j${jobs}`], 'the kernel build', buildTimeoutMs);
    for (const needed of [BZIMAGE, 'rust/libkernel.rmeta', 'Module.symvers']) {
      if (!existsSync(path.join(kdir, needed))) throw new PrepareError(`the build finished but ${needed} is missing in ${kdir}.`);
    }
    writeRecordedToolchain(kdir, toolchain);
    progress.finish();
    writeJsonAtomic(path.join(kdir, STAMP), { version, hash, source, builtAt: new Date().toISOString(), durationMs: Date.now() - started });
    say(`prepared Linux ${version} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return { kdir, version, reused: false, durationMs: Date.now() - started };
  }
}

/** Takes `lockFile`, telling the user once whom it waits for. */
function lockFor(lockFile: string, what: string, waitMs: number, options: PrepareOptions, say: (line: string) => void): Promise<HeldLock> {
  return acquireLock(lockFile, {
    what,
    waitMs,
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: (owner) => say(`waiting for ${describeOwner(owner)} to finish (lock ${lockFile})`),
  }).catch((error: unknown) => {
    throw error instanceof LockBusyError ? new PrepareError(error.message) : error;
  });
}

/** A reused folder whose toolchain record was damaged gets it written again (the hash says it is this toolchain). */
function repairToolchainRecord(kdir: string, toolchain: Toolchain, say: (line: string) => void): void {
  const file = path.join(kdir, TOOLCHAIN_FILE);
  const record = readJsonRecord(file, (value): value is object => typeof value === 'object' && value !== null && !Array.isArray(value));
  if (record.state === 'ok') return;
  if (record.state === 'corrupt') say(`${file} was damaged (${record.reason}); writing it again`);
  writeRecordedToolchain(kdir, toolchain);
}

function readVersionText(text: string): KernelVersion | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return match ? { version: Number(match[1]), patchlevel: Number(match[2]), sublevel: Number(match[3]), text } : undefined;
}

interface SourceIndex {
  [identity: string]: string;
}

/** sources.json: a tarball's identity -> the kernel version it holds. */
const SOURCE_INDEX_SCHEMA = { type: 'object', additionalProperties: { type: 'string' } };

function isSourceIndex(value: unknown): value is SourceIndex {
  return schemaProblems(SOURCE_INDEX_SCHEMA, value).length === 0;
}

/** Unpacks a tarball once. The version is only known after unpacking, so it goes to a staging folder first. */
async function unpackTarball(
  tarball: string,
  kernels: string,
  hashFor: (v: KernelVersion) => Promise<string>,
  options: PrepareOptions,
  say: (line: string) => void,
): Promise<string> {
  const real = realpathSync(tarball);
  const stat = statSync(real);
  // The tarball's identity -> its version, so a reuse does not unpack 140 MB to learn the version.
  const identity = `${real}:${stat.size}:${Math.round(stat.mtimeMs)}`;
  const indexFile = path.join(kernels, 'sources.json');
  const record = readJsonRecord(indexFile, isSourceIndex);
  if (record.state === 'corrupt') {
    // Only a cache of what each tarball holds: set the damaged one aside and learn it again.
    renameSync(indexFile, `${indexFile}.corrupt`);
    say(`${indexFile} was damaged (${record.reason}); moved it to ${indexFile}.corrupt and starting a new one`);
  }
  const index: SourceIndex = record.state === 'ok' ? record.value : {};
  const known = index[identity];
  const knownVersion = known ? readVersionText(known) : undefined;
  if (knownVersion) {
    const kdir = path.join(kernels, `${known}-${await hashFor(knownVersion)}`);
    if (existsSync(path.join(kdir, 'Makefile'))) return kdir;
  }
  const staging = path.join(kernels, `.staging-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  // A signal to the CLI removes it too (see liveWork.ts).
  const forgetStaging = liveWork.addDir(staging);
  try {
    options.onProgress?.({ phase: 'unpack', fraction: 0.01, elapsedMs: 0 });
    const args = ['-xf', real, '-C', staging, '--strip-components=1'];
    say(`$ ${describeCommand('tar', args)}`);
    const result = await runProcess('tar', args, {
      cwd: kernels,
      timeoutMs: STEP_TIMEOUT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.exitCode !== 0)
      throw new PrepareError(
        `unpacking failed: ${describeCommand('tar', args)}: ${describeOutcome(result, STEP_TIMEOUT_MS)}\n${result.tail}`,
      );
    const version = readKernelVersion(staging);
    if (!version)
      throw new PrepareInputError(`${tarball} does not hold a kernel tree (no top-level Makefile with VERSION after unpacking).`);
    index[identity] = version.text;
    writeJsonAtomic(indexFile, index);
    const kdir = path.join(kernels, `${version.text}-${await hashFor(version)}`);
    if (existsSync(path.join(kdir, 'Makefile'))) return kdir;
    renameSync(staging, kdir);
    return kdir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
    forgetStaging();
  }
}

/** What `scripts/kconfig/merge_config.sh -m` does: fragment lines replace the same options. */
export function mergeFragment(configFile: string, fragment: string): void {
  const wanted = parseKconfig(fragment);
  const kept = readFileSync(configFile, 'utf8')
    .split('\n')
    .filter((line) => {
      const name = /^(?:# )?(CONFIG_\w+)[= ]/.exec(line)?.[1];
      return !(name && wanted.has(name));
    });
  const added = [...wanted].map(([name, value]) => (value === 'n' ? `# ${name} is not set` : `${name}=${value}`));
  writeFileSync(configFile, `${[...kept, ...added].join('\n')}\n`);
}

/** After olddefconfig: every fragment option must have survived (a failed dependency drops it silently). */
export function verifyFragment(configFile: string, fragment: string): void {
  const actual = parseKconfig(readFileSync(configFile, 'utf8'));
  const lost = [...parseKconfig(fragment)].filter(([name, value]) => (actual.get(name) ?? 'n') !== value);
  if (lost.length > 0) {
    const list = lost.map(([name, value]) => `${name}: wanted ${value}, got ${actual.get(name) ?? 'n'}`).join('\n  ');
    const rustHint = lost.some(([name]) => name === 'CONFIG_RUST')
      ? '\nCONFIG_RUST depends on a usable rustc and bindgen ("make rustavailable") and on CONFIG_MODVERSIONS being off.'
      : '';
    throw new PrepareError(`the configuration lost options the test kernel needs:\n  ${list}${rustHint}`);
  }
}
