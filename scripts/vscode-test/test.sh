#!/usr/bin/env bash
# The VS Code tier in one command, for CI and developers: sets up (or reuses) code-server and
# chromium, builds the extension and the test bundles, checks the runner (a forced failure must give
# exit code 1), then runs test/vscode/suite in a real VS Code. Exits with the suite's code.
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
exec node test/vscode/out/runTest.js suite
