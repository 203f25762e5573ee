#!/usr/bin/env bash
# This runtime beside the durable-execution engines users compare it with, one after another on this machine, on
# one workload: an HTTP POST starts a two-step durable workflow (step 1: 6 * 7, journaled; step 2: store a todo
# with the result, journaled) and is answered when it has finished. Engines: the runtime as jar (Java 17), jar +
# JDK 25 AOT cache, native binary (each on Redis); Restate 1.7.12 (TS SDK 1.17.2); DBOS 5.3.0 and LangGraph JS
# 1.7.3 (Postgres checkpointer), both on Postgres 15. Two tables:
#   equal    equal durability: Redis appendfsync always; Restate's default (fsyncs its log); Postgres
#            synchronous_commit=on, fsync=on
#   fastest  each engine's fastest setting: Redis FAST_REDIS (everysec, or no / off); Restate's log without WAL
#            fsync; Postgres synchronous_commit=off
#
#   bench/peers.sh                                      # everything, REPEATS=3 (the estimate is printed first)
#   DURATION=2s WARMUP=1s WARMUP_JIT=2s REPEATS=1 bench/peers.sh          # a smoke run (figures not valid)
#   ENGINES="runtime-jar restate" TABLES=equal SKIP_BUILD=1 bench/peers.sh
#   ESTIMATE_ONLY=1 bench/peers.sh                      # only print how long it would take
#
# Per engine, table and repeat (a "session"): a fresh store; spawn -> ready -> first workflow answered, on the
# fresh store and again after a restart; memory at idle; a warm-up at 16 connections (WARMUP, or WARMUP_JIT for
# the JVM builds); wrk at 16, 64 and 1 connections (DURATION each); at equal durability the fsync/fdatasync calls
# of the store per workflow (strace over FSYNC_DURATION at 1 connection); memory after the load; a check that the
# store holds both steps of every workflow answered. Every answer is checked (2xx and the finished result).
# Results: bench/results/<date>-peers.md and .tsv; raw output in target/bench/peers-<time>/.
# Needs (Debian): redis-server postgresql wrk strace curl python3 util-linux, Node 20+ with npm, Java 17; root
# (Postgres clusters run as the postgres user, restate-server in a private mount namespace).
set -uo pipefail
cd "$(dirname "$0")/.."
source bench/harness.sh

ENGINES="${ENGINES:-runtime-jar runtime-aot runtime-native restate dbos langgraph}"
TABLES="${TABLES:-equal fastest}"
REPEATS="${REPEATS:-3}"
DURATION="${DURATION:-8s}"
WARMUP="${WARMUP:-5s}"
WARMUP_JIT="${WARMUP_JIT:-30s}"
FSYNC_DURATION="${FSYNC_DURATION:-4s}"
FAST_REDIS="${FAST_REDIS:-everysec}"
[ "$(id -u)" = 0 ] || { echo "run as root (Postgres runs as the postgres user, Restate in a mount namespace)"; exit 1; }
need java node npm redis-server redis-cli wrk strace curl python3 psql unshare runuser
bench_init peers
PEERS="$BENCH/peers"
RESTATE_BIN="$PEERS/restate/node_modules/@restatedev/restate-server-linux-x64/bin/restate-server"

