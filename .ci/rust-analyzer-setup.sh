#!/usr/bin/env bash
# Prepares (or reuses) the real rust-analyzer that the rust-analyzer tests run: Debian unstable's
# rust-analyzer 1.97.1, unpacked with its run-time closure into a private folder and started through
# sid's own loader (Debian 12 has no rust-analyzer; sid's needs a newer glibc). Nothing is installed
# system-wide. See ../shared/reference/editor-clients.md.
#
# Prints one env line on stdout, and writes it to <folder>/env: `export RFL_RUST_ANALYZER=<wrapper>`,
# a script that runs it (all other output goes to stderr). Idempotent and cached under
# ${RFL_CACHE:-$HOME/.cache/rust-for-linux}/toolchains/rust-analyzer-sid.
#
# usage: eval "$(.ci/rust-analyzer-setup.sh)" && "$RFL_RUST_ANALYZER" --version
set -euo pipefail
shopt -s inherit_errexit

RFL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# rfl_unpack_private_debs, rfl_log, shared with the kernel tests' setup.
. "$RFL_ROOT/.ci/test-kernels.sh"

dir=${RFL_TOOLCHAINS:-$RFL_CACHE/toolchains}/rust-analyzer-sid
wrapper=$dir/rust-analyzer

# Prints (and records in $dir/env) the env line when WRAPPER runs rust-analyzer 1.x; else says what it runs.
rfl_check_rust_analyzer() {
  "$1" --version 2>/dev/null | grep -q '^rust-analyzer 1\.' || { rfl_log "unexpected rust-analyzer: $("$1" --version 2>&1)"; return 1; }
  echo "export RFL_RUST_ANALYZER='$1'" > "$dir/env"
  cat "$dir/env"
}

if [ -x "$wrapper" ] && rfl_check_rust_analyzer "$wrapper" 2>/dev/null; then exit 0; fi
rfl_log "fetching Debian unstable's rust-analyzer into $dir"
rfl_apt_install debian-archive-keyring ca-certificates
rfl_unpack_private_debs "$dir" sid rust-analyzer libstd-rust-1.97 libllvm22 libc6 libgcc-s1 libstdc++6 \
  libzstd1 zlib1g libffi8 libxml2-16 libedit2 libtinfo6 libbsd0 libmd0 liblzma5 libicu78 libz3-4 libgomp1
# The sid binary through sid's loader and libraries; $0 stays the wrapper, which rust-analyzer does not need.
cat > "$wrapper" <<WRAPPER
#!/bin/sh
# Debian unstable's rust-analyzer through its own loader and libraries (all private, see .ci/rust-analyzer-setup.sh).
D='$dir/root'
exec "\$D/usr/lib64/ld-linux-x86-64.so.2" --library-path "\$D/usr/lib/x86_64-linux-gnu:\$D/lib/x86_64-linux-gnu" "\$D/usr/bin/rust-analyzer" "\$@"
WRAPPER
chmod 755 "$wrapper"
rfl_check_rust_analyzer "$wrapper"
