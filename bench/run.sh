#!/usr/bin/env bash
# Load benchmark of the packaged runtime on Redis, against Redis's own limit measured in the same run.
#   bench/run.sh                 # build, then 10 s per workload and connection count
#   DURATION=30s SKIP_BUILD=1 bench/run.sh
# Needs: java, redis-server, redis-benchmark, redis-cli, wrk (apt-get install redis-server wrk), curl.
# Loopback only; every process it starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-1 16 64}"
RESULTS="bench/results/$(date -u +%Y-%m-%d)-$(hostname -s 2>/dev/null || echo host).md"
WORK="$(mktemp -d)"
for tool in java redis-server redis-benchmark redis-cli wrk curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install redis-server wrk curl)"; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
REDIS_PORT="$(free_port)"
APP_PORT="$(free_port)"
MGMT_PORT="$(free_port)"
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.05; done

rss_mb() { echo $(( $(ps -o rss= -p "$APP_PID") / 1024 )); }
ms() { date +%s%3N; }

# --- Startup: process start to the first 200 on /q/health/ready ------------------------------------------------
START="$(ms)"
AGENT_STORE=redis QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" QUARKUS_HTTP_PORT="$APP_PORT" QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" \
  AGENT_LOG_LEVEL=WARN AGENT_QUEUE_MAX_CONCURRENT=256 AGENT_QUEUE_MAX_QUEUED=100000 \
  java -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP_PID=$!
until curl -fs "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.01; done
READY_MS=$(( $(ms) - START ))
RSS_START="$(rss_mb)"
BASE="http://127.0.0.1:$APP_PORT"

# --- Redis's limit: its own SET/GET throughput, and how many Redis commands one calculator run costs ------------
REDIS_BENCH="$(redis-benchmark -p "$REDIS_PORT" -t set,get -n 200000 -c 64 -P 1 -q 2>/dev/null | tr '\r' '\n')"
REDIS_SET="$(echo "$REDIS_BENCH" | awk -F'[: ]+' '/^SET/ {print $2}' | tail -1)"
REDIS_GET="$(echo "$REDIS_BENCH" | awk -F'[: ]+' '/^GET/ {print $2}' | tail -1)"
calls() { redis-cli -p "$REDIS_PORT" info commandstats | awk -F'[=,]' '/^cmdstat_/ {sum += $2} END {print sum}'; }
WARM=200
for _ in $(seq 20); do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=5' \
  -d '{"prompt": "calculate (10 + 5) * 2"}' "$BASE/api/v1/runs"; done
BEFORE="$(calls)"
for _ in $(seq "$WARM"); do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=5' \
  -d '{"prompt": "calculate (10 + 5) * 2"}' "$BASE/api/v1/runs"; done
AFTER="$(calls)"
OPS_PER_RUN="$(python3 -c "print(round(($AFTER - $BEFORE) / $WARM, 1))")"
LIMIT="$(python3 -c "print(round(($REDIS_SET + $REDIS_GET) / 2 / $OPS_PER_RUN))")"

RUN_ID="$(curl -s -X POST -H 'Content-Type: application/json' -H 'Prefer: wait=5' \
  -d '{"prompt": "calculate 1 + 1"}' "$BASE/api/v1/runs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')"
export RUN_PATH="/api/v1/runs/$RUN_ID"

# --- Workloads ---------------------------------------------------------------------------------------------------
ROWS=""
TOTAL_RUNS=$(( WARM + 21 ))
for workload in calculate todo get; do
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
    ratio="-"
    if [ "$workload" != get ]; then
      TOTAL_RUNS=$(( TOTAL_RUNS + requests ))
      [ "$workload" = calculate ] && ratio="$(python3 -c "print(f'{$rps / $LIMIT * 100:.1f}%')")"
    fi
    ROWS+="| $workload | $c | $rps | $p50 | $p90 | $p99 | $errors | $ratio |"$'\n'
    if [ "$workload" = calculate ] && [ "$c" = 64 ]; then T_RATIO="$ratio"; T_P99="$p99"; T_ERR="$errors"; fi
    echo "$workload c=$c: $rps req/s, p50 $p50, p90 $p90, p99 $p99, errors $errors, of Redis limit $ratio"
  done
done
sleep 2
RSS_END="$(rss_mb)"

CPU="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
{
  echo "# Benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($CPU), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(java -version 2>&1 | head -1);"
  echo "redis-server $(redis-server --version | awk '{print $3}' | tr -d 'v='); wrk; everything on loopback, in one run."
  echo "Store: Redis. Each workload runs $DURATION per connection count; wrk threads: 1 (c=1) or 2."
  echo
  echo "## Redis limit"
  echo
  echo "redis-benchmark (64 clients, no pipelining): SET $REDIS_SET ops/s, GET $REDIS_GET ops/s."
  echo "One single-step calculator run costs $OPS_PER_RUN Redis commands (INFO commandstats over $WARM runs),"
  echo "so Redis alone could carry about **$LIMIT runs/s**; the ratio column is the calculator run rate over that."
  echo
  echo "## Throughput and latency"
  echo
  echo "| workload | connections | requests/s | p50 | p90 | p99 | errors | of Redis limit |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s' "$ROWS"
  echo
  echo "calculate: POST a one-step calculator run with Prefer: wait (answered when it has ended);"
  echo "todo: a two-step run (add a todo, then complete it), Prefer: wait; get: GET of an existing run."
  echo
  echo "## Startup and memory (JVM jar)"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| process start to first 200 on /q/health/ready | $READY_MS ms |"
  echo "| RSS after startup | $RSS_START MB |"
  echo "| RSS after $TOTAL_RUNS runs | $RSS_END MB |"
  echo
  echo "## Targets (issue 6)"
  echo
  echo "| target | measured |"
  echo "|---|---|"
  echo "| calculator runs, Prefer: wait, 64 connections: >= 25% of the Redis limit | ${T_RATIO:-not run} |"
  echo "| same: p99 < 10 ms | ${T_P99:-not run} |"
  echo "| same: 0 errors | ${T_ERR:-not run} |"
  echo "| JVM time to ready < 1.5 s | $READY_MS ms |"
  echo "| executor overhead per one-step run < 100 us (JMH) | not measured yet |"
  echo "| native: ready < 0.1 s, RSS < 80 MB after 10,000 runs | no GraalVM/Mandrel on this machine |"
} > "$RESULTS"
echo
cat "$RESULTS"
echo "Written to $RESULTS"
