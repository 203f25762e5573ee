#!/usr/bin/env bash
# Load benchmark of the packaged runtime on Redis: the JVM jar and, when one was built (target/*-runner, e.g. by
# ../shared/native/build-native.sh or ./mvnw package -Dnative), the native binary beside it, with the same
# workloads in the same run. Every workload is warmed up (unmeasured) before it is measured.
#   bench/run.sh                 # build, then 10 s per workload and connection count
#   DURATION=30s SKIP_BUILD=1 bench/run.sh
# Needs: java, redis-server, redis-benchmark, redis-cli, wrk (apt-get install redis-server wrk), curl.
# Loopback only; every process it starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
RESULTS="bench/results/$(date -u +%Y-%m-%d)-$(hostname -s 2>/dev/null || echo host).md"
for tool in java redis-server redis-benchmark redis-cli wrk curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install redis-server wrk curl)"; exit 1; }
done

source bench/common.sh

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
start_redis

rss_mb() { echo $(( $(ps -o rss= -p "$APP_PID") / 1024 )); }
ms() { date +%s%3N; }

# --- Startup: process start to the first 200 on /q/health/ready (median of 3 starts each) ---------------------
# One tenant adds a todo per todo run: the todo cap is lifted so the workload keeps measuring adds, not refusals.
APP_ENV=(AGENT_STORE=redis QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" QUARKUS_HTTP_PORT="$APP_PORT"
  QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" AGENT_LOG_LEVEL=WARN AGENT_QUEUE_MAX_CONCURRENT=256 AGENT_QUEUE_MAX_QUEUED=100000
  AGENT_TODOS_MAX_PER_TENANT=100000000)
start_app() {  # start_app <log> <java> [jvm options...] <jar>: starts the app, sets APP_PID and READY_MS
  local log="$1"; shift
  local start; start="$(ms)"
  env "${APP_ENV[@]}" "$@" > "$log" 2>&1 &
  APP_PID=$!
  until curl -fs "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.01; done
  READY_MS=$(( $(ms) - start ))
}
stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""; }
median_ready() {  # median_ready <java> [jvm options...] <jar>: sets MEDIAN_MS and RSS_READY
  local times=()
  for _ in 1 2 3; do start_app "$WORK/start.log" "$@"; times+=("$READY_MS"); RSS_READY="$(rss_mb)"; stop_app; done
  MEDIAN_MS="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)"
}
median_ready java -jar target/quarkus-app/quarkus-run.jar
READY_JVM="$MEDIAN_MS"

# With a JDK >= 25 (JAVA_AOT, or a temurin-25 under /usr/lib/jvm): the aot-jar packaging, trained once, then
# started with its AOT cache (JEP 483/514/515: classes loaded and linked, and profiles, ahead of time).
JAVA_AOT="${JAVA_AOT:-$(ls -d /usr/lib/jvm/*-25* 2>/dev/null | head -1)/bin/java}"
READY_AOT=""
if [ -x "$JAVA_AOT" ]; then
  [ -n "${SKIP_BUILD:-}" ] && [ -d target/quarkus-app-aot ] || ./mvnw -B -q package -DskipTests \
    -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=quarkus-app-aot
  AOT_JAR=target/quarkus-app-aot/quarkus-run.jar
  start_app "$WORK/train.log" "$JAVA_AOT" -XX:AOTCacheOutput=target/quarkus-app-aot/app.aot -jar "$AOT_JAR"
  for _ in $(seq 200); do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=5' \
    -d '{"prompt": "add todo to train then calculate (10 + 5) * 2"}' "http://127.0.0.1:$APP_PORT/api/v1/runs"; done
  stop_app
  median_ready "$JAVA_AOT" -XX:AOTCache=target/quarkus-app-aot/app.aot -jar "$AOT_JAR"
  READY_AOT="$MEDIAN_MS"
  RSS_AOT="$RSS_READY"
  AOT_VERSION="$("$JAVA_AOT" -version 2>&1 | head -1)"
fi

# --- Redis's limit: its own SET/GET throughput -------------------------------------------------------------------
REDIS_BENCH="$(redis-benchmark -p "$REDIS_PORT" -t set,get -n 200000 -c 64 -P 1 -q 2>/dev/null | tr '\r' '\n')"
REDIS_SET="$(echo "$REDIS_BENCH" | awk -F'[: ]+' '/^SET/ {print $2}' | tail -1)"
REDIS_GET="$(echo "$REDIS_BENCH" | awk -F'[: ]+' '/^GET/ {print $2}' | tail -1)"

