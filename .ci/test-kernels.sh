#!/usr/bin/env bash
# Prepares the project's test kernels (Linux 6.12, 6.1 and 7.2 from Debian's linux-source packages) on a
# Debian 12 machine, and writes their build folders to an env file that test/kernel reads:
#   export RFL_TEST_KDIR_6_12=...   export RFL_TEST_KDIR_6_1=...   export RFL_TEST_KDIR_7_2=...
# A thin caller of `rfl kernel prepare --debian SERIES`: which toolchain fits which kernel, and how to
# get it from Debian, lives in the product (src/core/debian/kernelRecipes.ts). Everything is cached
# under ${RFL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust-for-linux}, so a second run takes seconds.
#
# usage: .ci/test-kernels.sh            (kernels: $RFL_TEST_KERNELS, default "6.12 6.1 7.2")
# Can also be sourced (scripts/demo.sh and the other set-up scripts do) to use its functions.
set -euo pipefail
# Without it `set -e` is off inside $(...), and most functions here run in one (kdir=$(rfl_prepare_kernel ...)).
shopt -s inherit_errexit

RFL_ROOT=${RFL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
RFL_CACHE=${RFL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust-for-linux}  # as src/core/cache/cachePaths.ts
export RFL_CACHE
RFL_TEST_ENV_FILE=${RFL_TEST_ENV_FILE:-$RFL_CACHE/test-kernels.env}

rfl_log() { echo "test-kernels: $*" >&2; }

rfl_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the named Debian packages that are not installed yet (no apt-get update when none is missing).
# Every function here may run inside $(...), where stdout is its value: tool output goes to stderr only.
rfl_apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  rfl_log "installing ${missing[*]}"
  # Waits for another apt-get (a second set-up script, unattended upgrades) instead of failing at once.
  rfl_sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  rfl_sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# What `rfl load` needs to boot a kernel (the kernel build's own packages come with `rfl kernel prepare`).
rfl_install_common() {
  rfl_apt_install qemu-system-x86 busybox-static cpio debian-archive-keyring ca-certificates
}

# apt-get against one Debian suite (main) with its lists and caches in DIR: the system's sources,
# lists and caches stay untouched. Release files are not refused for being past their Valid-Until
# date: this workplace's Debian mirror serves snapshots, and sid's Release is valid for a week only
# (CI once failed with "Release file ... is expired"); the signatures are still checked.
# usage: rfl_apt_suite DIR SUITE APT-GET-ARGS...
rfl_apt_suite() {
  local dir=$1 suite=$2; shift 2
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" > "$dir/sources.list"
  apt-get -o Acquire::Check-Valid-Until=false \
    -o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o Debug::NoLocking=1 "$@"
}

# Downloads packages of one Debian suite and unpacks them into DIR/root, replacing DIR whole (an
# interrupted run leaves only DIR.tmp). Only the unpacked files are kept: the debs and lists go.
# usage: rfl_unpack_private_debs DIR SUITE PACKAGE...
rfl_unpack_private_debs() {
  local dir=$1 suite=$2; shift 2
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
  rfl_apt_suite "$dir.tmp/apt" "$suite" update -qq >&2
  (cd "$dir.tmp/debs" && rfl_apt_suite "$dir.tmp/apt" "$suite" download "$@" >&2)
  local deb
  for deb in "$dir.tmp"/debs/*.deb; do dpkg -x "$deb" "$dir.tmp/root"; done
  rm -rf "$dir.tmp/debs" "$dir.tmp/apt"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

# Builds the CLI when dist/ is missing or older than the sources.
rfl_ensure_cli() {
  if [ ! -d "$RFL_ROOT/node_modules" ]; then (cd "$RFL_ROOT" && npm ci --ignore-scripts --no-audit --no-fund >&2); fi
  if [ ! -f "$RFL_ROOT/dist/cli.js" ] || [ -n "$(find "$RFL_ROOT/src" -newer "$RFL_ROOT/dist/cli.js" -name '*.ts' -print -quit)" ]; then
    (cd "$RFL_ROOT" && npm run build >&2)
  fi
}

# Prepares one kernel series (Debian's source and the toolchain that fits it) and prints its build folder.
rfl_prepare_kernel() {
  local series=$1 kdir
  rfl_ensure_cli
  rfl_log "preparing Linux $series (first time 3-10 min with 2 cores; cached afterwards)"
  kdir=$(node "$RFL_ROOT/dist/cli.js" kernel prepare --debian "$series" --quiet | tail -n1)
  [ -d "$kdir" ] || { rfl_log "rfl kernel prepare printed no folder for $series"; return 1; }
  echo "$kdir"
}

rfl_test_kernels_main() {
  rfl_install_common
  local version kdir var lines=()
  for version in ${RFL_TEST_KERNELS:-6.12 6.1 7.2}; do
    kdir=$(rfl_prepare_kernel "$version")
    var=RFL_TEST_KDIR_${version//./_}
    export "$var=$kdir"
    lines+=("export $var=$kdir")
  done
  mkdir -p "$(dirname "$RFL_TEST_ENV_FILE")"
  # Keep the other kernels' lines from an earlier run (RFL_TEST_KERNELS may name only one).
  local old=()
  if [ -f "$RFL_TEST_ENV_FILE" ]; then
    local line
    while IFS= read -r line; do
      var=${line#export }; var=${var%%=*}
      printf '%s\n' "${lines[@]}" | grep -q "^export $var=" || old+=("$line")
    done < "$RFL_TEST_ENV_FILE"
  fi
  printf '%s\n' "${old[@]}" "${lines[@]}" | grep -v '^$' > "$RFL_TEST_ENV_FILE"
  rfl_log "wrote $RFL_TEST_ENV_FILE"
  printf '%s\n' "${lines[@]}"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  rfl_test_kernels_main "$@"
fi
