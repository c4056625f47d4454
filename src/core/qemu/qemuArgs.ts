// The QEMU command line for one run: serial console on stdio, nothing else attached, and a kernel
// command line that turns a panic into an immediate exit (panic=-1 reboots, -no-reboot exits).
export type Accel = 'kvm' | 'tcg';

export interface QemuRequest {
  bzImage: string;
  initramfs: string;
  accel: Accel;
  memoryMiB?: number;
  /** Extra kernel command-line words. */
  append?: readonly string[];
}

export const QEMU = 'qemu-system-x86_64';

export function kernelCommandLine(extra: readonly string[] = []): string {
  return [
    'console=ttyS0',
    // Reboot at once on panic; with -no-reboot QEMU then exits instead of hanging in the panic loop.
    'panic=-1',
    // Every printk level on the console (pr_info! included) from the first line on.
    'loglevel=8',
    // A triple-fault reboot skips the keyboard-controller dance and saves a few hundred ms at exit.
    'reboot=t',
    // The PS/2 mouse probe finishes only after /init is done and delays the reboot by about 0.5 s.
    'i8042.noaux',
    ...extra,
  ].join(' ');
}

export function qemuArgs(request: QemuRequest): string[] {
  return [
    '-accel',
    request.accel,
    '-m',
    String(request.memoryMiB ?? 256),
    '-smp',
    '1',
    // No default NIC (its iPXE ROM slows the BIOS), no VGA, no monitor: only the serial console.
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-serial',
    'stdio',
    '-monitor',
    'none',
    '-no-reboot',
    '-kernel',
    request.bzImage,
    '-initrd',
    request.initramfs,
    '-append',
    kernelCommandLine(request.append),
  ];
}
