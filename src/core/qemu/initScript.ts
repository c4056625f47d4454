// The guest's /init: mounts, loads each module with one finit_module call (dependencies first), runs
// the user's guest script, unloads in reverse order, and prints `@@rfl:` markers that the console
// parser turns into the verdict. Ends with `reboot -f`: with QEMU's -no-reboot that ends the VM
// (`poweroff -f` only halts a kernel without ACPI, and QEMU would never exit).

export const MARKER = '@@rfl:';

export interface GuestModule {
  name: string;
  /** finit_module parameter string, e.g. `count=3 name=x`. */
  params: string;
  /** Dependencies are loaded and unloaded like the rest but are not the subject of the run. */
  isDependency: boolean;
}

/** Single-quotes a word for busybox sh. */
export function shQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

const MODULE_NAME = /^[A-Za-z0-9_]+$/;

export function renderInitScript(modules: readonly GuestModule[], hasGuestScript: boolean): string {
  for (const module of modules) {
    // Names become file names and words in the script: refuse anything unusual outright.
    if (!MODULE_NAME.test(module.name)) throw new Error(`unexpected module name "${module.name}"`);
  }
  const lines = [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s /bin',
    'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null',
    // Every level on the console, so pr_debug-free modules show all their lines.
    'echo 8 > /proc/sys/kernel/printk',
    // Every marker goes through mark. A marker echoed to the console sits in the serial port's send buffer
    // while the next command runs, and the kernel's console writes its lines straight to the port in between:
    // a module's init line could land inside the `insmod-start` marker and be lost to the parser (seen once on
    // 6.1 under TCG). stty sets its (unchanged) mode with TCSADRAIN, which returns only once the port has
    // sent everything written so far.
    `mark() { echo "${MARKER}$*"; stty onlcr 2>/dev/null; }`,
    'mark init kernel=$(uname -r)',
    'failed=0',
  ];
  for (const module of modules) {
    lines.push(
      `if [ $failed -eq 0 ]; then`,
      `  mark insmod-start name=${module.name}`,
      `  /bin/finsmod /lib/modules/${module.name}.ko ${shQuote(module.params)}; rc=$?`,
      `  mark insmod name=${module.name} rc=$rc`,
      `  [ $rc -eq 0 ] && loaded="${module.name} $loaded" || failed=1`,
      'fi',
    );
  }
  if (hasGuestScript) {
    lines.push('if [ $failed -eq 0 ]; then', '  mark guest-start', '  /bin/sh /guest.sh; mark guest rc=$?', 'fi');
  }
  lines.push(
    'for m in $loaded; do',
    '  mark rmmod-start name=$m',
    '  rmmod $m; mark rmmod name=$m rc=$?',
    'done',
    'mark modules-begin; cat /proc/modules; mark modules-end',
    'mark done',
    'reboot -f',
    '',
  );
  return lines.join('\n');
}
