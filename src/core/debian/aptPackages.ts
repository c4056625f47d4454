// Debian packages for the toolchains that build test kernels. Two routes, chosen per package:
// - packages of the machine's own release (Debian 12: rustc-web, libclang1-14, linux-source-6.12)
//   are installed system-wide with apt-get, as root or through `sudo -n` (never a password prompt;
//   without either, the error gives the exact command to run);
// - packages of other suites (Debian 13's bindgen, unstable's libclang 19 and linux-source-7.2) or
//   ones that conflict with installed packages (bookworm's rustc 1.63 beside rustc-web) are downloaded
//   with a private sources list and lists folder and unpacked with `dpkg -x` into a folder of ours.
//   Nothing system-wide changes; the folder is replaced whole, so an interrupted run leaves only *.tmp.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeCommand, describeOutcome } from '../process/describe';
import { liveWork } from '../process/liveWork';
import { runProcess, type RunResult } from '../process/runProcess';

export class DebianPackageError extends Error {}

export interface AptOptions {
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

const APT_TIMEOUT_MS = 20 * 60_000;
const QUERY_TIMEOUT_MS = 30_000;
export const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const DEBIAN_SECURITY_MIRROR = 'http://deb.debian.org/debian-security';
const ARCHIVE_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** The apt source lines of one suite name, as a Debian install of that release has them. */
export function sourceLines(suite: string): string[] {
  const line = (mirror: string, name: string) => `deb [signed-by=${ARCHIVE_KEYRING}] ${mirror} ${name} main`;
  if (suite === 'bookworm' || suite === 'trixie') {
    return [line(DEBIAN_MIRROR, suite), line(DEBIAN_MIRROR, `${suite}-updates`), line(DEBIAN_SECURITY_MIRROR, `${suite}-security`)];
  }
  return [line(DEBIAN_MIRROR, suite)];
}

async function run(command: string, args: string[], cwd: string, options: AptOptions, timeoutMs = APT_TIMEOUT_MS): Promise<RunResult> {
  const result = await runProcess(command, args, {
    cwd,
    timeoutMs,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    ...(options.signal ? { signal: options.signal } : {}),
    onStderrLine: (line) => options.onLine?.(line),
  });
  if (result.exitCode !== 0) {
    throw new DebianPackageError(
      `${describeCommand(command, args, cwd)} ended with ${describeOutcome(result, timeoutMs)}\n${result.tail.split('\n').slice(-15).join('\n')}`,
    );
  }
  return result;
}

/** The packages of `names` that dpkg does not list as installed. */
export async function missingPackages(names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  let status = '';
  const result = await runProcess('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...names], {
    cwd: os.tmpdir(),
    timeoutMs: QUERY_TIMEOUT_MS,
    onStdoutLine: (line) => {
      status += `${line}\n`;
    },
  }).catch(() => undefined);
  if (!result)
    throw new DebianPackageError('dpkg-query could not be started: this needs a Debian (or Debian-based) machine with apt and dpkg.');
  const installed = new Set(
    status
      .split('\n')
      .filter((line) => / install ok installed$/.test(line))
      .map((line) => line.split(' ')[0]),
  );
  return names.filter((name) => !installed.has(name));
}

/** How apt-get can run with root rights here: directly, through `sudo -n`, or not at all. */
async function rootPrefix(): Promise<string[] | undefined> {
  if (process.getuid?.() === 0) return [];
  const probe = await runProcess('sudo', ['-n', 'true'], { cwd: os.tmpdir(), timeoutMs: QUERY_TIMEOUT_MS }).catch(() => undefined);
  return probe?.exitCode === 0 ? ['sudo', '-n'] : undefined;
}

