#!/usr/bin/env bash
# Prepares the project's test kernels (Linux 6.12, 6.1 and 7.2 from Debian's linux-source packages) on a
# Debian 12 machine, and writes their build folders to an env file that test/kernel reads:
#   export RFL_TEST_KDIR_6_12=...   export RFL_TEST_KDIR_6_1=...   export RFL_TEST_KDIR_7_2=...
# Everything is cached under ${RFL_CACHE:-$HOME/.cache/rust-for-linux}, so a second run takes
# seconds. Nothing is installed system-wide beyond Debian 12 packages: 6.12 needs bindgen >= 0.65
# (bookworm has 0.60), so Debian 13's bindgen runs from a private folder through its own loader;
# 6.1 needs rustc 1.63, which conflicts with rustc-web's /usr/bin/rustc, so it is unpacked privately;
# 7.2 is only in Debian unstable (its source package is downloaded and cached, not installed) and
# needs libclang >= 17 for bindgen (bookworm has 14, hence a GCC build and Debian 13's libclang 19).
#
# usage: .ci/test-kernels.sh            (kernels: $RFL_TEST_KERNELS, default "6.12 6.1 7.2")
# Can also be sourced (scripts/demo.sh does) to use its functions.
set -euo pipefail
# Without it `set -e` is off inside $(...), and most functions here run in one (kdir=$(rfl_prepare_kernel ...)).
shopt -s inherit_errexit

