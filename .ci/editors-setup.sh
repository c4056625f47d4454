#!/usr/bin/env bash
# Prepares (or reuses) the real editors that the editor tier (test/editors) drives our language server
# from, headless:
#   - Debian 12's Neovim 0.7.2 and Emacs 28 with eglot and rust-mode (`neovim emacs-nox elpa-eglot
#     elpa-rust-mode`, installed with apt-get);
#   - Neovim 0.12 from Debian unstable, unpacked privately and run through unstable's own loader and
#     libraries (bookworm's glibc is too old for it), the way .ci/test-kernels.sh runs Debian 13's bindgen.
#     ../shared/reference/editor-clients.md has the route.
# Everything big goes to ${RFL_CACHE:-$HOME/.cache/rust-for-linux}/editors/ and is reused when it still
# runs. Prints, and writes to that folder's `env`, the paths the tests read:
#   RFL_NVIM_0_12  RFL_NVIM_0_7  RFL_EMACS
#
# usage: .ci/editors-setup.sh        (then: . "$RFL_CACHE/editors/env", or let test/editors find it)
set -euo pipefail
shopt -s inherit_errexit

RFL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# rfl_apt_install and rfl_unpack_private_debs, shared with the kernel tests' set-up.
. "$RFL_ROOT/.ci/test-kernels.sh"
EDITORS_DIR=$RFL_CACHE/editors
# Neovim 0.12's run-time closure in Debian unstable (`apt-cache depends --recurse neovim` there, without
# the C library's optional gconv modules).
NVIM_SID_PACKAGES=(neovim neovim-runtime libc6 libgcc-s1 libluajit-5.1-2 libluajit-5.1-common
  libtree-sitter0.26 libunibilium4 libutf8proc3 libuv1t64 lua-lpeg lua-luv)

log() { echo "editors-setup: $*" >&2; }

# Prints the nvim command when it runs and reports version PREFIX (e.g. 0.12); else says what it runs.
check_nvim() {
  local nvim=$1 prefix=$2 version
  version=$("$nvim" --version 2>&1 | head -n1) || true
  [[ $version == "NVIM v$prefix."* ]] || { log "unexpected $nvim: ${version:-no output}"; return 1; }
  echo "$nvim"
}

# Neovim from Debian unstable in $EDITORS_DIR/neovim-sid, with a wrapper that runs it through that
# suite's loader; prints the wrapper.
setup_nvim_sid() {
  local dir=$EDITORS_DIR/neovim-sid
  if [ -x "$dir/nvim" ] && check_nvim "$dir/nvim" 0.12 2>/dev/null; then return 0; fi
  log "fetching Neovim from Debian unstable into $dir"
  rfl_unpack_private_debs "$dir" sid "${NVIM_SID_PACKAGES[@]}"
  # VIMRUNTIME and LUA_CPATH are forced: a caller's would point this nvim at another version's files.
  cat > "$dir/nvim" <<EOF
#!/bin/sh
# Debian unstable's Neovim through unstable's own loader and libraries (all private).
R='$dir/root'
export VIMRUNTIME="\$R/usr/share/nvim/runtime"
export LUA_CPATH="\$R/usr/lib/x86_64-linux-gnu/lua/5.1/?.so;;"
exec "\$R/usr/lib64/ld-linux-x86-64.so.2" --library-path "\$R/usr/lib/x86_64-linux-gnu:\$R/lib/x86_64-linux-gnu" "\$R/usr/bin/nvim" "\$@"
EOF
  chmod 755 "$dir/nvim"
  check_nvim "$dir/nvim" 0.12
}

# Prints Emacs when it is 28 and loads Debian's eglot and rust-mode (activated at start-up, as for a user).
check_emacs() {
  local emacs=/usr/bin/emacs-nox out errors
  errors=$(mktemp)
  # stderr shown only on failure: Debian's site-start says "Loading .../00debian.el" there on every run.
  out=$("$emacs" --batch --eval '(progn (require (quote eglot)) (require (quote rust-mode)) (princ emacs-major-version))' 2>"$errors") ||
    { log "$emacs cannot load eglot and rust-mode: $(tail -n 5 "$errors")"; rm -f "$errors"; return 1; }
  rm -f "$errors"
  [ "$out" = 28 ] || { log "unexpected Emacs major version from $emacs: $out"; return 1; }
  echo "$emacs"
}

main() {
  rfl_apt_install neovim emacs-nox elpa-eglot elpa-rust-mode
  mkdir -p "$EDITORS_DIR"
  local nvim_sid nvim_bookworm emacs
  nvim_sid=$(setup_nvim_sid)
  nvim_bookworm=$(check_nvim /usr/bin/nvim 0.7)
  emacs=$(check_emacs)
  cat > "$EDITORS_DIR/env.tmp" <<ENV
export RFL_NVIM_0_12='$nvim_sid'
export RFL_NVIM_0_7='$nvim_bookworm'
export RFL_EMACS='$emacs'
ENV
  mv "$EDITORS_DIR/env.tmp" "$EDITORS_DIR/env"
  cat "$EDITORS_DIR/env"
}

main "$@"