/** Installs the packages of the machine's own release that are missing (none missing: no apt-get at all). */
export async function installSystemPackages(names: readonly string[], why: string, options: AptOptions = {}): Promise<void> {
  const missing = await missingPackages(names);
  if (missing.length === 0) return;
  const prefix = await rootPrefix();
  const aptArgs = ['-o', 'DPkg::Lock::Timeout=600'];
  if (!prefix) {
    throw new DebianPackageError(
      `${why} needs Debian packages that are not installed: ${missing.join(' ')}.\nInstall them, then run this again:\n  sudo apt-get install --no-install-recommends ${missing.join(' ')}`,
    );
  }
  options.onLine?.(`installing Debian packages for ${why}: ${missing.join(' ')}`);
  const [command = 'apt-get', ...prefixArgs] = [...prefix, 'apt-get'];
  await run(command, [...prefixArgs, ...aptArgs, 'update', '-qq'], os.tmpdir(), options);
  await run(command, [...prefixArgs, ...aptArgs, 'install', '-y', '-qq', '--no-install-recommends', ...missing], os.tmpdir(), options);
}

/**
 * apt-get against one suite, with its own sources, lists and caches under `aptDir`. A Release file
 * past its Valid-Until date is accepted (signatures are still checked): the mirrors reachable here
 * serve snapshots, and sid's Release is valid for a week only, so a snapshot older than that was
 * refused with "Release file ... is expired".
 */
async function aptPrivate(aptDir: string, suite: string, args: string[], cwd: string, options: AptOptions): Promise<void> {
  mkdirSync(path.join(aptDir, 'lists', 'partial'), { recursive: true });
  mkdirSync(path.join(aptDir, 'cache', 'archives', 'partial'), { recursive: true });
  writeFileSync(path.join(aptDir, 'sources.list'), `${sourceLines(suite).join('\n')}\n`);
  await run(
    'apt-get',
    [
      '-o',
      'Acquire::Check-Valid-Until=false',
      '-o',
      `Dir::Etc::SourceList=${path.join(aptDir, 'sources.list')}`,
      '-o',
      'Dir::Etc::SourceParts=/dev/null',
      '-o',
      `Dir::State::Lists=${path.join(aptDir, 'lists')}`,
      '-o',
      `Dir::Cache=${path.join(aptDir, 'cache')}`,
      '-o',
      'Debug::NoLocking=1',
      ...args,
    ],
    cwd,
    options,
  );
}

/**
 * Downloads packages of one suite and unpacks them into `dir`/root, replacing `dir` whole. Returns
 * the unpacked root. Only the unpacked files are kept; the .deb files and lists go.
 */
export async function unpackPrivately(
  dir: string,
  suite: string,
  packages: readonly string[],
  options: AptOptions = {},
): Promise<UnpackedPackages> {
  const staging = `${dir}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  // An interrupted CLI (signal teardown) removes it too.
  const forgetStaging = liveWork.addDir(staging);
  try {
    return await unpackInto(dir, staging, suite, packages, options);
  } finally {
    forgetStaging();
  }
}

async function unpackInto(
  dir: string,
  staging: string,
  suite: string,
  packages: readonly string[],
  options: AptOptions,
): Promise<UnpackedPackages> {
  const debs = path.join(staging, 'debs');
  const root = path.join(staging, 'root');
  mkdirSync(debs, { recursive: true });
  mkdirSync(root, { recursive: true });
  options.onLine?.(`downloading ${packages.join(' ')} from Debian ${suite} into ${dir}`);
  await aptPrivate(path.join(staging, 'apt'), suite, ['update', '-qq'], staging, options);
  await aptPrivate(path.join(staging, 'apt'), suite, ['download', ...packages], debs, options);
  const versions = new Map<string, string>();
  for (const deb of readdirSync(debs).filter((name) => name.endsWith('.deb'))) {
    await run('dpkg', ['-x', path.join(debs, deb), root], staging, options);
    // apt-get download names files NAME_VERSION_ARCH.deb, with ':' in versions written as %3a.
    const [name, version] = deb.split('_');
    if (name && version) versions.set(name, decodeURIComponent(version));
  }
  rmSync(debs, { recursive: true, force: true });
  rmSync(path.join(staging, 'apt'), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return { root: path.join(dir, 'root'), versions };
}

export interface UnpackedPackages {
  root: string;
  /** Package name -> the version that was unpacked. */
  versions: Map<string, string>;
}
