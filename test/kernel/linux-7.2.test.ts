// Real-kernel tests on the Linux 7.2 test kernel ($RFL_TEST_KDIR_7_2, from .ci/test-kernels.sh).
import { defineKernelTests } from './loadCases';

defineKernelTests('7.2');
