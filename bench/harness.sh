# Shared by bench/peers.sh, bench/warmup.sh and bench/memory.sh (sourced from the project's root): a run
# directory with a raw log and a TSV of every figure, free loopback ports, processes stopped by PID, the machine's
# calm checked before each measured phase, memory and CPU accounting, Redis and Postgres with a chosen durability,
# the runtime's three builds (jar, jar + JDK 25 AOT cache, native binary) and wrk with checked answers.
# Knobs (environment): BENCH_PORTS (lo-hi, default 20000-29999), READY_MAX (s, 120), LOAD_MAX (1-min load average,
# default: the cores), LOAD_WAIT_MAX (s, 20), OTHER_MAX (CPUs other processes may use, 0.25), OTHER_WAIT_MAX (s,
# 10), SKIP_BUILD=1, JAVA_AOT (a JDK >= 25's java), NATIVE (a native binary; default target/*-runner),
# RUNTIME_JVM_OPTS (JVM options for the jar builds, e.g. the heap policy chosen with bench/memory.sh),
# RUNTIME_NATIVE_OPTS (the native binary's own options, e.g. -Xmx128m as deploy/k8s runs it).
# shellcheck shell=bash
BENCH_ROOT="$PWD"
BENCH="$BENCH_ROOT/bench"
BENCH_PORTS="${BENCH_PORTS:-20000-29999}"
READY_MAX="${READY_MAX:-120}"
LOAD_MAX="${LOAD_MAX:-$(nproc)}"
LOAD_WAIT_MAX="${LOAD_WAIT_MAX:-20}"
OTHER_MAX="${OTHER_MAX:-0.25}"
OTHER_WAIT_MAX="${OTHER_WAIT_MAX:-10}"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
JAVA_AOT="${JAVA_AOT:-$(ls -d /usr/lib/jvm/*-25* 2>/dev/null | head -1)/bin/java}"
export BENCH_PID=$$
# the interpreter itself, not a version manager's shim (a shell script per call would add up between phases)
PY="$(python3 -c 'import sys; print(sys.executable)')"

bench_init() {  # bench_init <name>: RUN (target/bench/<name>-<UTC time>), RAW, TSV
  RUN="${RUN_DIR:-$BENCH_ROOT/target/bench/$1-$(date -u +%Y%m%dT%H%M%SZ)}"
  mkdir -p "$RUN"
  chmod 755 "$RUN" "$(dirname "$RUN")"
  RAW="$RUN/raw.log"
  TSV="$RUN/results.tsv"
  T_START="$(date +%s)"
  : > "$TSV"
  printf 'repeat\ttable\tsubject\tkey\tvalue\n' > "$TSV"
}
need() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null || { echo "missing: $tool"; exit 1; }; done
}
log() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$RAW"; }
now_ms() { date +%s%3N; }
REPEAT=0; TABLE=-; SUBJECT=-   # what rec files a figure under
rec() { printf '%s\t%s\t%s\t%s\t%s\n' "$REPEAT" "$TABLE" "$SUBJECT" "$1" "$2" >> "$TSV"; }   # rec <key> <value>
hms() { printf '%d min %02d s' $(( $1 / 60 )) $(( $1 % 60 )); }

