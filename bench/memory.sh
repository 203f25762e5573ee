#!/usr/bin/env bash
# Memory of the runtime under heap policies that fit a Kubernetes memory limit, beside the native binary: for each
# policy (JVM options for the jar) a fresh Redis, spawn -> ready -> first workflow, RSS and PSS at idle, a warm-up
# and WARMUP_JIT of the two-step workflow at 16 connections, throughput at 16 and 1 connections (DURATION each),
# RSS and PSS after the load, the JVM's own heap and non-heap figures (/q/metrics). Memory is given for the
# runtime's process alone (what its pod's limit must hold) and with Redis (counted as for the peers in peers.sh).
#   bench/memory.sh                                        # the policies below, REPEATS=3 (estimate printed first)
#   POLICIES="default serial-256m" DURATION=2s WARMUP_JIT=2s REPEATS=1 SKIP_BUILD=1 bench/memory.sh   # smoke
# A policy is NAME=JVM options; LIMIT_MB (512, deploy/k8s's limit) is the container limit the ergonomics are
# told about with -XX:MaxRAM (what the JVM reads from a container's cgroup), without enforcing it.
# Results: bench/results/<date>-memory.md and .tsv; raw output in target/bench/memory-<time>/.
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/harness.sh
unset RUNTIME_JVM_OPTS RUNTIME_NATIVE_OPTS   # each policy names its own options

LIMIT_MB="${LIMIT_MB:-512}"
declare -A POLICY=(
  [default]=""
  [k8s-ram75]="-XX:MaxRAM=${LIMIT_MB}m -XX:MaxRAMPercentage=75"
  [k8s-ram50-serial]="-XX:MaxRAM=${LIMIT_MB}m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC"
  [serial-256m]="-Xmx256m -XX:+UseSerialGC"
  [serial-128m-lean]="-Xmx128m -XX:+UseSerialGC -Xss512k -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m"
  [serial-128m-c1]="-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
  # The native binary: its own default (the image's max heap is a share of the machine's or container's memory),
  # and a fixed max heap, passed as the binary's own option.
  [native]=""
  [native-96m]="-Xmx96m"
  [native-128m]="-Xmx128m"
)
POLICIES="${POLICIES:-default k8s-ram75 k8s-ram50-serial serial-256m serial-128m-lean serial-128m-c1 native native-128m native-96m}"
REPEATS="${REPEATS:-3}"
DURATION="${DURATION:-8s}"
WARMUP_JIT="${WARMUP_JIT:-30s}"
WARMUP="${WARMUP:-5s}"
MEMORY_REDIS="${MEMORY_REDIS:-everysec}"
need java redis-server redis-cli wrk curl python3
bench_init memory
for p in $POLICIES; do
  [ -n "${POLICY[$p]+set}" ] || { echo "unknown policy: $p (${!POLICY[*]})"; exit 1; }
done
n="$(wc -w <<< "$POLICIES")"
est=$(( REPEATS * n * (${WARMUP_JIT%s} + 2 * ${DURATION%s} + 16) + 60 ))
log "memory: policies [$POLICIES], $REPEATS repeats, warm-up $WARMUP_JIT, $DURATION per figure, limit ${LIMIT_MB} MiB, Redis $MEMORY_REDIS"
log "estimated time: $(hms "$est") on a quiet machine, at most $(hms $(( est + REPEATS * n * (LOAD_WAIT_MAX + 2 * OTHER_WAIT_MAX) ))) if every wait for calm runs to its bound"
[ -n "${ESTIMATE_ONLY:-}" ] && exit 0

builds="jar"
[[ " $POLICIES " == *" native"* ]] && builds+=" native"
# shellcheck disable=SC2086
prepare_builds $builds
for p in $POLICIES; do
  SUBJECT="$p"
  if [[ "$p" == native* ]]; then rec version "$(build_version native) ${POLICY[$p]:-(no options)}"; else rec version "$(build_version jar) ${POLICY[$p]:-(no options)}"; fi
done
SUBJECT=-
rec settings "limit ${LIMIT_MB} MiB; warm-up $WARMUP_JIT (native $WARMUP) at 16 connections; $DURATION per figure; Redis $MEMORY_REDIS"

jvm_metric() {  # jvm_metric <metric> <area>: the sum over pools, in MB, from the management interface
  curl -s -m 5 "http://127.0.0.1:$APP_MGMT/q/metrics" | awk -v m="$1" -v a="area=\"$2\"" \
    'index($0, m "{") == 1 && index($0, a) {s += $NF} END {printf "%.0f", s / 1048576}'
}

measure_policy() {  # measure_policy <policy>
  local p="$1" build=jar t0 opts=()
  SUBJECT="$p"; TABLE=policy; GOOD_TOTAL=0
  [[ "$p" == native* ]] && build=native
  [[ " $BUILDS " == *" $build "* ]] || { log "SKIPPED $p: no $build build"; return 0; }
  # shellcheck disable=SC2206
  opts=(${POLICY[$p]})
  # the ergonomics these options give (heap, GC), as the JVM reports them
  [ "$build" = native ] || rec flags "$(java "${opts[@]}" -XX:+PrintCommandLineFlags -version 2>&1 | head -1)"
  wait_load policy
  start_redis "$RUN/redis-$p-$REPEAT" "$MEMORY_REDIS"
  APP_HTTP=""; APP_MGMT=""
  free_port APP_HTTP; free_port APP_MGMT
  runtime_target
  t0="$(now_ms)"
  runtime_start "$build" "${opts[@]}"
  runtime_ready || { rec error "not ready within ${READY_MAX}s: $(tail -c 300 "$RUN/runtime-$build.log" | tr '\n' ' ')"; log "$p: not ready"; return 1; }
  rec ready_ms "$(( $(now_ms) - t0 ))"
  probe || { rec error "first workflow failed"; log "$p: first workflow failed"; return 1; }
  rec first_ms "$(( $(now_ms) - t0 ))"
  sleep 2
  record_mem app:idle "$APP_PID"
  record_mem all:idle "$APP_PID" "$REDIS_PID"
  run_wrk warmup 16 "$([ "$build" = native ] && echo "$WARMUP" || echo "$WARMUP_JIT")" "$APP_PID" "$REDIS_PID"
  for c in 16 1; do
    wait_quiet "c$c" "$APP_PID" "$REDIS_PID"
    run_wrk "c$c" "$c" "$DURATION" "$APP_PID" "$REDIS_PID"
    record_wrk "$c"
  done
  sleep 2
  record_mem app:after "$APP_PID"
  record_mem all:after "$APP_PID" "$REDIS_PID"
  if [ "$build" != native ]; then
    rec heap_used "$(jvm_metric jvm_memory_used_bytes heap)"
    rec heap_committed "$(jvm_metric jvm_memory_committed_bytes heap)"
    rec heap_max "$(jvm_metric jvm_memory_max_bytes heap)"
    rec nonheap_committed "$(jvm_metric jvm_memory_committed_bytes nonheap)"
  fi
  rec answered_ok "$GOOD_TOTAL"
  kill -0 "$APP_PID" 2>/dev/null || rec error "the process died under load"
}

# shellcheck disable=SC2086
repeat_each measure_policy $POLICIES
write_results memory "$est"
