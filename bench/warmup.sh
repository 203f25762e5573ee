#!/usr/bin/env bash
# Warm-up curve of the runtime's builds (jar on JDK 17, jar + JDK 25 AOT cache, native binary): each is spawned on
# a fresh Redis and a fixed load of the two-step workflow at 16 connections is applied from the moment its HTTP
# port accepts connections until SECONDS_LONG after the spawn; completed workflows are counted per 100 ms since the
# spawn. Prints runs/s for each second, the time from spawn to the first answer, and to 90% of the peak (peak: the
# median runs/s of the last 20 s; reached: the end of the first 0.5 s window whose rate is >= 90% of it).
#   bench/warmup.sh                              # 3 builds x REPEATS=3 (the estimate is printed first)
#   SECONDS_LONG=10 REPEATS=1 BUILDS="jar native" SKIP_BUILD=1 bench/warmup.sh      # a smoke run
# Redis as deploy/k8s runs it (appendonly yes, appendfsync everysec; WARMUP_REDIS=always|everysec|no|off).
# Results: bench/results/<date>-warmup.md and .tsv; raw output in target/bench/warmup-<time>/.
# Needs: java, redis-server, redis-cli, wrk, curl, python3.
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/harness.sh

BUILDS_WANTED="${BUILDS:-jar aot native}"
REPEATS="${REPEATS:-3}"
SECONDS_LONG="${SECONDS_LONG:-60}"
CONNECTIONS="${CONNECTIONS:-16}"
WARMUP_REDIS="${WARMUP_REDIS:-everysec}"
need java redis-server redis-cli wrk curl python3
bench_init warmup
n_builds="$(wc -w <<< "$BUILDS_WANTED")"
est=$(( REPEATS * n_builds * (SECONDS_LONG + 10) + 90 ))
log "warm-up: builds [$BUILDS_WANTED], $REPEATS repeats of $SECONDS_LONG s at $CONNECTIONS connections, Redis $WARMUP_REDIS"
log "estimated time: $(hms "$est") on a quiet machine, at most $(hms $(( est + REPEATS * n_builds * LOAD_WAIT_MAX ))) if every wait for calm runs to its bound"
[ -n "${ESTIMATE_ONLY:-}" ] && exit 0

# shellcheck disable=SC2086
prepare_builds $BUILDS_WANTED
for b in $BUILDS; do SUBJECT="$b"; rec version "$(build_version "$b")"; done
SUBJECT=-
rec settings "$SECONDS_LONG s from spawn at $CONNECTIONS connections; Redis $WARMUP_REDIS; 100 ms buckets; calm: load1 < $LOAD_MAX before each curve (at most ${LOAD_WAIT_MAX}s)"

curve() {  # curve <build>: one spawn under load
  local build="$1" t0 open_ms left out
  SUBJECT="$build"; TABLE=curve; GOOD_TOTAL=0
  wait_load curve
  start_redis "$RUN/redis-$build-$REPEAT" "$WARMUP_REDIS"
  APP_HTTP=""; APP_MGMT=""
  free_port APP_HTTP; free_port APP_MGMT
  runtime_target
  t0="$(now_ms)"
  runtime_start "$build"
  # wrk starts once the port accepts connections: a refused connect makes wrk retry in a tight loop, which would
  # take CPU from the starting process.
  until (exec 3<>"/dev/tcp/127.0.0.1/$APP_HTTP") 2>/dev/null; do
    kill -0 "$APP_PID" 2>/dev/null && [ $(( $(now_ms) - t0 )) -lt $(( SECONDS_LONG * 1000 )) ] \
      || { rec error "the HTTP port never opened"; log "$build: the HTTP port never opened"; return 1; }
    sleep 0.01
  done
  open_ms=$(( $(now_ms) - t0 ))
  left=$(( (SECONDS_LONG * 1000 - open_ms) / 1000 ))
  [ "$left" -ge 1 ] || { rec error "port opened after ${open_ms} ms, past the curve"; return 1; }
  WF_T0_MS="$t0" WF_BUCKET_MS=100 run_wrk curve "$CONNECTIONS" "${left}s" "$APP_PID" "$REDIS_PID"
  out="$W_OUT"
  rec seconds "$SECONDS_LONG"
  rec port_open_ms "$open_ms"
  rec first_ms "$(sed -n 's/^FIRST //p' <<< "$out")"
  rec good "${W_GOOD:-0}"
  rec bad "${W_BAD:-0}"
  rec sockerr "${W_ERR:-0}"
  rec cpu "$W_CPU"
  rec buckets "$(awk '/^BUCKET/ {printf "%s:%s,", $2, $3}' <<< "$out")"
  record_mem after "$APP_PID" "$REDIS_PID"
  "$PY" bench/report.py curve "$TSV" "$REPEAT" "$build" | tee -a "$RAW"
}

# shellcheck disable=SC2086
repeat_each curve $BUILDS
write_results warmup "$est"