# --- the estimate, printed before anything runs ----------------------------------------------------------------
secs() { echo "${1%s}"; }
estimate() {  # seconds of a full run with these knobs on a quiet machine (no waits for calm), and the worst case
  local e t s=0 sessions=0 warm
  for t in $TABLES; do
    for e in $ENGINES; do
      case "$e" in runtime-jar|runtime-aot) warm="$(secs "$WARMUP_JIT")" ;; *) warm="$(secs "$WARMUP")" ;; esac
      s=$(( s + warm + 3 * $(secs "$DURATION") + 14 ))          # load, settles, verification, stop
      case "$e" in
        runtime-jar) s=$(( s + 8 )) ;;                           # two starts of ~3.5 s
        runtime-aot) s=$(( s + 4 )) ;;
        dbos|langgraph) s=$(( s + 5 )) ;;                        # initdb and two starts
        *) s=$(( s + 2 )) ;;
      esac
      [ "$t" = equal ] && s=$(( s + $(secs "$FSYNC_DURATION") + 2 ))
      sessions=$(( sessions + 1 ))
    done
  done
  s=$(( s * REPEATS + 180 ))   # + builds, AOT training, npm ci
  EST_QUIET="$s"
  EST_WORST=$(( s + REPEATS * sessions * (LOAD_WAIT_MAX + 3 * OTHER_WAIT_MAX) ))
}
estimate
log "peers: engines [$ENGINES], tables [$TABLES], $REPEATS repeats, warm-up $WARMUP (JVM builds $WARMUP_JIT), $DURATION per figure"
log "estimated time: $(hms "$EST_QUIET") on a quiet machine, at most $(hms "$EST_WORST") if every wait for calm runs to its bound"
[ -n "${ESTIMATE_ONLY:-}" ] && exit 0

# --- installs and builds --------------------------------------------------------------------------------------
builds=()
for e in $ENGINES; do
  case "$e" in
    runtime-*) builds+=("${e#runtime-}") ;;
    restate|dbos|langgraph)
      # --ignore-scripts: the only install script in these trees is an analytics ping (@scarf/scarf)
      (cd "$PEERS/$e" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >> "$RAW" 2>&1 \
        || { log "npm ci failed in bench/peers/$e"; exit 1; } ;;
    *) echo "unknown engine: $e"; exit 1 ;;
  esac
done
[ ${#builds[@]} -gt 0 ] && prepare_builds "${builds[@]}"
engines=""
for e in $ENGINES; do
  [[ "$e" != runtime-* || " $BUILDS " == *" ${e#runtime-} "* ]] && engines+=" $e"
done
ENGINES="${engines# }"

npmv() { node -p "require('$PEERS/$1/node_modules/$2/package.json').version" 2>/dev/null || echo "?"; }
SUBJECT=machine
rec version "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r)"
SUBJECT=tools
rec version "node $(node -v), redis-server $(redis-server --version | awk '{print $3}' | tr -d 'v='), $("$PGBIN/postgres" --version), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $(strace -V | head -1)"
for e in $ENGINES; do
  SUBJECT="$e"
  case "$e" in
    runtime-*) rec version "$(build_version "${e#runtime-}")" ;;
    restate) rec version "restate-server $("$RESTATE_BIN" --version | awk '{print $2}'), @restatedev/restate-sdk $(npmv restate @restatedev/restate-sdk)" ;;
    dbos) rec version "@dbos-inc/dbos-sdk $(npmv dbos @dbos-inc/dbos-sdk), pg $(npmv dbos pg)" ;;
    langgraph) rec version "@langchain/langgraph $(npmv langgraph @langchain/langgraph), @langchain/langgraph-checkpoint-postgres $(npmv langgraph @langchain/langgraph-checkpoint-postgres), @langchain/core $(npmv langgraph @langchain/core)" ;;
  esac
done
SUBJECT=-
rec settings "repeats $REPEATS; warm-up $WARMUP at 16 connections ($WARMUP_JIT for the JVM builds); $DURATION per figure; fsyncs over $FSYNC_DURATION at 1 connection; calm: load1 < $LOAD_MAX before each session (at most ${LOAD_WAIT_MAX}s), other processes < $OTHER_MAX CPUs before each figure (at most ${OTHER_WAIT_MAX}s)"

# --- engines ------------------------------------------------------------------------------------------------------
# Each defines <e>_store <table> (a fresh store, started once per session, plus the target WF_*), <e>_start,
# <e>_ready, <e>_stop, <e>_pids (all its processes, store included), <e>_store_pids (those that write the store),
# <e>_verify (records complete / incomplete workflows in the store). The runtime's three builds share rt_*.