PORTS_USED=""
free_port() {  # free_port <variable>
  local p
  p="$("$PY" "$BENCH/proc.py" port "${BENCH_PORTS%-*}" "${BENCH_PORTS#*-}" $PORTS_USED)" || exit 1
  PORTS_USED="$PORTS_USED $p"
  printf -v "$1" '%s' "$p"
}

# --- processes: every one started is listed and stopped by its PID --------------------------------------------
STARTED=()
stop_pid() {  # stop_pid <pid> [seconds before SIGKILL, default 15]
  local pid="$1" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null
  for i in $(seq $(( ${2:-15} * 10 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && { kill -9 "$pid" 2>/dev/null; log "pid $pid stopped with SIGKILL"; }
  wait "$pid" 2>/dev/null || true
}
REDIS_PORT=""; REDIS_PID=""; PGDATA_DIR=""
stop_redis() {
  [ -n "$REDIS_PORT" ] || return 0
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  stop_pid "$REDIS_PID"
  REDIS_PORT=""; REDIS_PID=""
}
stop_pg() {
  [ -n "$PGDATA_DIR" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -t 60 stop >> "$RAW" 2>&1 || true
  PGDATA_DIR=""
}
stop_all() {  # everything this script started, newest first
  local i
  for (( i = ${#STARTED[@]} - 1; i >= 0; i-- )); do stop_pid "${STARTED[$i]}"; done
  STARTED=()
  stop_redis
  stop_pg
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# --- the machine's calm ---------------------------------------------------------------------------------------
below() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a + 0 < b + 0)}'; }   # below <x> <y>: x < y (decimals)
wait_load() {  # wait_load <phase>: until the 1-min load average < LOAD_MAX, at most LOAD_WAIT_MAX s; recorded
  local start load
  start="$(date +%s)"
  while :; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    below "$load" "$LOAD_MAX" && break
    [ $(( $(date +%s) - start )) -ge "$LOAD_WAIT_MAX" ] && break
    sleep 2
  done
  rec "load:$1" "$(cut -d' ' -f1-3 /proc/loadavg) waited=$(( $(date +%s) - start ))s"
}
wait_quiet() {  # wait_quiet <phase> <pid>...: until other processes use < OTHER_MAX CPUs over 1 s (at most
  # OTHER_WAIT_MAX s): the engine's own processes, even idle-busy ones, do not count; recorded with the load average
  local phase="$1" start share
  shift
  start="$(date +%s)"
  while :; do
    share="$("$PY" "$BENCH/proc.py" others 1 "$@")"
    below "$share" "$OTHER_MAX" && break
    [ $(( $(date +%s) - start )) -ge "$OTHER_WAIT_MAX" ] && break
  done
  rec "calm:$phase" "others=${share}cpu load=$(cut -d' ' -f1 /proc/loadavg) waited=$(( $(date +%s) - start ))s"
}

# --- memory and CPU -------------------------------------------------------------------------------------------
all_pids() { "$PY" "$BENCH/proc.py" tree "$@" | tr '\n' ' '; }   # the PIDs and their descendants
record_mem() {  # record_mem <label> <pid>...: RSS and PSS summed over the processes and their descendants
  local label="$1" m pids
  shift
  pids="$(all_pids "$@")"
  m="$("$PY" "$BENCH/proc.py" mem $pids 2>>"$RAW")"
  read -r MEM_RSS MEM_PSS MEM_N <<< "$m"
  rec "rss:$label" "$MEM_RSS"
  rec "pss:$label" "$MEM_PSS"
  rec "procs:$label" "$MEM_N"
  log "memory $label: RSS $MEM_RSS MB, PSS $MEM_PSS MB, $MEM_N processes ($pids)"
}

# --- stores ---------------------------------------------------------------------------------------------------
redis_durability() {  # redis_durability <always|everysec|no|off>: the redis-server options
  case "$1" in
    always|everysec|no) echo "--appendonly yes --appendfsync $1" ;;
    off) echo "--appendonly no" ;;
    *) echo "unknown Redis durability: $1 (always, everysec, no, off)" >&2; exit 1 ;;
  esac
}
start_redis() {  # start_redis <dir> <always|everysec|no|off>: REDIS_PORT, REDIS_PID; records its settings
  local dir="$1" i
  mkdir -p "$dir"
  free_port REDIS_PORT
  # shellcheck disable=SC2046
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' $(redis_durability "$2") --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for i in $(seq 200); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && [ -s "$dir/redis.pid" ] && break; sleep 0.05; done
  REDIS_PID="$(cat "$dir/redis.pid")"
  rec store "Redis appendonly $(redis-cli -p "$REDIS_PORT" config get appendonly | tail -1), appendfsync $(redis-cli -p "$REDIS_PORT" config get appendfsync | tail -1)"
}
start_pg() {  # start_pg <dir> <on|off>: a fresh cluster (initdb as postgres) with synchronous_commit on|off, fsync on
  local dir="$1"
  mkdir -p "$dir"
  chown postgres:postgres "$dir"
  runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 > "$dir/initdb.log" 2>&1 \
    || { log "initdb failed: $(tail -3 "$dir/initdb.log")"; return 1; }
  free_port PG_PORT
  PGDATA_DIR="$dir/data"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $dir -c synchronous_commit=$2 -c fsync=on" start >> "$RAW" 2>&1 \
    || { log "pg_ctl start failed: $(tail -3 "$dir/postgres.log")"; return 1; }
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c "CREATE DATABASE bench" >> "$RAW" 2>&1
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/bench"
  rec store "Postgres $(pg_q "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name DESC) FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method')")"
}
pg_q() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d bench -qAt -F' ' -c "$1" 2>&1; }
pg_pids() { head -1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null; }   # the postmaster (all_pids adds its children)

# --- the runtime's builds -------------------------------------------------------------------------------------
# prepare_builds <build>...: copies each build into the run directory (so a rebuild meanwhile cannot interfere);
# sets BUILDS to those available, and says in one line why any other is skipped.
prepare_builds() {
  local b
  BUILDS=""
  for b in "$@"; do
    case "$b" in
      jar)
        [ -n "${SKIP_BUILD:-}" ] && [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
        rm -rf "$RUN/app-jar" && cp -a target/quarkus-app "$RUN/app-jar" && BUILDS+=" jar" ;;
      aot)
        if [ ! -x "$JAVA_AOT" ]; then
          log "SKIPPED aot: no JDK >= 25 (set JAVA_AOT=/path/to/bin/java, or install temurin-25 under /usr/lib/jvm)"
          continue
        fi
        [ -n "${SKIP_BUILD:-}" ] && [ -f target/quarkus-app-aot/quarkus-run.jar ] || ./mvnw -B -q package \
          -DskipTests -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=quarkus-app-aot
        rm -rf "$RUN/app-aot" && cp -a target/quarkus-app-aot "$RUN/app-aot"
        train_aot && BUILDS+=" aot" ;;
      native)
        NATIVE="${NATIVE:-$(ls target/*-runner 2>/dev/null | head -1)}"
        if [ -z "$NATIVE" ] || [ ! -x "$NATIVE" ]; then
          log "SKIPPED native: no native binary (target/*-runner; build it with ../shared/native/build-native.sh or ./mvnw package -Dnative, or set NATIVE=)"
          continue
        fi
        cp "$NATIVE" "$RUN/app-native" && BUILDS+=" native" ;;
      *) echo "unknown build: $b (jar, aot, native)"; exit 1 ;;
    esac
  done
  BUILDS="${BUILDS# }"
  rec builds "${BUILDS:-none}"
}
build_version() {  # build_version <build>: one line naming what runs
  case "$1" in
    jar) echo "$(java -version 2>&1 | head -1), jar $(sha256sum "$RUN"/app-jar/app/*.jar | cut -c1-12) ${RUNTIME_JVM_OPTS:-}" ;;
    aot) echo "$("$JAVA_AOT" -version 2>&1 | head -1), aot-jar + AOT cache ($(du -m "$RUN/app-aot/app.aot" | cut -f1) MB) ${RUNTIME_JVM_OPTS:-}" ;;
    native) echo "native $(basename "$NATIVE") ($(( $(stat -c %s "$RUN/app-native") / 1048576 )) MB) ${RUNTIME_NATIVE_OPTS:-}" ;;
  esac
}
# One tenant adds a todo per run: its todo cap is lifted so that the load measures adds, not refusals.
RUNTIME_ENV=(AGENT_STORE=redis AGENT_LOG_LEVEL=WARN AGENT_QUEUE_MAX_CONCURRENT=256 AGENT_QUEUE_MAX_QUEUED=100000
  AGENT_TODOS_MAX_PER_TENANT=100000000)
