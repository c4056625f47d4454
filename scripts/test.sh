#!/usr/bin/env bash
# The README's test command: on a fresh Debian 12 machine, installs what the tests need (Debian
# packages, npm packages, the 6.1, 6.12 and 7.2 test kernels, the real VS Code and the editors, all
# cached under ~/.cache/rust-for-linux), then runs every test tier with `npm test`.
# Any failed set-up step stops it at once with the reason: no tier runs on a half-prepared machine.
#
# usage: scripts/test.sh [--setup-only]
set -euo pipefail
shopt -s inherit_errexit
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SETUP_ONLY=0
case ${1:-} in
  --setup-only) SETUP_ONLY=1 ;;
  '') ;;
  *) echo "test: unknown argument '$1' (usage: scripts/test.sh [--setup-only])" >&2; exit 2 ;;
esac
. "$ROOT/.ci/test-kernels.sh"

fail() { echo "test: $* failed (see above); no tests were run" >&2; exit 1; }

# The real clippy that the linter is compared with (Debian's rust-web-clippy 1.96).
rfl_apt_install rust-web-clippy rustc-web || fail "installing clippy"
# npm's install scripts are skipped: the grammar is used as wasm, and tree-sitter-rust's native
# build is neither needed nor always buildable offline.
rfl_ensure_cli || fail "installing npm packages"
npm run build >&2 || fail "the build"

# Prepares (or reuses) the test kernels and exports RFL_TEST_KDIR_6_12 / RFL_TEST_KDIR_6_1 /
# RFL_TEST_KDIR_7_2. Not `eval "$(...)"`: eval of an empty string succeeds, so a failed preparation
# would go unnoticed.
kernels_env=$(rfl_test_kernels_main) || fail "preparing the test kernels"
eval "$kernels_env"
# The real VS Code (code-server) and chromium for the VS Code tier.
"$ROOT/.ci/vscode-setup.sh" >/dev/null || fail "setting up VS Code"
for setup in "$ROOT"/.ci/*-setup.sh; do
  [ "$setup" = "$ROOT/.ci/vscode-setup.sh" ] && continue
  "$setup" >/dev/null || fail "$(basename "$setup")"
done

if [ "$SETUP_ONLY" -eq 1 ]; then
  echo "test: set-up complete (kernels: ${kernels_env//$'\n'/ })" >&2
  exit 0
fi
CI=${CI:-1} npm test