## the runtime (jar, aot, native) on Redis
rt_store() {
  local durability=always
  [ "$1" = fastest ] && durability="$FAST_REDIS"
  start_redis "$RUN/$SUBJECT-$1-$REPEAT" "$durability"
  APP_HTTP=""; APP_MGMT=""
  free_port APP_HTTP; free_port APP_MGMT
  runtime_target
}
rt_start() { runtime_start "${SUBJECT#runtime-}"; }
rt_ready() { runtime_ready; }
rt_stop() { stop_pid "$APP_PID"; APP_PID=""; }
rt_pids() { echo "$APP_PID $REDIS_PID"; }
rt_store_pids() { echo "$REDIS_PID"; }
rt_verify() {
  # Every run record must be completed with both steps' results (42, and the todo "42"), the todo must exist
  # under its own key, and the run's event journal must hold step_completed for steps 1 and 2. Key layout: ADR 0032
  # (runs agent:run:{pN}:<id>, their events <run key>:events; todos agent:todo:{<tenant>}:<id>).
  local out
  out="$(redis-cli -p "$REDIS_PORT" --raw eval "
    local ok, bad, example = 0, 0, ''
    for _, k in ipairs(redis.call('KEYS', 'agent:run:{p*}:*')) do
      if not string.find(k, ':events', 1, true) and not string.find(k, ':forks', 1, true) then
        local rec = redis.call('GET', k) or ''
        local id = string.match(rec, '\"todo\":{\"id\":\"([%w%-]+)\"')
        local steps = 0
        for _, e in ipairs(redis.call('XRANGE', k .. ':events', '-', '+')) do
          local f = e[2]
          for i = 1, #f, 2 do
            if f[i] == 'type' and f[i + 1] == 'step_completed' then steps = steps + 1 end
          end
        end
        if string.find(rec, '\"status\":\"completed\"', 1, true) and string.find(rec, '\"output\":42', 1, true)
            and string.find(rec, '\"text\":\"42\"', 1, true) and id
            and redis.call('EXISTS', 'agent:todo:{default}:' .. id) == 1 and steps == 2 then
          ok = ok + 1
        else
          bad = bad + 1
          if example == '' then example = k .. ' steps=' .. steps .. ' ' .. string.sub(rec, 1, 200) end
        end
      end
    end
    return {ok, bad, example}" 0 2>&1 | tr '\n' ' ')"
  read -r V_OK V_BAD V_EXAMPLE <<< "$out"
}