# RUNTIME_JVM_OPTS / RUNTIME_NATIVE_OPTS: options for the jar builds / the native binary when a script passes none;
# by default the heap policies deploy/k8s gives them (the JVM overlay's 512 MiB limit at JAVA_MAX_MEM_RATIO=50, as
# -XX:MaxRAM tells the ergonomics; the base's -Xmx128m), so that memory is measured as deployed. Set empty for none.
RUNTIME_JVM_OPTS="${RUNTIME_JVM_OPTS--XX:MaxRAM=512m -XX:MaxRAMPercentage=50}"
RUNTIME_NATIVE_OPTS="${RUNTIME_NATIVE_OPTS--Xmx128m}"
runtime_start() {  # runtime_start <build> [JVM options...]: APP_PID; APP_HTTP/APP_MGMT are picked if unset
  local build="$1" cmd
  shift
  # shellcheck disable=SC2086
  if [ $# -eq 0 ]; then
    if [ "$build" = native ]; then set -- ${RUNTIME_NATIVE_OPTS:-}; else set -- ${RUNTIME_JVM_OPTS:-}; fi
  fi
  [ -n "${APP_HTTP:-}" ] || free_port APP_HTTP
  [ -n "${APP_MGMT:-}" ] || free_port APP_MGMT
  case "$build" in
    jar) cmd=(java "$@" -jar "$RUN/app-jar/quarkus-run.jar") ;;
    aot) cmd=("$JAVA_AOT" -XX:AOTCache="$RUN/app-aot/app.aot" "$@" -jar "$RUN/app-aot/quarkus-run.jar") ;;
    aot-train) cmd=("$JAVA_AOT" -XX:AOTCacheOutput="$RUN/app-aot/app.aot" "$@" -jar "$RUN/app-aot/quarkus-run.jar") ;;
    native) cmd=("$RUN/app-native" "$@") ;;
  esac
  env "${RUNTIME_ENV[@]}" QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" QUARKUS_HTTP_PORT="$APP_HTTP" \
    QUARKUS_MANAGEMENT_PORT="$APP_MGMT" "${cmd[@]}" >> "$RUN/runtime-$build.log" 2>&1 &
  APP_PID=$!
  STARTED+=("$APP_PID")
}
wait_http() {  # wait_http <url> <pid>: until the URL answers 2xx (at most READY_MAX s); fails if the process died
  local deadline=$(( $(date +%s) + READY_MAX ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    curl -fs -m 2 -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}
runtime_ready() { wait_http "http://127.0.0.1:$APP_MGMT/q/health/ready" "$APP_PID"; }
runtime_target() {  # the workload on the runtime, for probe and run_wrk
  WF_URL="http://127.0.0.1:$APP_HTTP"
  WF_PATH=/api/v1/runs
  WF_BODY='{"prompt": "calculate 6 * 7 and add the result as a todo"}'
  WF_PREFER="wait=5"
  WF_EXPECT='"status":"completed"|"output":42|"result":{"todo":{|"text":"42"'
}
TRAIN_DURATION="${TRAIN_DURATION:-20s}"
train_aot() {  # the AOT cache: a training run of the workflow at 16 connections; the JVM writes it on exit
  local dir="$RUN/aot-training"
  SUBJECT=aot-training
  log "aot: training run ($TRAIN_DURATION of the two-step workflow at 16 connections)"
  start_redis "$dir" off
  runtime_start aot-train
  runtime_ready || { log "SKIPPED aot: the training run did not become ready"; stop_pid "$APP_PID"; stop_redis; SUBJECT=-; return 1; }
  runtime_target
  run_wrk train 16 "$TRAIN_DURATION" >/dev/null
  stop_pid "$APP_PID" 120   # the cache is assembled at exit
  stop_redis
  APP_HTTP=""; APP_MGMT=""; SUBJECT=-
  [ -s "$RUN/app-aot/app.aot" ] || { log "SKIPPED aot: no cache written ($(tail -2 "$RUN/runtime-aot-train.log"))"; return 1; }
}

# --- load ---------------------------------------------------------------------------------------------------------
GOOD_TOTAL=0
probe() {  # one workflow on WF_*: 0 when answered 2xx with every expected substring
  local out code e
  out="$(curl -s -m 30 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
    ${WF_PREFER:+-H "Prefer: $WF_PREFER"} -d "$WF_BODY" "$WF_URL${WF_PATH//\{id\}/probe-$(now_ms)-$RANDOM}")"
  code="${out##*$'\n'}"
  [[ "$code" == 2* ]] || { echo "probe: HTTP $code ${out:0:300}" >> "$RAW"; return 1; }
  IFS='|' read -ra exps <<< "$WF_EXPECT"
  for e in "${exps[@]}"; do
    [[ "$out" == *"$e"* ]] || { echo "probe: no $e in ${out:0:300}" >> "$RAW"; return 1; }
  done
  GOOD_TOTAL=$(( GOOD_TOTAL + 1 ))
}
to_ms() { awk '{v = $1 + 0; u = $1; sub(/^[0-9.]+/, "", u); printf "%.2f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1)}' <<< "$1"; }
run_wrk() {  # run_wrk <label> <connections> <duration> [pid...]: wrk on WF_*; W_* figures, CPU by the given PIDs
  local label="$1" c="$2" d="$3" out
  shift 3
  "$PY" "$BENCH/proc.py" snap "$RUN/cpu.before"
  out="$(WF_PATH="$WF_PATH" WF_BODY="$WF_BODY" WF_PREFER="$WF_PREFER" WF_EXPECT="$WF_EXPECT" \
    WF_TAG="$label-$(now_ms)" timeout $(( ${d%s} + 60 )) wrk -t$(( c < 2 ? 1 : 2 )) -c"$c" -d"$d" --timeout 10s \
    --latency -s "$BENCH/lua/workflow.lua" "$WF_URL" 2>&1)"
  "$PY" "$BENCH/proc.py" snap "$RUN/cpu.after"
  W_CPU="$("$PY" "$BENCH/proc.py" delta "$RUN/cpu.before" "$RUN/cpu.after" $(all_pids "$@"))"
  W_GOOD="$(sed -n 's/^CHECK good=\([0-9]*\) .*/\1/p' <<< "$out")"
  W_BAD="$(sed -n 's/^CHECK .*bad=\([0-9]*\)$/\1/p' <<< "$out")"
  W_SECS="$(awk '/requests in/ {sub(/s,?$/, "", $4); print $4}' <<< "$out")"
  W_WPS="$(awk -v g="${W_GOOD:-0}" -v s="${W_SECS:-0}" 'BEGIN {if (s > 0) printf "%.1f", g / s}')"
  W_P50="$(to_ms "$(awk '$1 == "50%" {print $2}' <<< "$out")")"
  W_P99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<< "$out")")"
  W_ERR="$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' <<< "$out")"
  W_OUT="$out"
  GOOD_TOTAL=$(( GOOD_TOTAL + ${W_GOOD:-0} ))
  { echo "=== $SUBJECT $label c=$c d=$d"; grep -v '^BUCKET' <<< "$out"; echo "CPU $W_CPU"; } >> "$RAW"
  log "$SUBJECT $label c=$c: ${W_WPS:-?} workflows/s, good ${W_GOOD:-?} bad ${W_BAD:-?} socket errors ${W_ERR:-0}, p50 ${W_P50} ms p99 ${W_P99} ms; CPU $W_CPU"
}
record_wrk() {  # record_wrk <tag>: the last run_wrk's figures under <figure>:<tag>
  rec "wps:$1" "$W_WPS"
  rec "p50:$1" "$W_P50"
  rec "p99:$1" "$W_P99"
  rec "good:$1" "${W_GOOD:-0}"
  rec "bad:$1" "${W_BAD:-0}"
  rec "sockerr:$1" "${W_ERR:-0}"
  rec "cpu:$1" "$W_CPU"
}
repeat_each() {  # repeat_each <function> <item>...: REPEATS times <function> <item> for each item, then stop_all
  local item
  for REPEAT in $(seq "$REPEATS"); do
    for item in "${@:2}"; do
      "$1" "$item" || log "$item (repeat $REPEAT): aborted"
      stop_all
    done
  done
}
write_results() {  # write_results <name> <estimate s>: bench/results/<date>-<name>.tsv and .md (bench/report.py <name>)
  local out="bench/results/$(date -u +%Y-%m-%d)-$1"
  REPEAT=0; TABLE=-; SUBJECT=-
  rec elapsed "$(( $(date +%s) - T_START )) s in all (estimate: $2 s)"
  cp "$TSV" "$out.tsv"
  "$PY" "$BENCH/report.py" "$1" "$out.tsv" > "$out.md" && log "written: $out.md and $out.tsv (raw: $RUN)"
  log "total time: $(hms $(( $(date +%s) - T_START )))"
}