RFL_ROOT=${RFL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
RFL_CACHE=${RFL_CACHE:-$HOME/.cache/rust-for-linux}
export RFL_CACHE
RFL_TOOLCHAINS=$RFL_CACHE/toolchains
RFL_TEST_ENV_FILE=${RFL_TEST_ENV_FILE:-$RFL_CACHE/test-kernels.env}
# Downloaded kernel sources (Debian packages that bookworm does not have), named by package version.
RFL_SOURCES=$RFL_CACHE/sources

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

# What both kernels and the QEMU runner need.
rfl_install_common() {
  rfl_apt_install make gcc libc6-dev clang llvm lld flex bison bc libelf-dev libssl-dev cpio xz-utils \
    busybox-static qemu-system-x86 debian-archive-keyring ca-certificates
}

# apt-get against one Debian suite (main) with its lists and caches in DIR: the system's sources,
# lists and caches stay untouched. usage: rfl_apt_suite DIR SUITE APT-GET-ARGS...
rfl_apt_suite() {
  local dir=$1 suite=$2; shift 2
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" > "$dir/sources.list"
  apt-get -o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
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

# Prints WRAPPER when it runs bindgen 0.71; else says what it runs instead and fails.
rfl_check_bindgen() {
  "$1" --version 2>/dev/null | grep -q '^bindgen 0\.71' || { rfl_log "unexpected bindgen: $("$1" --version 2>&1)"; return 1; }
  echo "$1"
}

# bindgen 0.71 (Debian 13) run through Debian 13's loader and glibc, with bookworm's libclang 14
# (a kernel built with LLVM=1 and clang 14 passes clang-14-only flags to bindgen).
rfl_setup_bindgen_trixie() {
  local dir=$RFL_TOOLCHAINS/bindgen-0.71-trixie
  if [ -x "$dir/bindgen" ] && rfl_check_bindgen "$dir/bindgen" 2>/dev/null; then return 0; fi
  rfl_log "fetching Debian 13's bindgen into $dir"
  rfl_apt_install libclang1-14
  rfl_unpack_private_debs "$dir" trixie bindgen libc6 libgcc-s1
  cat > "$dir/bindgen" <<EOF
#!/bin/sh
# Debian 13 bindgen through Debian 13's own loader and glibc, loading bookworm's libclang 14.
D='$dir/root'
export LIBCLANG_PATH="\${LIBCLANG_PATH:-/usr/lib/llvm-14/lib}"
exec "\$D/usr/lib64/ld-linux-x86-64.so.2" --library-path "\$D/usr/lib/x86_64-linux-gnu:/usr/lib/llvm-14/lib:/usr/lib/x86_64-linux-gnu" "\$D/usr/bin/bindgen" "\$@"
EOF
  chmod 755 "$dir/bindgen"
  rfl_check_bindgen "$dir/bindgen"
}

# bindgen 0.71 (Debian 13) with Debian 13's libclang 19, all unpacked privately and run through Debian
# 13's loader and glibc. For Linux 7.2, which wants libclang >= 17; a separate folder from the
# libclang 14 one above, which the LLVM=1 (clang 14) 6.12 build needs.
rfl_setup_bindgen_clang19() {
  local dir=$RFL_TOOLCHAINS/bindgen-0.71-clang19
  if [ -x "$dir/bindgen" ] && [ -e "$dir/root/usr/lib/llvm-19/lib/libclang-19.so.1" ] \
    && rfl_check_bindgen "$dir/bindgen" 2>/dev/null; then
    return 0
  fi
  rfl_log "fetching Debian 13's bindgen and libclang 19 into $dir"
  # bindgen and libclang1-19 with their whole run-time closure (Debian 13 versions, not bookworm's).
  rfl_unpack_private_debs "$dir" trixie bindgen libclang1-19 libllvm19 \
    libc6 libgcc-s1 libstdc++6 libffi8 libxml2 libz3-4 libedit2 libtinfo6 zlib1g libzstd1 libicu76 \
    liblzma5 libbsd0 libmd0
  # LIBCLANG_PATH is forced: a caller's (e.g. llvm-14's) would make bindgen load the wrong libclang.
  cat > "$dir/bindgen" <<EOF
#!/bin/sh
# Debian 13 bindgen 0.71 through Debian 13's own loader and glibc, with Debian 13's libclang 19 (all private).
D='$dir/root'
export LIBCLANG_PATH="\$D/usr/lib/llvm-19/lib"
exec "\$D/usr/lib64/ld-linux-x86-64.so.2" --library-path "\$D/usr/lib/llvm-19/lib:\$D/usr/lib/x86_64-linux-gnu" "\$D/usr/bin/bindgen" "\$@"
EOF
  chmod 755 "$dir/bindgen"
  rfl_check_bindgen "$dir/bindgen"
}

# Debian 12's rustc 1.63 + rust-src + clippy + bindgen 0.60, unpacked privately (they conflict with
# rustc-web). The unpacked rustc has no RPATH, hence the LD_LIBRARY_PATH wrappers; it finds its own
# sysroot (and rust-src under it) from its location.
rfl_setup_rust_163() {
  local dir=$RFL_TOOLCHAINS/rust-1.63-bookworm
  if [ -x "$dir/bin/rustc" ] && "$dir/bin/rustc" --version 2>/dev/null | grep -q '^rustc 1\.63'; then
    echo "$dir"; return 0
  fi
  rfl_log "fetching Debian 12's rustc 1.63 into $dir"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/debs" "$dir.tmp/root" "$dir.tmp/bin"
  (cd "$dir.tmp/debs" && apt-get -o Debug::NoLocking=1 download rustc rust-src rust-clippy bindgen libstd-rust-dev libstd-rust-1.63 >&2)
  local deb tool
  for deb in "$dir.tmp"/debs/*.deb; do dpkg -x "$deb" "$dir.tmp/root"; done
  rm -rf "$dir.tmp/debs"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
  for tool in rustc rustdoc clippy-driver; do
    cat > "$dir/bin/$tool" <<EOF
#!/bin/sh
LD_LIBRARY_PATH="$dir/root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/root/usr/bin/$tool" "\$@"
EOF
    chmod 755 "$dir/bin/$tool"
  done
  ln -sf ../root/usr/bin/bindgen "$dir/bin/bindgen"
  "$dir/bin/rustc" --version | grep -q '^rustc 1\.63' || { rfl_log "unexpected rustc: $("$dir/bin/rustc" --version)"; return 1; }
  echo "$dir"
}

# Packages and private tools for one kernel version; prints `rfl kernel prepare` toolchain options.
rfl_toolchain_args() {
  case "$1" in
    6.12)
      rfl_apt_install linux-source-6.12 rustc-web rust-web-src rust-web-clippy
      local bindgen; bindgen=$(rfl_setup_bindgen_trixie)
      printf '%s\n' --rustc /usr/bin/rustc --rustdoc /usr/bin/rustdoc --clippy-driver /usr/bin/clippy-driver --bindgen "$bindgen"
      ;;
    6.1)
      rfl_apt_install linux-source-6.1 libclang1-14
      local rust; rust=$(rfl_setup_rust_163)
      printf '%s\n' --rustc "$rust/bin/rustc" --rustdoc "$rust/bin/rustdoc" --clippy-driver "$rust/bin/clippy-driver" --bindgen "$rust/bin/bindgen"
      ;;
    7.2)
      # GCC build (--no-llvm): LLVM=1 would need clang/lld >= 17 (bookworm has 14).
      rfl_apt_install rustc-web rust-web-src rust-web-clippy
      local bindgen; bindgen=$(rfl_setup_bindgen_clang19)
      printf '%s\n' --rustc /usr/bin/rustc --rustdoc /usr/bin/rustdoc --clippy-driver /usr/bin/clippy-driver --bindgen "$bindgen" --no-llvm
      ;;
    *) rfl_log "no toolchain recipe for Linux $1"; return 1 ;;
  esac
}

# Debian unstable's linux-source-VERSION, downloaded once: prints the cached tarball
# $RFL_SOURCES/linux-source-VERSION_<package version>.tar.xz. A cached one is used as is, without
# asking the archive (so a second run needs no network and the build cache key stays the same);
# delete it to pick up a newer upload.
rfl_fetch_sid_source() {
  local package=linux-source-$1 cached
  mkdir -p "$RFL_SOURCES"
  cached=$(find "$RFL_SOURCES" -maxdepth 1 -name "${package}_*.tar.xz" | sort -V | tail -n1)
  if [ -n "$cached" ]; then echo "$cached"; return 0; fi
  local tmp=$RFL_SOURCES/.tmp-$package
  rfl_log "downloading $package from Debian unstable (about 160 MB)"
  rm -rf "$tmp" && mkdir -p "$tmp/deb" "$tmp/root"
  rfl_apt_suite "$tmp/apt" sid update -qq >&2
  (cd "$tmp/deb" && rfl_apt_suite "$tmp/apt" sid download "$package" >&2)
  local deb version
  deb=$(find "$tmp/deb" -maxdepth 1 -name "${package}_*.deb" | head -n1)
  [ -n "$deb" ] || { rfl_log "apt-get download $package fetched nothing"; return 1; }
  version=$(dpkg-deb -f "$deb" Version)
  dpkg -x "$deb" "$tmp/root"
  [ -f "$tmp/root/usr/src/$package.tar.xz" ] || { rfl_log "$deb holds no usr/src/$package.tar.xz"; return 1; }
  # The rename is the commit: an interrupted run leaves only .tmp-*, which the next run starts over.
  mv "$tmp/root/usr/src/$package.tar.xz" "$RFL_SOURCES/${package}_${version//:/%3a}.tar.xz"
  rm -rf "$tmp"
  echo "$RFL_SOURCES/${package}_${version//:/%3a}.tar.xz"
}

# The source tarball of one kernel version: bookworm's installed linux-source package, or a download.
rfl_source_tarball() {
  case "$1" in
    7.2) rfl_fetch_sid_source "$1" ;;
    *) echo "/usr/src/linux-source-$1.tar.xz" ;;  # installed by rfl_toolchain_args
  esac
}

# Builds the CLI when dist/ is missing or older than the sources.
rfl_ensure_cli() {
  if [ ! -d "$RFL_ROOT/node_modules" ]; then (cd "$RFL_ROOT" && npm ci --ignore-scripts --no-audit --no-fund >&2); fi
  if [ ! -f "$RFL_ROOT/dist/cli.js" ] || [ -n "$(find "$RFL_ROOT/src" -newer "$RFL_ROOT/dist/cli.js" -name '*.ts' -print -quit)" ]; then
    (cd "$RFL_ROOT" && npm run build >&2)
  fi
}

# Prepares one kernel version and prints its build folder.
rfl_prepare_kernel() {
  local version=$1 args tarball
  local -a toolchain
  # Not `mapfile < <(...)`: a failure inside a process substitution would go unnoticed.
  args=$(rfl_toolchain_args "$version")
  mapfile -t toolchain <<< "$args"
  tarball=$(rfl_source_tarball "$version")
  [ -f "$tarball" ] || { rfl_log "$tarball missing (package linux-source-$version)"; return 1; }
  rfl_ensure_cli
  rfl_log "preparing Linux $version (first time 2.5-6 min with 2 cores; cached afterwards)"
  local kdir
  kdir=$(node "$RFL_ROOT/dist/cli.js" kernel prepare --source "$tarball" "${toolchain[@]}" --quiet | tail -n1)
  [ -d "$kdir" ] || { rfl_log "rfl kernel prepare printed no folder for $version"; return 1; }
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
