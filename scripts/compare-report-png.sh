#!/bin/sh
# Renders an `rfl compare --report FILE.html` page to a PNG with Debian's headless chromium, for the
# README. Usage: scripts/compare-report-png.sh REPORT.html OUT.png [WIDTHxHEIGHT]
set -eu
report=$1 out=$2 size=${3:-1100,1500}
command -v chromium >/dev/null || { echo "chromium not found: apt-get install chromium" >&2; exit 2; }
profile=$(mktemp -d /tmp/rfl-chromium-XXXXXX)
trap 'rm -rf "$profile"' EXIT
timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size="$size" --screenshot="$out" "file://$(realpath "$report")" >/dev/null 2>&1
[ -s "$out" ] || { echo "chromium wrote no screenshot to $out" >&2; exit 1; }
echo "$out"
