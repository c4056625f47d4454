// Whether a kernel build folder can run a module's `#[kunit_tests]`: the macro exists from 6.15 on, and
// the suites run at load time only with KUnit built in (`CONFIG_KUNIT=y`; the macro compiles the tests
// out otherwise, so the module would load and print nothing).
import { readKernelConfig, readKernelVersion } from '../kernel/kernelTree';
import { hasKunitTestsMacro, KUNIT_TESTS_SINCE } from '../kernel/testKernelConfig';

export type KunitSupport = { ok: true; version: string } | { ok: false; reason: string };

export function kunitSupport(kdir: string): KunitSupport {
  const version = readKernelVersion(kdir);
  if (!version) return { ok: false, reason: `${kdir} has no kernel Makefile with a version: is it a kernel build folder?` };
  const since = `${KUNIT_TESTS_SINCE.version}.${KUNIT_TESTS_SINCE.patchlevel}`;
  if (!hasKunitTestsMacro(version)) {
    return {
      ok: false,
      reason: `Linux ${version.text} has no #[kunit_tests] macro (it came in ${since}): a module's Rust tests need a ${since} or later kernel (rfl kernel prepare --source TARBALL builds one from a 6.15+ source)`,
    };
  }
  const kunit = readKernelConfig(kdir)?.get('CONFIG_KUNIT');
  if (kunit !== 'y') {
    return {
      ok: false,
      reason: `the kernel in ${kdir} is built without KUnit (CONFIG_KUNIT=${kunit ?? 'unset'}): #[kunit_tests] modules compile their tests out. Rebuild it with CONFIG_KUNIT=y (rfl kernel prepare does this for ${since}+ kernels)`,
    };
  }
  return { ok: true, version: version.text };
}
