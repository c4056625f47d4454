#!/usr/bin/env bash
# Proves the README's set-up on a fresh Debian 12 machine: builds a minimal Debian 12 root (cached as a
# tarball, which holds no project state), gives it only what every machine of this kind has (Node 20
# and npm, the TLS proxy's CA and npm settings, apt's bookworm suites; ../shared/reference/fresh-machine.md),
# copies this checkout in and runs, with an empty cache and a clean environment:
#   1. the README's main command, scripts/demo.sh, which must end with a PASS verdict;
#   2. the test command's set-up, scripts/test.sh --setup-only (every package, kernel and editor it
#      installs or prepares).
# Prints a line of timings per phase (also to $RFL_FRESH_REPORT when set). Everything is torn down at the
# end, on failure and on INT/TERM/HUP: processes inside the root are killed, mounts undone, the root deleted.
#
# --only editors runs just the last set-up steps, the editors' and rust-analyzer's (Debian unstable's
# packages unpacked privately), which a developer can prove in minutes without building kernels.
#
# usage: scripts/fresh-machine.sh [--keep] [--only demo|setup|editors]     (as root: chroot and bind mounts)
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RFL_CACHE=${RFL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rust-for-linux}
TARBALL=$RFL_CACHE/fresh-root/bookworm-minbase.tar
# Each phase is bounded: a fresh demo takes about 10 min, the test set-up (three kernels) about 30.
PHASE_TIMEOUT=${RFL_FRESH_PHASE_TIMEOUT:-45m}
KEEP=0
ONLY=
while [ $# -gt 0 ]; do
  case $1 in
    --keep) KEEP=1 ;;
    --only) ONLY=${2:?--only needs demo, setup or editors}; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-machine: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { echo "fresh-machine: $*" >&2; }
[ "$(id -u)" -eq 0 ] || { log "needs root (it uses chroot and bind mounts); run it with sudo"; exit 2; }

# The cached minimal root. mmdebstrap writes only the bookworm suite; the machine's own suites
# (bookworm-updates, bookworm-security) are copied in below, as on a real Debian 12 install.
ensure_tarball() {
  [ -f "$TARBALL" ] && return 0
  command -v mmdebstrap >/dev/null || {
    log "installing mmdebstrap"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends mmdebstrap >&2
  }
  mkdir -p "$(dirname "$TARBALL")"
  log "building a minimal Debian 12 root into $TARBALL (about 2 minutes)"
  rm -f "$TARBALL.tmp"
  mmdebstrap --quiet --format=tar --variant=minbase --include=ca-certificates,git,sudo,xz-utils bookworm "$TARBALL.tmp" \
    http://deb.debian.org/debian >&2
  mv "$TARBALL.tmp" "$TARBALL"
}

