// Writes the per-run initramfs (uncompressed newc cpio: every kernel reads it and it saves the
// gzip time): static busybox, finsmod, the modules, /init and the optional guest script. Uses the
// kernel's own usr/gen_init_cpio when the tree has it, else the `cpio` tool on a staging folder.
import { chmodSync, copyFileSync, createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { describeCommand, describeOutcome } from '../process/describe';
import { runProcess } from '../process/runProcess';
import { renderInitScript, type GuestModule } from './initScript';

export interface InitramfsRequest {
  kdir: string;
  /** A folder of this run's own, for the list file, the staging tree and the image. */
  workDir: string;
  modules: readonly (GuestModule & { file: string })[];
  finsmod: string;
  busybox?: string;
  guestScript?: string | undefined;
  /** More files, e.g. /bin/rfl-bench or a compare run's modules; parent folders are created. */
  extraFiles?: readonly ExtraFile[];
  /** Replaces the /init rendered from `modules` (a compare run writes its own). */
  initScript?: string;
  signal?: AbortSignal;
}

export interface ExtraFile {
  /** Absolute path in the guest, e.g. `/bin/rfl-bench`. */
  guestPath: string;
  /** The host file. */
  file: string;
  mode: number;
}

/** Folders the base image always has (parents of extra files are added when missing). */
const BASE_DIRS = ['/dev', '/bin', '/proc', '/sys', '/lib', '/lib/modules'];

function extraDirs(files: readonly ExtraFile[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    for (let dir = path.posix.dirname(file.guestPath); dir !== '/' && !BASE_DIRS.includes(dir); dir = path.posix.dirname(dir))
      dirs.add(dir);
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

function checkGuestPath(guestPath: string): string {
  if (!/^(\/[\w.+-]+)+$/.test(guestPath)) throw new Error(`unexpected guest path "${guestPath}"`);
  return guestPath;
}

export interface InitramfsResult {
  image: string;
  writer: 'gen_init_cpio' | 'cpio';
  durationMs: number;
}

/** The static busybox from Debian's busybox-static (a dynamic one cannot run in the bare initramfs). */
export const DEFAULT_BUSYBOX = '/bin/busybox';

export async function writeInitramfs(request: InitramfsRequest): Promise<InitramfsResult> {
  const started = Date.now();
  const busybox = request.busybox ?? DEFAULT_BUSYBOX;
  if (!existsSync(busybox)) {
    throw new Error(`${busybox} not found: install the static busybox (Debian: apt-get install busybox-static).`);
  }
  mkdirSync(request.workDir, { recursive: true });
  const initFile = path.join(request.workDir, 'init');
  writeFileSync(initFile, request.initScript ?? renderInitScript(request.modules, request.guestScript !== undefined), { mode: 0o755 });
  const image = path.join(request.workDir, 'initramfs.cpio');
  const genInitCpio = path.join(request.kdir, 'usr', 'gen_init_cpio');
  if (existsSync(genInitCpio)) {
    await writeWithGenInitCpio(genInitCpio, request, busybox, initFile, image);
    return { image, writer: 'gen_init_cpio', durationMs: Date.now() - started };
  }
  await writeWithCpio(request, busybox, initFile, image);
  return { image, writer: 'cpio', durationMs: Date.now() - started };
}

function checkFileName(file: string): string {
  // gen_init_cpio's list format splits on whitespace: such paths go through a staged copy instead.
  if (/\s/.test(file)) throw new Error(`path with whitespace: ${file}`);
  return file;
}

async function writeWithGenInitCpio(
  tool: string,
  request: InitramfsRequest,
  busybox: string,
  initFile: string,
  image: string,
): Promise<void> {
  const staged = path.join(request.workDir, 'files');
  mkdirSync(staged, { recursive: true });
  // Copy every input under the run folder so the list never sees a user path (spaces, odd bytes).
  const stage = (from: string, name: string) => {
    const to = path.join(staged, name);
    copyFileSync(from, to);
    return checkFileName(to);
  };
  const list = [
    'dir /dev 0755 0 0',
    'nod /dev/console 0600 0 0 c 5 1',
    'dir /bin 0755 0 0',
    'dir /proc 0755 0 0',
    'dir /sys 0755 0 0',
    'dir /lib 0755 0 0',
    'dir /lib/modules 0755 0 0',
    `file /bin/busybox ${stage(busybox, 'busybox')} 0755 0 0`,
    'slink /bin/sh busybox 0777 0 0',
    `file /bin/finsmod ${stage(request.finsmod, 'finsmod')} 0755 0 0`,
    `file /init ${checkFileName(initFile)} 0755 0 0`,
    ...request.modules.map((module) => `file /lib/modules/${module.name}.ko ${stage(module.file, `${module.name}.ko`)} 0644 0 0`),
    ...(request.guestScript ? [`file /guest.sh ${stage(request.guestScript, 'guest.sh')} 0755 0 0`] : []),
    ...extraDirs(request.extraFiles ?? []).map((dir) => `dir ${dir} 0755 0 0`),
    ...(request.extraFiles ?? []).map(
      (extra, index) =>
        `file ${checkGuestPath(extra.guestPath)} ${stage(extra.file, `extra-${index}-${path.posix.basename(extra.guestPath)}`)} ${extra.mode.toString(8).padStart(4, '0')} 0 0`,
    ),
  ];
  const listFile = path.join(request.workDir, 'initramfs.list');
  writeFileSync(listFile, `${list.join('\n')}\n`);
  const out = createWriteStream(image);
  const args = [listFile];
  const result = await runProcess(tool, args, {
    cwd: request.workDir,
    timeoutMs: 60_000,
    stdoutSink: out,
    signal: request.signal,
  });
  out.end();
  await finished(out);
  if (result.exitCode !== 0) {
    throw new Error(`${describeCommand(tool, args, request.workDir)} failed (${describeOutcome(result, 60_000)}):\n${result.tail}`);
  }
}

async function writeWithCpio(request: InitramfsRequest, busybox: string, initFile: string, image: string): Promise<void> {
  const root = path.join(request.workDir, 'root');
  for (const dir of ['dev', 'bin', 'proc', 'sys', 'lib/modules']) mkdirSync(path.join(root, dir), { recursive: true });
  const place = (from: string, to: string, mode: number) => {
    copyFileSync(from, path.join(root, to));
    chmodSync(path.join(root, to), mode);
  };
  place(busybox, 'bin/busybox', 0o755);
  place(request.finsmod, 'bin/finsmod', 0o755);
  place(initFile, 'init', 0o755);
  for (const module of request.modules) place(module.file, `lib/modules/${module.name}.ko`, 0o644);
  if (request.guestScript) place(request.guestScript, 'guest.sh', 0o755);
  const extras = request.extraFiles ?? [];
  const dirs = extraDirs(extras).map((dir) => dir.slice(1));
  for (const dir of dirs) mkdirSync(path.join(root, dir), { recursive: true });
  for (const extra of extras) place(extra.file, checkGuestPath(extra.guestPath).slice(1), extra.mode);
  // cpio reads the names to pack from stdin; /dev/console is created by the kernel's devtmpfs.
  const names = [
    '.',
    'dev',
    'bin',
    'bin/busybox',
    'bin/finsmod',
    'proc',
    'sys',
    'lib',
    'lib/modules',
    'init',
    ...request.modules.map((module) => `lib/modules/${module.name}.ko`),
    ...(request.guestScript ? ['guest.sh'] : []),
    ...dirs,
    ...extras.map((extra) => extra.guestPath.slice(1)),
  ];
  const out = createWriteStream(image);
  const args = ['-o', '-H', 'newc', '--quiet'];
  const result = await runProcess('cpio', args, {
    cwd: root,
    timeoutMs: 60_000,
    stdin: `${names.join('\n')}\n`,
    stdoutSink: out,
    signal: request.signal,
  });
  out.end();
  await finished(out);
  if (result.exitCode !== 0) {
    throw new Error(`${describeCommand('cpio', args, root)} failed (${describeOutcome(result, 60_000)}):\n${result.tail}`);
  }
}
