#!/usr/bin/env bash
# The whole test suite: type-check, lint, then unit, integration and end-to-end tests against the
# real local Postgres, Redis and Kafka (jest's global setup brings them up once per run).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false

echo "› type-check"
npx tsc -p tsconfig.json --noEmit
echo "› lint (with the Nx project graph, so module boundaries are enforced)"
npx nx show projects >/dev/null
npx eslint . --max-warnings 0
echo "› jest (unit, integration, e2e)"
mkdir -p tmp
rm -f tmp/jest-results.json
status=0
npx jest --ci --json --outputFile tmp/jest-results.json "$@" || status=$?
if [ -f tmp/jest-results.json ]; then
  node -e '
    const r = require("./tmp/jest-results.json");
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  '
fi
exit $status
