#!/usr/bin/env bash
# Executor overhead with JMH: planning and executing one- and five-step runs on the memory store, per run
# (median, p99) and bytes allocated per run, inside a started application (see ExecutorBenchmark).
#   bench/jmh.sh                       # 5 warm-up + 5 measured iterations of 2 s per benchmark (~3 min)
#   WARMUPS=2 ITERATIONS=3 bench/jmh.sh
# Writes bench/results/<date>-jmh.md. The runtime's own INFO lines (two per run) are off unless AGENT_LOG_LEVEL=INFO:
# they measure the console, not the executor (with them on: about +20 us and +10 KB per run here).
set -euo pipefail
cd "$(dirname "$0")/.."
RESULTS="bench/results/$(date -u +%Y-%m-%d)-jmh.md"
AGENT_LOG_LEVEL="${AGENT_LOG_LEVEL:-WARN}" ./mvnw -B -q test -Pbench -Dbench.warmups="${WARMUPS:-5}" -Dbench.iterations="${ITERATIONS:-5}" \
  -Dbench.results="$PWD/$RESULTS"
test -s "$RESULTS" || { echo "the benchmark wrote no results (see target/surefire-reports)"; exit 1; }
cat "$RESULTS"
echo "Written to $RESULTS"
