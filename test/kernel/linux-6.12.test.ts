// Real-kernel tests on the Linux 6.12 test kernel ($RFL_TEST_KDIR_6_12, from .ci/test-kernels.sh).
import { defineKernelTests } from './loadCases';

defineKernelTests('6.12');
