#!/usr/bin/env bash
# The fault suite (FaultSuiteIT) on its own, with its figures written to bench/results/<date>-faults.md:
# Redis stopped for 5 s under load, the LLM mock slow then failing, one of two instances SIGKILLed.
# Loopback only, about 2 minutes; needs java and redis-server (or the embedded one the tests fall back to).
#   bench/faults.sh            SKIP_BUILD=1 bench/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS="bench/results/$(date -u +%Y-%m-%d)-faults.md"
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
rm -f target/fault-suite.md
./mvnw -B -q test-compile failsafe:integration-test failsafe:verify -Dit.test=FaultSuiteIT -Djacoco.skip=true
{
  echo "# Fault suite $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -1); packaged app on loopback; 8 closed-loop"
  echo "clients posting runs with Prefer: wait (4 in the LLM scenario). Assertions in FaultSuiteIT: no client error but"
  echo "503 + Retry-After while Redis is down, none at all while the model fails, only requests in flight to the"
  echo "killed instance; 0 runs lost, 0 runs stuck."
  echo
  cat target/fault-suite.md
} > "$RESULTS"
cat "$RESULTS"
echo "Written to $RESULTS"
