#!/usr/bin/env bash
# Wall time of the command line (issue 28), median of 10 runs with hyperfine: a one-shot `run "calculate 6 * 7"`
# (the engine started in the process, no server) for the jar and, when one was built, the native binary; a client
# command against a running server; and where the one-shot's time goes (JVM and command line, engine boot, the run,
# engine stop), read from the engine's own log and the run's timestamps.
#   bench/cli.sh                  # builds the jar first
#   SKIP_BUILD=1 RUNS=20 bench/cli.sh
# Writes bench/results/<date>-<host>-cli.md and prints it. Needs: java, hyperfine, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-10}"
RESULTS="bench/results/$(date -u +%Y-%m-%d)-$(hostname -s 2>/dev/null || echo host)-cli.md"
source bench/common.sh

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
JAR="java -jar target/quarkus-app/quarkus-run.jar"
NATIVE="$(ls target/*-runner 2>/dev/null | head -1 || true)"
PROMPT='calculate 6 * 7'
unset AGENT_SERVER AGENT_API_KEY AGENT_TOKEN

median() {  # median <label> <command>: "<median wall> ms (<mean user+system CPU> ms CPU)" from hyperfine
  hyperfine --runs "$RUNS" --warmup 1 --style none --export-json "$WORK/h.json" "$2" >/dev/null 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]
print("%d ms (%d ms CPU)" % (round(r["median"]*1000), round((r["user"]+r["system"])*1000)))' "$WORK/h.json"
}

ms() { if [ -n "$1" ]; then echo "$1 ms"; else echo "-"; fi; }

breakdown() {  # breakdown <binary...>: medians of the engine's start and stop (its log) and of the run itself
  for _ in 1 2 3 4 5; do
    "$@" run -v -o json "$PROMPT" > "$WORK/run.json" 2> "$WORK/run.log"
    python3 - "$WORK/run.json" "$WORK/run.log" <<'PY'
import json, re, sys
from datetime import datetime
run = json.load(open(sys.argv[1]))
log = open(sys.argv[2]).read()
at = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")[:26] + "+00:00")
started = float(re.search(r"started in ([0-9.]+)s", log).group(1)) * 1000
stopped = float(re.search(r"stopped in ([0-9.]+)s", log).group(1)) * 1000
print(started, (at(run["completed_at"]) - at(run["created_at"])).total_seconds() * 1000, stopped)
PY
  done | python3 -c '
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.stdin]
print(" ".join(str(round(statistics.median(column))) for column in zip(*rows)))'
}

echo "measuring the jar (median of $RUNS) ..." >&2
JAR_VERSION="$(median version "$JAR --version")"
JAR_ONESHOT="$(median oneshot "$JAR run -q '$PROMPT'")"
read -r JAR_BOOT JAR_RUN JAR_STOP <<< "$(breakdown $JAR)"

env QUARKUS_HTTP_PORT="$APP_PORT" QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" $JAR > "$WORK/server.log" 2>&1 &
APP_PID=$!
until curl -fs "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.05; done
SERVER="http://127.0.0.1:$APP_PORT"
$JAR run -q --server "$SERVER" "$PROMPT" >/dev/null   # the server's first run warms its path a little
JAR_CLIENT_RUN="$(median client-run "$JAR run -q --server $SERVER '$PROMPT'")"
JAR_CLIENT_LIST="$(median client-list "$JAR runs list --limit 1 --server $SERVER")"

if [ -n "$NATIVE" ]; then
  echo "measuring the native binary $NATIVE ..." >&2
  NATIVE_VERSION="$(median version "$NATIVE --version")"
  NATIVE_ONESHOT="$(median oneshot "$NATIVE run -q '$PROMPT'")"
  read -r NATIVE_BOOT NATIVE_RUN NATIVE_STOP <<< "$(breakdown "$NATIVE")"
  NATIVE_CLIENT_RUN="$(median client-run "$NATIVE run -q --server $SERVER '$PROMPT'")"
  NATIVE_CLIENT_LIST="$(median client-list "$NATIVE runs list --limit 1 --server $SERVER")"
fi

{
  echo "# Command line wall time, $(date -u +%Y-%m-%dT%H:%MZ) on $(hostname -s 2>/dev/null || echo host)"
  echo
  echo "$(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)."
  echo "Wall time: median of $RUNS runs (hyperfine, 1 warm-up), with the mean CPU time (user + system) beside it, which"
  echo "a loaded machine inflates less; the breakdown is the median of 5 one-shots with -v (wall time)."
  echo
  echo "| what | jar | native |"
  echo "|---|---|---|"
  echo "| \`--version\` (process start and command line, no engine) | ${JAR_VERSION} | ${NATIVE_VERSION:--} |"
  echo "| one-shot \`run -q \"$PROMPT\"\` (no server) | **${JAR_ONESHOT}** | **${NATIVE_ONESHOT:--}** |"
  echo "| of which: engine boot (Quarkus \"started in\") | ${JAR_BOOT} ms | $(ms "${NATIVE_BOOT:-}") |"
  echo "| of which: the run, planned and executed (created → completed) | ${JAR_RUN} ms | $(ms "${NATIVE_RUN:-}") |"
  echo "| of which: engine stop (Quarkus \"stopped in\") | ${JAR_STOP} ms | $(ms "${NATIVE_STOP:-}") |"
  echo "| client \`run -q --server … \"$PROMPT\"\` (submit, follow the events) | ${JAR_CLIENT_RUN} | ${NATIVE_CLIENT_RUN:--} |"
  echo "| client \`runs list --limit 1 --server …\` | ${JAR_CLIENT_LIST} | ${NATIVE_CLIENT_LIST:--} |"
  echo
  echo "The server the client commands talk to is the jar, started once and already answering."
} | tee "$RESULTS"