## Restate: restate-server (its log and state in its own RocksDB stores) + the service endpoint (Node)
restate_store() {
  RS_DIR="$RUN/restate-$1-$REPEAT"
  mkdir -p "$RS_DIR"
  free_port RS_IN; free_port RS_ADMIN; free_port RS_NODE; free_port RS_SVC
  RS_ENV=(RESTATE_DISABLE_TELEMETRY=true RESTATE_LOG_FILTER=warn RESTATE_NODE_NAME=bench RESTATE_BASE_DIR="$RS_DIR"
    RESTATE_LISTEN_MODE=tcp RESTATE_BIND_ADDRESS="127.0.0.1:$RS_NODE" RESTATE_ADVERTISED_ADDRESS="http://127.0.0.1:$RS_NODE/"
    RESTATE_INGRESS__BIND_ADDRESS="127.0.0.1:$RS_IN" RESTATE_ADMIN__BIND_ADDRESS="127.0.0.1:$RS_ADMIN")
  # The fastest setting Restate offers: its log (log-server, and the local loglet) written without WAL fsync.
  [ "$1" = fastest ] && RS_ENV+=(RESTATE_LOG_SERVER__ROCKSDB_DISABLE_WAL_FSYNC=true
    RESTATE_BIFROST__LOCAL__ROCKSDB_DISABLE_WAL_FSYNC=true)
  rec store "Restate, its log's WAL fsync $(env "${RS_ENV[@]}" "$RESTATE_BIN" --dump-config 2>/dev/null \
    | awk '/^\[log-server\]/ {s = 1} s && /^rocksdb-disable-wal-fsync/ {print ($3 == "true" ? "off" : "on"); exit}')"
  # restate-server asks api.github.com for its latest release at every start, with no setting to stop it: it
  # runs in a private mount namespace whose /etc/hosts sends that name (and the analytics host) to 127.0.0.1.
  { cat /etc/hosts; echo "127.0.0.1 api.github.com github.com restate.gateway.scarf.sh"; } > "$RS_DIR/hosts"
  WF_URL="http://127.0.0.1:$RS_IN"
  WF_PATH="/TwoStep/{id}/run"
  WF_BODY='{}'
  WF_PREFER=""
  WF_EXPECT='"status":"completed"|"text":"42"|"completed":false'
}
restate_start() {
  env "${RS_ENV[@]}" unshare --mount --propagation private -- \
    sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$RS_DIR/hosts" "$RESTATE_BIN" --no-logo \
    >> "$RUN/restate-server.log" 2>&1 &
  RS_PID=$!
  STARTED+=("$RS_PID")
  (cd "$PEERS/restate" && exec env PORT="$RS_SVC" RESTATE_LOGGING=WARN node service.mjs) >> "$RUN/restate-service.log" 2>&1 &
  RSVC_PID=$!
  STARTED+=("$RSVC_PID")
}
restate_ready() {  # admin and ingress healthy, the endpoint listening, the deployment registered (once per store)
  local deadline=$(( $(date +%s) + READY_MAX ))
  while :; do
    kill -0 "$RS_PID" 2>/dev/null && kill -0 "$RSVC_PID" 2>/dev/null || return 1
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    curl -fs -m 2 -o /dev/null "http://127.0.0.1:$RS_ADMIN/health" \
      && curl -fs -m 2 -o /dev/null "http://127.0.0.1:$RS_IN/restate/health" \
      && (exec 3<>"/dev/tcp/127.0.0.1/$RS_SVC") 2>/dev/null && break
    sleep 0.02
  done
  curl -fs -m 5 -o /dev/null "http://127.0.0.1:$RS_ADMIN/services/TwoStep" && return 0
  curl -fs -m 30 -X POST -H 'content-type: application/json' "http://127.0.0.1:$RS_ADMIN/deployments" \
    -d "{\"uri\": \"http://127.0.0.1:$RS_SVC\"}" >> "$RAW" 2>&1 && echo >> "$RAW"
}
restate_stop() { stop_pid "$RSVC_PID"; stop_pid "$RS_PID" 60; }
restate_pids() { echo "$RS_PID $RSVC_PID"; }
restate_store_pids() { echo "$RS_PID"; }
rs_sql() {  # rs_sql <query>: the first column of the first row of Restate's SQL admin API
  curl -s -m 120 -X POST -H 'content-type: application/json' -H 'accept: application/json' \
    "http://127.0.0.1:$RS_ADMIN/query" -d "$("$PY" -c 'import json, sys; print(json.dumps({"query": sys.argv[1]}))' "$1")" \
    | "$PY" -c 'import json, sys
raw = sys.stdin.read()
try:
    print(list(json.loads(raw)["rows"][0].values())[0])
except Exception:
    print("error: " + raw[:200].replace("\n", " "))'
}
restate_verify() {
  # Completed invocations whose journal holds both ctx.run steps, and whose state holds the todo "42".
  local both todos all
  all="$(rs_sql "SELECT count(*) FROM sys_invocation WHERE target_service_name = 'TwoStep'")"
  both="$(rs_sql "SELECT count(*) FROM (SELECT j.id FROM sys_journal j JOIN sys_invocation i ON i.id = j.id WHERE i.target_service_name = 'TwoStep' AND i.status = 'completed' AND j.name IN ('calculate', 'addTodo') GROUP BY j.id HAVING count(DISTINCT j.name) = 2)")"
  todos="$(rs_sql "SELECT count(*) FROM state WHERE service_name = 'TwoStep' AND key = 'todo' AND value_utf8 LIKE '%\"text\":\"42\"%'")"
  log "restate store: $all invocations, $both completed with both steps journaled, $todos todo states"
  if [[ "$both" =~ ^[0-9]+$ && "$todos" =~ ^[0-9]+$ ]]; then V_OK=$(( both < todos ? both : todos )); else V_OK=0; fi
  V_BAD="$(count_or "$all" "$V_OK")"
  V_EXAMPLE="invocations=$all both_steps=$both todo_state=$todos"
}

