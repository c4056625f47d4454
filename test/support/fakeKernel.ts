// Stand-ins for the programs the CLI starts (make, qemu-system-x86_64), put first on PATH, and the
// smallest folders the CLI accepts as a kernel tree, a kernel source and a module. The stand-ins
// record their pids (and those of the children they start) so a test can check that none survives.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface FakeWorld {
  root: string;
  bin: string;
  /** Each stand-in appends `NAME PID` lines here: its own pid and its children's. */
  pidFile: string;
  kdir: string;
  moduleDir: string;
  source: string;
  cache: string;
  /** TMPDIR for the CLI, so a test sees every temporary folder it makes. */
  tmp: string;
  /** The environment to run `rfl` in. */
  env: NodeJS.ProcessEnv;
}

/**
 * make: records itself, then
 *  - `sleep` (default) starts a child that ignores SIGTERM (so only SIGKILL ends it) and waits;
 *  - `orphan` starts such a child and exits at once, the child holding the output pipe;
 *  - `kernel` acts out a kernel build quickly (tinyconfig writes .config, the build writes bzImage,
 *    rust/libkernel.rmeta and Module.symvers), taking FAKE_MAKE_SECONDS (set in env) for the build.
 * FAKE_MAKE_MODE picks one. The folder is O= when given, else -C, else the current one.
 */
const FAKE_MAKE = String.raw`#!/bin/sh
echo "make $$" >> "$FAKE_PIDS"
out=.
for arg in "$@"; do
  case "$arg" in
    O=*) out=$(printf '%s' "$arg" | sed 's/^O=//') ;;
  esac
done
mode=$FAKE_MAKE_MODE
[ -n "$mode" ] || mode=sleep
case "$mode" in
  sleep)
    sh -c "trap '' TERM; exec sleep 300" &
    echo "make-child $!" >> "$FAKE_PIDS"
    echo "fake make: building"
    wait
    ;;
  orphan)
    sh -c "trap '' TERM; exec sleep 300" &
    echo "make-child $!" >> "$FAKE_PIDS"
    echo "fake make: left a child behind"
    exit 0
    ;;
  kernel)
    echo "make-run $*" >> "$FAKE_PIDS.runs"
    case " $* " in
      *" tinyconfig "*) : > "$out/.config" ;;
      *" rustavailable "*|*" olddefconfig "*) ;;
      *)
        sleep "$FAKE_MAKE_SECONDS"
        mkdir -p "$out/arch/x86/boot" "$out/rust"
        echo image > "$out/arch/x86/boot/bzImage"
        echo meta > "$out/rust/libkernel.rmeta"
        : > "$out/Module.symvers"
        ;;
    esac
    ;;
esac
`;

/** qemu-system-x86_64: records itself and a child that ignores SIGTERM, prints a banner, waits. */
const FAKE_QEMU = String.raw`#!/bin/sh
echo "qemu $$" >> "$FAKE_PIDS"
sh -c "trap '' TERM; exec sleep 300" &
echo "qemu-child $!" >> "$FAKE_PIDS"
echo "Linux version 6.12.0 (fake)"
wait
`;

function write(file: string, text: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
}

export function makeFakeWorld(prefix: string): FakeWorld {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  const bin = path.join(root, 'bin');
  const pidFile = path.join(root, 'pids');
  write(path.join(bin, 'make'), FAKE_MAKE, 0o755);
  write(path.join(bin, 'qemu-system-x86_64'), FAKE_QEMU, 0o755);

  const kdir = path.join(root, 'kernel');
  write(path.join(kdir, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n');
  write(path.join(kdir, '.config'), 'CONFIG_RUST=y\n');
  write(path.join(kdir, 'rust', 'libkernel.rmeta'), 'meta');
  write(path.join(kdir, 'Module.symvers'), '');
  write(path.join(kdir, 'arch', 'x86', 'boot', 'bzImage'), 'image');

  const moduleDir = path.join(root, 'module');
  write(path.join(moduleDir, 'Kbuild'), 'obj-m := hello.o\n');
  write(path.join(moduleDir, 'hello.rs'), '// stand-in\n');
  // The .modinfo strings a loader reads; nothing boots it.
  write(path.join(moduleDir, 'hello.ko'), '\0name=hello\0depends=\0');

  const source = path.join(root, 'linux-src');
  write(path.join(source, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n');

  const cache = path.join(root, 'cache');
  const tmp = path.join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    FAKE_PIDS: pidFile,
    FAKE_MAKE_SECONDS: '0',
    RFL_CACHE: cache,
    TMPDIR: tmp,
  };
  for (const name of ['RFL_KDIR', 'RFL_BINDGEN', 'RFL_RUSTDOC', 'RFL_CLIPPY_DRIVER']) delete env[name];
  // A named rustc keeps `rfl kernel prepare` from fetching Debian's toolchain for the version.
  env.RFL_RUSTC = 'rustc';
  return { root, bin, pidFile, kdir, moduleDir, source, cache, tmp, env };
}

/** The `NAME PID` lines the stand-ins recorded so far. */
export function recordedPids(world: FakeWorld): { name: string; pid: number }[] {
  let text = '';
  try {
    text = readFileSync(world.pidFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name = '', pid = ''] = line.split(' ');
      return { name, pid: Number(pid) };
    });
}
