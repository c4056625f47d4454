// The exit codes of every command, the same for `rfl` and for a VS Code task (whose terminal reports
// the code the task ends with), so that CI and the editor agree on what a run meant.

/** Ran and found nothing wrong. */
export const EXIT_OK = 0;
/** Ran and found a problem: lint findings, a failed build, clippy warnings, a bad load verdict. */
export const EXIT_FAILED = 1;
/** Could not run: a usage error, no usable kernel folder, a missing tool, an I/O error. */
export const EXIT_SETUP = 2;