WORK=
FRESH=
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  [ -n "$FRESH" ] || exit "$status"
  # Kill whatever still runs inside the root (a QEMU, a make), by its root directory.
  local pid root
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    root=$(readlink "/proc/$pid/root" 2>/dev/null || true)
    case $root in "$FRESH" | "$FRESH"/*) kill -KILL "$pid" 2>/dev/null || true ;; esac
  done
  local mount
  for mount in $(findmnt -rn -o TARGET | grep -F "$FRESH" | sort -r); do
    umount -l "$mount" 2>/dev/null || true
  done
  if findmnt -rn -o TARGET | grep -qF "$FRESH"; then
    log "something is still mounted under $FRESH; not deleting it (unmount it, then rm -rf --one-file-system $WORK)"
  elif [ "$KEEP" -eq 1 ]; then
    log "kept the root in $FRESH"
  else
    rm -rf --one-file-system "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# What every machine of this kind has before any project step: not install steps of ours.
provision() {
  cp "$(readlink -f "$(command -v node)")" "$FRESH/usr/bin/node"
  mkdir -p "$FRESH/usr/lib/node_modules"
  cp -a "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$FRESH/usr/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$FRESH/usr/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$FRESH/usr/bin/npx"
  mkdir -p "$FRESH/usr/local/share/ca-certificates" "$FRESH/etc/ssl/certs"
  cp -a /usr/local/share/ca-certificates/. "$FRESH/usr/local/share/ca-certificates/"
  cp /etc/ssl/certs/ca-certificates.crt "$FRESH/etc/ssl/certs/ca-certificates.crt"
  [ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$FRESH/root/.npmrc"
  rm -f "$FRESH/etc/apt/sources.list"
  mkdir -p "$FRESH/etc/apt/sources.list.d"
  cp /etc/apt/sources.list.d/*.sources "$FRESH/etc/apt/sources.list.d/"
  cp -L /etc/resolv.conf "$FRESH/etc/resolv.conf"
}

# This checkout's files (tracked and new, not ignored ones such as node_modules and dist), as a clone would.
copy_project() {
  mkdir -p "$FRESH/root/project"
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
    tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -C "$FRESH/root/project" -xf -
  (cd "$FRESH/root/project" && git init -q && git add -A >/dev/null && git -c user.name=fresh -c user.email=fresh@invalid commit -qm fresh)
}

mount_system() {
  local dir
  for dir in dev proc sys; do mkdir -p "$FRESH/$dir"; done
  mount --rbind /dev "$FRESH/dev" && mount --make-rslave "$FRESH/dev"
  mount -t proc proc "$FRESH/proc"
  mount --rbind /sys "$FRESH/sys" && mount --make-rslave "$FRESH/sys"
}

# Runs one command in the root as a new user would: a clean environment, a login shell's PATH.
in_root() {
  timeout --kill-after=30s "$PHASE_TIMEOUT" chroot "$FRESH" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    bash -c "cd /root/project && $1"
}

report=()
phase() {
  local name=$1 command=$2 started status=0 seconds
  log "== $name: $command (fresh root, empty cache)"
  started=$(date +%s)
  # In the background and waited for: bash runs a trap (INT, TERM, HUP) only once a foreground
  # command ends, and a phase can run for half an hour.
  in_root "$command" > >(tee "$WORK/$name.log") 2>&1 &
  wait $! || status=$?
  seconds=$(($(date +%s) - started))
  report+=("$name: ${seconds} s, exit $status")
  if [ "$status" -ne 0 ]; then
    log "$name FAILED (exit $status after ${seconds} s); its log: the lines above"
    return 1
  fi
}

ensure_tarball
WORK=$(mktemp -d "${RFL_FRESH_WORK:-/var/tmp}/rfl-fresh-XXXXXX")
FRESH=$WORK/root
mkdir -p "$FRESH"
log "unpacking the root into $FRESH"
tar -C "$FRESH" -xf "$TARBALL"
provision
copy_project
mount_system
[ -z "$(ls -A "$FRESH/root/.cache" 2>/dev/null)" ] || { log "the fresh root has a cache; refusing"; exit 1; }

failed=0
if [ "$ONLY" = editors ]; then
  phase editors-setup '.ci/editors-setup.sh && .ci/rust-analyzer-setup.sh' || failed=1
fi
if [ -z "$ONLY" ] || [ "$ONLY" = demo ]; then
  if phase demo scripts/demo.sh; then
    grep -q 'verdict: PASS' "$WORK/demo.log" || { log "demo ended without a PASS verdict"; failed=1; }
  else
    failed=1
  fi
fi
if [ "$failed" -eq 0 ] && { [ -z "$ONLY" ] || [ "$ONLY" = setup ]; }; then
  phase test-setup 'scripts/test.sh --setup-only' || failed=1
fi

summary="fresh-machine: $(IFS=';'; echo "${report[*]}")"
echo "$summary"
[ -z "${RFL_FRESH_REPORT:-}" ] || echo "$summary" > "$RFL_FRESH_REPORT"
exit "$failed"