commandstats() { redis-cli -p "$REDIS_PORT" info commandstats | awk -F'[:=,]' '/^cmdstat_/ {print $1, $3}'; }
post_runs() {  # post_runs <count> <prompt>: sequential runs, each answered when it has ended
  for _ in $(seq "$1"); do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=5' \
    -d "{\"prompt\": \"$2\"}" "$BASE/api/v1/runs"; done
}

# measure <label>: the workloads against the app started last; appends to ROWS and sets OPS_PER_RUN, BY_COMMAND.
measure() {
  local label="$1"
  BASE="http://127.0.0.1:$APP_PORT"
  post_runs 20 "calculate (10 + 5) * 2"
  # Every command Redis executed (those inside scripts too), over WARM one-step runs, by name.
  commandstats > "$WORK/before"
  post_runs "$WARM" "calculate (10 + 5) * 2"
  sleep 0.5
  commandstats > "$WORK/after"
  BY_COMMAND="$(join -a2 -e0 -o 0,1.2,2.2 <(sort "$WORK/before") <(sort "$WORK/after") \
    | awk -v n="$WARM" '{d = $3 - $2; if (d > 0) printf "%s %.2f\n", substr($1, 9), d / n}' | sort -k2 -nr)"
  OPS_PER_RUN="$(echo "$BY_COMMAND" | awk '{s += $2} END {printf "%.1f", s}')"
  RUN_ID="$(curl -s -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=5' \
    -d '{"prompt": "calculate 1 + 1"}' "$BASE/api/v1/runs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')"
  export RUN_PATH="/api/v1/runs/$RUN_ID"
  declare -gA RPS
  for workload in calculate todo get; do
    # Warm-up: the same workload, unmeasured, so that each measurement starts from compiled code.
    wrk -t2 -c16 -d"$WARMUP" -s "bench/lua/$workload.lua" "$BASE" > /dev/null 2>&1
    for c in $CONNECTIONS; do
      threads=$(( c < 2 ? 1 : 2 ))
      out="$(wrk -t"$threads" -c"$c" -d"$DURATION" --latency -s "bench/lua/$workload.lua" "$BASE" 2>&1)"
      rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
      requests="$(echo "$out" | awk '/requests in/ {print $1}')"
      p50="$(echo "$out" | awk '$1 == "50%" {print $2}')"
      p90="$(echo "$out" | awk '$1 == "90%" {print $2}')"
      p99="$(echo "$out" | awk '$1 == "99%" {print $2}')"
      non2xx="$(echo "$out" | awk '/Non-2xx/ {print $5}')"
      sockerr="$(echo "$out" | awk '/Socket errors/ {print $4+$6+$8+$10}')"
      errors=$(( ${non2xx:-0} + ${sockerr:-0} ))
      [ "$workload" != get ] && RUNS_DONE=$(( RUNS_DONE + requests ))
      RPS["$label/$workload/$c"]="$rps"
      ROWS+="| $label | $workload | $c | $rps | $p50 | $p90 | $p99 | $errors |"$'\n'
      echo "$label $workload c=$c: $rps req/s, p50 $p50, p90 $p90, p99 $p99, errors $errors"
    done
  done
}
share() { python3 -c "print(f'{$1 / $2 * 100:.1f}%')"; }

WARM=200
WARMUP="${WARMUP:-5s}"
ROWS=""
RUNS_DONE=0
start_app "$WORK/app.log" java -jar target/quarkus-app/quarkus-run.jar
RSS_START="$(rss_mb)"
measure jvm
sleep 2
RSS_END="$(rss_mb)"
JVM_RUNS=$(( RUNS_DONE + WARM + 21 ))
JVM_OPS="$OPS_PER_RUN"
JVM_BY_COMMAND="$BY_COMMAND"
stop_app

NATIVE="$(ls target/*-runner 2>/dev/null | head -1 || true)"
if [ -n "$NATIVE" ]; then
  median_ready "$NATIVE"
  READY_NATIVE="$MEDIAN_MS"
  RSS_NATIVE_READY="$RSS_READY"
  NATIVE_SIZE_MB="$(( $(stat -c %s "$NATIVE") / 1024 / 1024 ))"
  start_app "$WORK/native.log" "$NATIVE"
  RUNS_DONE=0
  post_runs 10000 "calculate (10 + 5) * 2"
  sleep 1
  RSS_NATIVE_10K="$(rss_mb)"
  measure native
  stop_app