## DBOS and LangGraph: a Node process on a fresh Postgres cluster
pg_store() {
  start_pg "$RUN/pg-$SUBJECT-$1-$REPEAT" "$([ "$1" = fastest ] && echo off || echo on)" || return 1
  free_port NODE_HTTP
  WF_URL="http://127.0.0.1:$NODE_HTTP"
  WF_PATH=/workflows
  WF_BODY='{}'
  WF_PREFER=""
  WF_EXPECT='"status":"completed"|"text":"42"|"completed":false'
}
node_start() {
  (cd "$PEERS/$SUBJECT" && exec env PORT="$NODE_HTTP" DATABASE_URL="$PG_URL" node server.mjs) >> "$RUN/$SUBJECT.log" 2>&1 &
  NODE_PID=$!
  STARTED+=("$NODE_PID")
}
node_ready() { wait_http "http://127.0.0.1:$NODE_HTTP/health" "$NODE_PID"; }
node_stop() { stop_pid "$NODE_PID"; NODE_PID=""; }
node_pids() { echo "$NODE_PID $(pg_pids)"; }
node_store_pids() { pg_pids; }
count_or() { [[ "$1" =~ ^[0-9]+$ && "$2" =~ ^[0-9]+$ ]] && echo $(( $1 - $2 )) || echo "?"; }   # $1 - $2
dbos_verify() {  # SUCCESS workflows with both step outputs journaled, each with its own todo row
  local all
  # the todo's id is derived from the workflow id as server.mjs does (sha256, shaped as a UUID)
  V_OK="$(pg_q "WITH w AS (SELECT workflow_uuid, encode(sha256(convert_to(workflow_uuid, 'UTF8')), 'hex') AS h
      FROM dbos.workflow_status WHERE name = 'twoStep' AND status = 'SUCCESS'
      AND (SELECT count(DISTINCT o.function_name) FROM dbos.operation_outputs o WHERE o.workflow_uuid = workflow_uuid
           AND o.function_name IN ('calculate', 'addTodo') AND o.output IS NOT NULL) = 2)
    SELECT count(*) FROM w JOIN todos t ON t.text = '42' AND t.id = (substr(h, 1, 8) || '-' || substr(h, 9, 4)
      || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12))::uuid")"
  all="$(pg_q "SELECT count(*) FROM dbos.workflow_status WHERE name = 'twoStep'")"
  V_BAD="$(count_or "$all" "$V_OK")"
  V_EXAMPLE="$(pg_q "SELECT status, count(*) FROM dbos.workflow_status GROUP BY 1" | tr '\n' ';')"
}
langgraph_verify() {  # threads whose checkpoint writes hold step 1's value 42 and step 2's todo "42"
  local all
  V_OK="$(pg_q "SELECT count(*) FROM (SELECT thread_id FROM checkpoint_writes GROUP BY thread_id
    HAVING bool_or(channel = 'value' AND convert_from(blob, 'UTF8') = '42')
       AND bool_or(channel = 'todo' AND convert_from(blob, 'UTF8') LIKE '%\"text\":\"42\"%')) t")"
  all="$(pg_q "SELECT count(DISTINCT thread_id) FROM checkpoints")"
  V_BAD="$(count_or "$all" "$V_OK")"
  V_EXAMPLE="$(pg_q "SELECT channel, count(*) FROM checkpoint_writes GROUP BY 1 ORDER BY 1" | tr '\n' ';')"
}

ops() {  # ops <engine>: the function prefix of its operations
  case "$1" in runtime-*) echo rt ;; dbos|langgraph) echo node ;; *) echo "$1" ;; esac
}
call() {  # call <op> [args]: the current engine's operation
  local p
  p="$(ops "$SUBJECT")"
  case "$1" in
    store) if [ "$p" = node ]; then pg_store "${@:2}"; else "${p}_store" "${@:2}"; fi ;;
    verify) if [ "$p" = node ]; then "${SUBJECT}_verify"; else "${p}_verify"; fi ;;
    *) "${p}_$1" "${@:2}" ;;
  esac
}

