// The configuration fragment merged over `make tinyconfig` for test kernels: the smallest kernel that
// boots in QEMU from an initramfs, prints to the serial console and loads Rust modules.
// Beyond the reference fragment (../shared/reference/test-kernels.md): tinyconfig turns CONFIG_BUG
// off, and then a WARN prints nothing at all; DEBUG_BUGVERBOSE puts file:line on BUG/WARN lines;
// KALLSYMS gives function names in call traces instead of bare addresses.
export const TEST_KERNEL_FRAGMENT = `CONFIG_64BIT=y
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_PRINTK=y
CONFIG_TTY=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_BLK_DEV_INITRD=y
CONFIG_RD_GZIP=y
CONFIG_BINFMT_ELF=y
CONFIG_BINFMT_SCRIPT=y
CONFIG_DEVTMPFS=y
CONFIG_DEVTMPFS_MOUNT=y
CONFIG_PROC_FS=y
CONFIG_SYSFS=y
CONFIG_RUST=y
CONFIG_SAMPLES=y
CONFIG_SAMPLES_RUST=y
CONFIG_SAMPLE_RUST_MINIMAL=m
CONFIG_FUTEX=y
CONFIG_POSIX_TIMERS=y
# CONFIG_MODVERSIONS is not set
# CONFIG_DEBUG_INFO_BTF is not set
CONFIG_BUG=y
CONFIG_DEBUG_BUGVERBOSE=y
CONFIG_KALLSYMS=y
`;

// KUnit built in, without KUnit's own suites, so that a module's `#[kunit_tests]` (6.15+) run when it
// is loaded and the log holds only its tests (../shared/reference/kunit.md). Older kernels lack the
// macro, so they keep the smaller configuration and their cache key.
export const KUNIT_FRAGMENT = `CONFIG_KUNIT=y
# CONFIG_KUNIT_TEST is not set
# CONFIG_KUNIT_EXAMPLE_TEST is not set
# CONFIG_KUNIT_ALL_TESTS is not set
`;

/** The first kernel whose Rust has `#[kunit_tests]`. */
export const KUNIT_TESTS_SINCE = { version: 6, patchlevel: 15 } as const;

export function hasKunitTestsMacro(version: { version: number; patchlevel: number }): boolean {
  return (
    version.version > KUNIT_TESTS_SINCE.version ||
    (version.version === KUNIT_TESTS_SINCE.version && version.patchlevel >= KUNIT_TESTS_SINCE.patchlevel)
  );
}

/** The fragment for one kernel version: the base, KUnit where modules can carry tests, then the caller's lines. */
export function testKernelFragment(version: { version: number; patchlevel: number }, extraConfig?: string): string {
  return TEST_KERNEL_FRAGMENT + (hasKunitTestsMacro(version) ? KUNIT_FRAGMENT : '') + (extraConfig ? `\n${extraConfig}\n` : '');
}
