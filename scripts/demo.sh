#!/usr/bin/env bash
# The README's main command: on a fresh Debian 12 machine, installs what is missing (Debian
# packages, node_modules), prepares the Linux 6.12 test kernel once (cached under
# ${RFL_CACHE:-~/.cache/rust-for-linux}), then builds examples/rust_hello and loads and unloads it
# in QEMU with `rfl load`, exiting with its status. Extra arguments go to `rfl load`
# (e.g. --accel tcg, --timeout 30).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The kernel preparation is shared with CI: same functions, same cache.
# shellcheck source=../.ci/test-kernels.sh
. "$ROOT/.ci/test-kernels.sh"

command -v node >/dev/null || { echo "demo: Node.js 20 or newer is needed (https://nodejs.org or apt-get install nodejs)" >&2; exit 2; }
rfl_install_common
rfl_ensure_cli
KDIR=$(rfl_prepare_kernel 6.12)
echo "demo: kernel $KDIR" >&2
status=0
node "$ROOT/dist/cli.js" load --kdir "$KDIR" "$@" "$ROOT/examples/rust_hello" || status=$?
exit "$status"