count_fsyncs() {  # strace of the store's processes over FSYNC_DURATION at 1 connection: calls per workflow
  local pids args=() p sp fs fds
  pids="$(all_pids $(call store_pids))"
  for p in $pids; do args+=(-p "$p"); done
  strace -f -c -e trace=fsync,fdatasync -o "$RUN/strace-$SUBJECT-$REPEAT.txt" "${args[@]}" 2>> "$RAW" &
  sp=$!
  STARTED+=("$sp")
  sleep 1
  run_wrk fsync 1 "$FSYNC_DURATION" $(call pids)
  kill -INT "$sp" 2>/dev/null
  wait "$sp" 2>/dev/null
  read -r fs fds <<< "$("$PY" "$BENCH/proc.py" strace "$RUN/strace-$SUBJECT-$REPEAT.txt")"
  rec fsync_calls "fsync=$fs fdatasync=$fds workflows=${W_GOOD:-0} processes=$(echo "$pids" | wc -w) ($(for p in $pids; do cat "/proc/$p/comm" 2>/dev/null; done | sort | uniq -c | awk '{printf "%sx %s ", $1, $2}'))"
  rec fsync_per_wf "$(awk -v n="$(( fs + fds ))" -v w="${W_GOOD:-0}" 'BEGIN {if (w > 0) printf "%.2f", n / w}')"
  log "$SUBJECT fsyncs: fsync $fs, fdatasync $fds over ${W_GOOD:-0} workflows (strace -f -c of $pids)"
}

session() {  # session <table>/<engine>
  local t="${1%/*}" start t0 th tf warm
  TABLE="$t"; SUBJECT="${1#*/}"; GOOD_TOTAL=0
  log "===== repeat $REPEAT, $t: $SUBJECT"
  wait_load session
  call store "$t" || { rec error "store did not start"; log "$SUBJECT: store did not start"; return 1; }
  for start in fresh restart; do
    t0="$(now_ms)"
    call start
    call ready || { rec error "not ready within ${READY_MAX}s ($start)"; log "$SUBJECT not ready ($start)"; return 1; }
    th=$(( $(now_ms) - t0 ))
    probe || { rec error "first workflow failed ($start)"; log "$SUBJECT: first workflow failed ($start)"; return 1; }
    tf=$(( $(now_ms) - t0 ))
    rec "ready_ms:$start" "$th"
    rec "first_ms:$start" "$tf"
    log "$SUBJECT $start start: ready after $th ms, first workflow answered after $tf ms"
    [ "$start" = fresh ] && { call stop; sleep 1; }
  done
  sleep 2
  record_mem idle $(call pids)
  case "$SUBJECT" in runtime-jar|runtime-aot) warm="$WARMUP_JIT" ;; *) warm="$WARMUP" ;; esac
  run_wrk warmup 16 "$warm" $(call pids)
  for c in 16 64 1; do
    wait_quiet "c$c" $(call pids)
    run_wrk "c$c" "$c" "$DURATION" $(call pids)
    record_wrk "$c"
  done
  [ "$t" = equal ] && count_fsyncs
  sleep 2
  record_mem after $(call pids)
  call verify
  rec answered_ok "$GOOD_TOTAL"
  rec store_complete "$V_OK"
  rec store_incomplete "$V_BAD"
  rec verified "$( [ "${V_BAD:-x}" = 0 ] && [ "${V_OK:-0}" -ge "$GOOD_TOTAL" ] 2>/dev/null && echo ok || echo FAILED) complete=$V_OK incomplete=$V_BAD answered_ok=$GOOD_TOTAL ${V_EXAMPLE:-}"
  log "$SUBJECT store: $V_OK workflows complete with both steps, $V_BAD not; $GOOD_TOTAL answered ok ($V_EXAMPLE)"
  call stop
}

sessions=()
for t in $TABLES; do for e in $ENGINES; do sessions+=("$t/$e"); done; done
repeat_each session "${sessions[@]}"
write_results peers "$EST_QUIET"
