// The exit codes live in src/core/exitCodes.ts, below every folder of the core, so that the load
// verdict (src/core/qemu) can use them without importing the task layer that imports it.
export { EXIT_FAILED, EXIT_OK, EXIT_SETUP } from '../exitCodes';