fi

CPU="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
{
  echo "# Benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($CPU), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(java -version 2>&1 | head -1);"
  echo "redis-server $(redis-server --version | awk '{print $3}' | tr -d 'v='); wrk; everything on loopback, in one run."
  echo "Store: Redis. Each workload is warmed up $WARMUP, then runs $DURATION per connection count; wrk threads: 1 (c=1) or 2."
  echo
  echo "## Redis commands per one-step calculator run"
  echo
  echo "INFO commandstats over $WARM runs (commands run inside scripts included), JVM: **$JVM_OPS** per run."
  echo "redis-benchmark (64 clients, no pipelining): SET $REDIS_SET ops/s, GET $REDIS_GET ops/s: Redis alone could"
  echo "carry about $(python3 -c "print(round(($REDIS_SET + $REDIS_GET) / 2 / $JVM_OPS))") runs/s at that cost."
  echo
  echo "| command | per run |"
  echo "|---|---|"
  echo "$JVM_BY_COMMAND" | awk '{printf "| %s | %s |\n", $1, $2}'
  echo
  echo "RedisCommandBudgetTest counts the same by MONITOR, splitting the commands the runtime sends from those its"
  echo "scripts run, and fails if either grows."
  echo
  echo "## Throughput and latency"
  echo
  echo "| binary | workload | connections | requests/s | p50 | p90 | p99 | errors |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s' "$ROWS"
  echo
  echo "calculate: POST a one-step calculator run with Prefer: wait (answered when it has ended);"
  echo "todo: a two-step run (add a todo, then complete it), Prefer: wait; get: GET of an existing run."
  echo
  echo "## Startup and memory"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| JVM jar (Java 17): process start to first 200 on /q/health/ready (median of 3) | $READY_JVM ms |"
  echo "| JVM: RSS after startup | $RSS_START MB |"
  echo "| JVM: RSS after $JVM_RUNS runs | $RSS_END MB |"
  if [ -n "$READY_AOT" ]; then
    echo "| aot-jar on $AOT_VERSION with an AOT cache (200-run training): ready (median of 3) | $READY_AOT ms |"
    echo "| same: RSS after startup | $RSS_AOT MB |"
  fi
  if [ -n "$NATIVE" ]; then
    echo "| native ($NATIVE, $NATIVE_SIZE_MB MB): ready (median of 3) | $READY_NATIVE ms |"
    echo "| native: RSS at ready | $RSS_NATIVE_READY MB |"
    echo "| native: RSS after 10,000 runs | $RSS_NATIVE_10K MB |"
  fi
  echo
  echo "## Targets (issue 17)"
  echo
  echo "| figure | measured |"
  echo "|---|---|"
  echo "| Redis commands per one-step run (INFO commandstats) | $JVM_OPS |"
  echo "| calculator runs/s, Prefer: wait, 64 connections, as a share of GET requests/s | ${RPS[jvm/calculate/64]:-?} / ${RPS[jvm/get/64]:-?} = $(share "${RPS[jvm/calculate/64]:-0}" "${RPS[jvm/get/64]:-1}") |"
  echo "| p50 of one calculator run at 1 connection | $(echo "$ROWS" | awk -F' [|] ' '$1 == "| jvm" && $2 == "calculate" && $3 == "1" {print $5}') |"
  echo "| JVM jar ready (median of 3) | $READY_JVM ms |"
  if [ -n "$NATIVE" ]; then
    echo "| native: ready / RSS at ready | $READY_NATIVE ms / $RSS_NATIVE_READY MB |"
    echo "| native: RSS after 10,000 runs | $RSS_NATIVE_10K MB |"
    echo "| native binary size | $NATIVE_SIZE_MB MB |"
    echo "| native: calculator runs/s at 64 connections, share of GET | ${RPS[native/calculate/64]:-?} / ${RPS[native/get/64]:-?} = $(share "${RPS[native/calculate/64]:-0}" "${RPS[native/get/64]:-1}") |"
  fi
} > "$RESULTS"
echo
cat "$RESULTS"
echo "Written to $RESULTS"
