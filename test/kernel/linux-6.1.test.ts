// Real-kernel tests on the Linux 6.1 test kernel ($RFL_TEST_KDIR_6_1, from .ci/test-kernels.sh).
import { defineKernelTests } from './loadCases';

defineKernelTests('6.1');
