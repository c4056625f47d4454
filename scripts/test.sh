#!/usr/bin/env bash
# The README's test command: on a fresh Debian 12 machine, installs what the tests need (Debian
# packages, npm packages, the 6.1, 6.12 and 7.2 test kernels, all cached under
# ~/.cache/rust-for-linux), then runs every test tier with `npm test`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. "$ROOT/.ci/test-kernels.sh"

# The real clippy that the linter is compared with (Debian's rust-web-clippy 1.96).
rfl_apt_install rust-web-clippy rustc-web
# npm's install scripts are skipped: the grammar is used as wasm, and tree-sitter-rust's native
# build is neither needed nor always buildable offline.
rfl_ensure_cli
npm run build >&2

# Prepares (or reuses) the test kernels and exports RFL_TEST_KDIR_6_12 / RFL_TEST_KDIR_6_1 /
# RFL_TEST_KDIR_7_2.
# Not `eval "$(...)"`: eval of an empty string succeeds, so a failed preparation would go unnoticed.
kernels_env=$(rfl_test_kernels_main) || { echo "test: preparing the test kernels failed (see above); no tests were run" >&2; exit 1; }
eval "$kernels_env"

CI=${CI:-1} npm test
