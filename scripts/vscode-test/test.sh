#!/usr/bin/env bash
# The VS Code tier in one command, for CI and developers: sets up (or reuses) code-server and
# chromium, builds the extension and the test bundles, checks the runner (a forced failure must give
# exit code 1), then:
#   grammars  test/vscode/grammars: grammar snapshots (vscode-textmate, no editor)
#   suite     test/vscode/suite in a real VS Code on this checkout (the load tasks on the 6.12 test
#             kernel when .ci/test-kernels.sh prepared it)
#   trust     test/vscode/trust in an untrusted workspace (--enable-workspace-trust)
#   package   test/vscode/packageCheck.ts: the .vsix's files and size, then the suite against the
#             copy code-server installed from it
# Ends with one closing `N passed, N failed` line over all of them; exits non-zero when any failed.
#
# usage: scripts/vscode-test/test.sh        (npm run test:vscode)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

"$ROOT/.ci/vscode-setup.sh" >/dev/null
if ! node -e "require.resolve('playwright-core')" 2>/dev/null; then
  echo "vscode-test: playwright-core is missing: npm install (it is a devDependency)" >&2
  exit 2
fi
npm run --silent build
node scripts/vscode-test/build.mjs
node test/vscode/out/runnerCheck.js

passed=0
failed=0
status=0
# grammars: the grammar snapshots (no editor); suite and trust: runs in code-server on this
# checkout; package: the .vsix (file list, size), installed into code-server, and the suite on it.
for suite in grammars suite trust package; do
  log=$(mktemp)
  code=0
  case $suite in
    grammars) node test/vscode/out/grammars.js 2>&1 | tee "$log" || code=$? ;;
    package) node test/vscode/out/packageCheck.js 2>&1 | tee "$log" || code=$? ;;
    *) node test/vscode/out/runTest.js "$suite" 2>&1 | tee "$log" || code=$? ;;
  esac
  counts=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)
  rm -f "$log"
  if [[ -n "$counts" ]]; then
    passed=$((passed + ${counts%% passed*}))
    run_failed=${counts#*passed, }
    failed=$((failed + ${run_failed%% failed}))
  else
    # The run ended before its closing line (a crash or a timeout): count it as one failure.
    failed=$((failed + 1))
  fi
  if [[ $code -ne 0 && $status -eq 0 ]]; then status=$code; fi
done
echo "vscode-test: all runs"
echo "$passed passed, $failed failed"
exit "$status"
