// The guest's /init for a compare run: one boot, then for each round module A is loaded, the
// workload runs, A is unloaded, and the same for B (ABAB…, so both share the VM's slowdown). Each
// side's turn is wrapped in `@@rfl:cmp-begin/cmp-end` and carries the markers the console parser
// already reads (init, insmod, guest, rmmod, /proc/modules, done), so every turn can be judged like
// one `rfl load`. The workload's output goes to a file and is logged with `@@rfl:out ` in front
// of each line, through /dev/kmsg like every other line /init says, so no kernel line cuts into it.
import { MARKER, shQuote } from '../qemu/initScript';

export type Side = 'a' | 'b';

export interface CompareGuestModule {
  side: Side;
  /** Module name (also what rmmod takes and, for misc devices, the /dev node). */
  name: string;
}

export const WORKLOAD_GUEST_PATH = '/workload.sh';
export const OUTPUT_MARKER = `${MARKER}out `;

export function moduleGuestPath(module: CompareGuestModule): string {
  return `/lib/modules/${module.side}/${module.name}.ko`;
}

const MODULE_NAME = /^[A-Za-z0-9_]+$/;

export function renderCompareInit(modules: readonly [CompareGuestModule, CompareGuestModule], rounds: number): string {
  for (const module of modules) if (!MODULE_NAME.test(module.name)) throw new Error(`unexpected module name "${module.name}"`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, not ${rounds}`);
  const turns = modules.map((module) => `  turn ${module.side} ${module.name} ${shQuote(moduleGuestPath(module))} $r`);
  return [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s /bin',
    'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null',
    'mkdir -p /tmp; mount -t tmpfs tmp /tmp',
    'echo 8 > /proc/sys/kernel/printk',
    // Everything /init says from here on goes through the kernel log (/dev/kmsg) instead of the
    // tty: printk and tty output reach the serial console by different paths and can cut into each
    // other mid-line (a module's `exit:` line landed inside a workload output line that way). One
    // writer keeps every line whole. Unlimited, or the kernel drops all but 10 lines per 5 s.
    'echo on > /proc/sys/kernel/printk_devkmsg 2>/dev/null',
    'say() { printf \'%s\\n\' "$1" > /dev/kmsg; }',
    `say "${MARKER}cmp-start kernel=$(uname -r)"`,
    // ftrace needs CONFIG_FTRACE; tinyconfig kernels have no tracefs at all. Said plainly in the report.
    'if mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null && [ -r /sys/kernel/tracing/available_tracers ]; then',
    `  say "${MARKER}cmp-ftrace available=1 tracers=$(tr ' ' ',' < /sys/kernel/tracing/available_tracers)"`,
    'else',
    `  say "${MARKER}cmp-ftrace available=0"`,
    'fi',
    // turn SIDE NAME KO ROUND
    'turn() {',
    `  say "${MARKER}cmp-begin round=$4 side=$1"`,
    `  say "${MARKER}init kernel=$(uname -r)"`,
    `  say "${MARKER}insmod-start name=$2"`,
    `  /bin/finsmod "$3" '' > /tmp/finsmod 2>&1; rc=$?`,
    '  while IFS= read -r line || [ -n "$line" ]; do say "$line"; done < /tmp/finsmod',
    `  say "${MARKER}insmod name=$2 rc=$rc"`,
    '  if [ $rc -eq 0 ]; then',
    `    say "${MARKER}guest-start"`,
    `    RFL_MODULE=$2 RFL_DEV=/dev/$2 /bin/sh ${WORKLOAD_GUEST_PATH} > /tmp/out 2>&1 < /dev/null; wrc=$?`,
    `    say "${MARKER}guest rc=$wrc"`,
    `    while IFS= read -r line || [ -n "$line" ]; do say "${OUTPUT_MARKER}$line"; done < /tmp/out`,
    `    say "${MARKER}rmmod-start name=$2"`,
    `    rmmod $2 > /tmp/rmmod 2>&1; rrc=$?`,
    '    while IFS= read -r line || [ -n "$line" ]; do say "$line"; done < /tmp/rmmod',
    `    say "${MARKER}rmmod name=$2 rc=$rrc"`,
    '  fi',
    `  say "${MARKER}modules-begin"; while IFS= read -r line; do say "$line"; done < /proc/modules; say "${MARKER}modules-end"`,
    `  say "${MARKER}done"`,
    `  say "${MARKER}cmp-end round=$4 side=$1"`,
    '}',
    'r=1',
    `while [ $r -le ${rounds} ]; do`,
    ...turns,
    '  r=$((r + 1))',
    'done',
    `say "${MARKER}cmp-finished"`,
    'reboot -f',
    '',
  ].join('\n');
}
