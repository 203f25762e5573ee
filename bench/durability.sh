#!/usr/bin/env bash
# What each Redis durability setting costs this runtime, and what a build changed: the peers' two-step workload
# (6 * 7, then a todo with the result; bench/lua/workflow.lua checks every answer) on each given jar at Redis
# `appendfsync always`, `everysec` and no AOF, one after another, repeated; at `always` the fdatasync calls per run
# (strace of redis-server over FSYNC_RUNS sequential runs), which is what a run waits for on a slow disk.
#   bench/durability.sh                                  # this build (target/quarkus-app), 2 repeats
#   JARS="/tmp/old/quarkus-run.jar target/quarkus-app/quarkus-run.jar" bench/durability.sh   # two builds, interleaved
#   REPEATS=3 WARM=30s DURATION=10s SETTINGS="always everysec off" FSYNC_RUNS=100 bench/durability.sh
# Needs redis-server, wrk, curl, python3, Java 17; strace for the fsync count (skipped without it). Prints a Markdown
# table; figures from a loaded machine say little (the load average is printed beside each).
set -euo pipefail
cd "$(dirname "$0")/.."
JARS="${JARS:-target/quarkus-app/quarkus-run.jar}"
REPEATS="${REPEATS:-2}"
WARM="${WARM:-20s}"
DURATION="${DURATION:-10s}"
SETTINGS="${SETTINGS:-always everysec off}"
FSYNC_RUNS="${FSYNC_RUNS:-100}"
WORK="$(mktemp -d)"
APP=""
REDIS_PORT=""
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  [ -n "$REDIS_PORT" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for jar in $JARS; do [ -f "$jar" ] || { echo "no jar at $jar (./mvnw package -DskipTests first)" >&2; exit 2; }; done
free_port() { python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
export WF_PATH=/api/v1/runs WF_PREFER="wait=5" WF_EXPECT='"status":"completed"|"output":42'
export WF_BODY='{"prompt": "calculate 6 * 7 and add the result as a todo"}'

echo "| repeat | setting | jar | connections | runs/s | p50 | p99 | fdatasync per run | load |"
echo "|---|---|---|---|---|---|---|---|---|"
for repeat in $(seq "$REPEATS"); do
  for setting in $SETTINGS; do
    for jar in $JARS; do
      case "$setting" in
        always) aof=(--appendonly yes --appendfsync always) ;;
        everysec) aof=(--appendonly yes --appendfsync everysec) ;;
        off) aof=(--appendonly no) ;;
        *) echo "unknown setting $setting (always, everysec, off)" >&2; exit 2 ;;
      esac
      REDIS_PORT="$(free_port)"; http="$(free_port)"; mgmt="$(free_port)"
      mkdir -p "$WORK/$REDIS_PORT"
      redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' "${aof[@]}" --dir "$WORK/$REDIS_PORT" \
        --daemonize yes --logfile "$WORK/$REDIS_PORT/redis.log"
      until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.05; done
      env AGENT_STORE=redis AGENT_LOG_LEVEL=WARN AGENT_QUEUE_MAX_CONCURRENT=256 AGENT_QUEUE_MAX_QUEUED=100000 \
        AGENT_TODOS_MAX_PER_TENANT=100000000 QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" \
        QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$mgmt" java -jar "$jar" > "$WORK/app.log" 2>&1 &
      APP=$!
      for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$mgmt/q/health/ready" && break; sleep 0.1; done
      WF_TAG="warm$REDIS_PORT" wrk -t2 -c16 -d"$WARM" --timeout 10s -s bench/lua/workflow.lua "http://127.0.0.1:$http" \
        > /dev/null 2>&1
      fsyncs="–"
      if [ "$setting" = always ] && command -v strace >/dev/null; then
        strace -f -c -e trace=fdatasync,fsync -o "$WORK/strace" -p "$(pgrep -f "redis-server 127.0.0.1:$REDIS_PORT")" \
          2> /dev/null &
        tracer=$!
        sleep 0.5
        for _ in $(seq "$FSYNC_RUNS"); do
          curl -s -o /dev/null -H 'Content-Type: application/json' -H "Prefer: $WF_PREFER" -d "$WF_BODY" \
            "http://127.0.0.1:$http$WF_PATH"
        done
        kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
        fsyncs="$(awk -v n="$FSYNC_RUNS" '$NF == "fdatasync" || $NF == "fsync" {c += $4} END {printf "%.2f", c / n}' \
          "$WORK/strace")"
      fi
      for c in 1 16; do
        out="$(WF_TAG="m$c$REDIS_PORT" wrk -t$(( c < 2 ? 1 : 2 )) -c"$c" -d"$DURATION" --timeout 10s --latency \
          -s bench/lua/workflow.lua "http://127.0.0.1:$http" 2>&1)"
        good="$(sed -n 's/^CHECK good=\([0-9]*\) .*/\1/p' <<< "$out")"
        bad="$(sed -n 's/^CHECK .*bad=\([0-9]*\)$/\1/p' <<< "$out")"
        secs="$(awk '/requests in/ {sub(/s,?$/, "", $4); print $4}' <<< "$out")"
        [ "${bad:-0}" = 0 ] || echo "warning: $bad answers were not a completed run" >&2
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$repeat" "$setting" "$jar" "$c" \
          "$(awk -v g="${good:-0}" -v s="${secs:-0}" 'BEGIN {if (s > 0) printf "%.0f", g / s}')" \
          "$(awk '$1 == "50%" {print $2}' <<< "$out")" "$(awk '$1 == "99%" {print $2}' <<< "$out")" \
          "$([ "$c" = 1 ] && echo "$fsyncs" || echo "–")" "$(cut -d' ' -f1 /proc/loadavg)"
      done
      kill "$APP"; wait "$APP" 2>/dev/null || true; APP=""
      redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; REDIS_PORT=""
    done
  done
done
