#!/usr/bin/env bash
# One Redis vs a local Redis Cluster (3 primaries + 3 replicas), in one run (issue 31): the packaged jar on each,
# the two-step todo workload (bench/lua/todo.lua) at each connection count; on the cluster also with
# AGENT_STORE_REDIS_WAIT_REPLICAS=1 (WAIT for one replica after a submission and each step's record). Prints
# runs/s, p50, p99, the WAIT ratio, and per primary: the commands it executed (INFO commandstats, scripts' commands
# included) and its CPU (INFO cpu) per run, before/after the measured load, with the projection per number of
# primaries from them. A machine of 2 cores runs the app, wrk and six Redis at once: the throughput alone says
# little, the distribution and the CPU per run say what more primaries carry.
#   bench/cluster.sh                       # build, then 10 s per measurement
#   DURATION=5s SKIP_BUILD=1 CLUSTER_BASE=22400 bench/cluster.sh
# CLUSTER_BASE: the nodes' ports and their bus ports (+10000), best below the ephemeral range (32768-60999) so no
# connection of another process holds one. Every process it starts is stopped when it exits.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-1 16}"
CLUSTER_BASE="${CLUSTER_BASE:-22400}"
for tool in java redis-server redis-cli wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install redis-server wrk curl)"; exit 1; }
done
source bench/common.sh
NODES=(0 1 2 3 4 5)
stop_cluster() {
  for i in "${NODES[@]}"; do redis-cli -p $((CLUSTER_BASE + i)) shutdown nosave >/dev/null 2>&1 || true; done
  cleanup
}
trap stop_cluster EXIT

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
start_redis
for i in "${NODES[@]}"; do
  mkdir -p "$WORK/node$i"
  redis-server --port $((CLUSTER_BASE + i)) --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
    --repl-diskless-sync-delay 0 --dir "$WORK/node$i" --logfile "$WORK/node$i/log"
done
for i in "${NODES[@]}"; do until redis-cli -p $((CLUSTER_BASE + i)) ping >/dev/null 2>&1; do sleep 0.05; done; done
redis-cli --cluster create $(for i in "${NODES[@]}"; do echo "127.0.0.1:$((CLUSTER_BASE + i))"; done) \
  --cluster-replicas 1 --cluster-yes >/dev/null
for i in "${NODES[@]}"; do
  until redis-cli -p $((CLUSTER_BASE + i)) cluster info | grep -q cluster_state:ok; do sleep 0.1; done
  while redis-cli -p $((CLUSTER_BASE + i)) info replication | grep -q role:slave \
    && ! redis-cli -p $((CLUSTER_BASE + i)) info replication | grep -q master_link_status:up; do sleep 0.1; done
done
PRIMARIES=()
for i in "${NODES[@]}"; do
  redis-cli -p $((CLUSTER_BASE + i)) role | head -1 | grep -q master && PRIMARIES+=($((CLUSTER_BASE + i)))
done
HOSTS="$(for i in "${NODES[@]}"; do printf 'redis://127.0.0.1:%s,' $((CLUSTER_BASE + i)); done)"
HOSTS="${HOSTS%,}"

BASE="http://127.0.0.1:$APP_PORT"
APP_ENV=(AGENT_STORE=redis QUARKUS_HTTP_PORT="$APP_PORT" QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" AGENT_LOG_LEVEL=WARN
  AGENT_QUEUE_MAX_CONCURRENT=256 AGENT_QUEUE_MAX_QUEUED=100000 AGENT_TODOS_MAX_PER_TENANT=100000000)
start_app() {  # start_app <env...>
  env "${APP_ENV[@]}" "$@" java -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
  APP_PID=$!
  until curl -fs "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.05; done
}
stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""; }
# Per node: the commands executed so far (scripts' commands included), and its CPU seconds.
node_stats() {  # node_stats <port...>: "port calls cpu" lines
  for port in "$@"; do
    calls="$(redis-cli -p "$port" info commandstats | awk -F'[:=,]' '/^cmdstat_/ {s += $3} END {print s + 0}')"
    cpu="$(redis-cli -p "$port" info cpu | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {printf "%.3f", s}')"
    echo "$port $calls $cpu"
  done
}
# Runs/s and latency: the two-step todo workload, warmed up, then measured; sets ROWS and the per-node deltas.
ROWS=""
declare -A RPS P50 P99 APP_CPU
# The app's CPU (user + system) so far, in ms: /proc/<pid>/stat fields 14 and 15, in clock ticks.
app_cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$APP_PID/stat"; }
measure() {  # measure <label> <ports of the primaries...>
  local label="$1"; shift
  wrk -t2 -c16 -d3s -s bench/lua/todo.lua "$BASE" >/dev/null 2>&1
  node_stats "$@" > "$WORK/before"
  local app_before; app_before="$(app_cpu_ms)"
  local total=0
  for c in $CONNECTIONS; do
    out="$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"$DURATION" --latency -s bench/lua/todo.lua "$BASE" 2>&1)"
    RPS[$label/$c]="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
    P50[$label/$c]="$(echo "$out" | awk '$1 == "50%" {print $2}')"
    P99[$label/$c]="$(echo "$out" | awk '$1 == "99%" {print $2}')"
    errors="$(echo "$out" | awk '/Non-2xx/ {print $5}')"
    total=$(( total + $(echo "$out" | awk '/requests in/ {print $1}') ))
    ROWS+="| $label | $c | ${RPS[$label/$c]} | ${P50[$label/$c]} | ${P99[$label/$c]} | ${errors:-0} |"$'\n'
    echo "$label c=$c: ${RPS[$label/$c]} runs/s, p50 ${P50[$label/$c]}, p99 ${P99[$label/$c]}, errors ${errors:-0}"
  done
  node_stats "$@" > "$WORK/after"
  APP_CPU[$label]="$(python3 -c "print(f'{($(app_cpu_ms) - $app_before) / $total:.2f}')")"
  # port, commands per run, CPU ms per run
  join "$WORK/before" "$WORK/after" | awk -v n="$total" '{printf "%s %.2f %.3f\n", $1, ($4 - $2) / n, ($5 - $3) * 1000 / n}' \
    > "$WORK/per-run-$label"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
start_app QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT"
measure one-redis "$REDIS_PORT"
stop_app
start_app QUARKUS_REDIS_CLIENT_TYPE=cluster QUARKUS_REDIS_HOSTS="$HOSTS"
measure cluster "${PRIMARIES[@]}"
stop_app
start_app QUARKUS_REDIS_CLIENT_TYPE=cluster QUARKUS_REDIS_HOSTS="$HOSTS" AGENT_STORE_REDIS_WAIT_REPLICAS=1
measure cluster-wait "${PRIMARIES[@]}"
stop_app
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# Which primary holds how many of the 16 partitions ({p0}..{p15}) and the benchmark tenant's todos ({default}).
partitions_of() {  # partitions_of <port>: a node answers MOVED for a slot it does not serve
  local held=0
  for p in $(seq 0 15); do
    redis-cli -p "$1" exists "probe{p$p}" | grep -q MOVED || held=$(( held + 1 ))
  done
  echo "$held"
}
echo
echo "# Redis Cluster benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "Machine: $(nproc) cores; load average before $LOAD_BEFORE, after $LOAD_AFTER; redis-server $(redis-server --version | awk '{print $3}' | tr -d 'v=')."
echo "Workload: bench/lua/todo.lua (a two-step todo run per request, Prefer: wait), $DURATION per connection count, one app instance."
echo
echo "| store | connections | runs/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
printf '%s' "$ROWS"
echo
for c in $CONNECTIONS; do
  echo "WAIT 1 at c=$c: runs/s $(python3 -c "print(f'{${RPS[cluster-wait/$c]} / ${RPS[cluster/$c]}:.2f}')")x, p50 ${P50[cluster/$c]} -> ${P50[cluster-wait/$c]}, p99 ${P99[cluster/$c]} -> ${P99[cluster-wait/$c]}"
done
echo
for label in one-redis cluster cluster-wait; do echo "App CPU per run, $label: ${APP_CPU[$label]} ms"; done
echo
echo "Per primary, per run (INFO commandstats and INFO cpu deltas over the measured runs, replication included):"
echo
echo "| store | node | partitions | todos' slot | commands/run | CPU ms/run |"
echo "|---|---|---|---|---|---|"
awk '{printf "| one-redis | %s | 16 | yes | %s | %s |\n", $1, $2, $3}' "$WORK/per-run-one-redis"
for label in cluster cluster-wait; do
  while read -r port calls cpu; do
    todo="$(redis-cli -p "$port" exists "probe{default}" | grep -q MOVED && echo no || echo yes)"
    echo "| $label | $port | $(partitions_of "$port") | $todo | $calls | $cpu |"
  done < "$WORK/per-run-$label"
done
echo
# Projection: a primary is one core; runs/s it carries = 1000 / its CPU ms per run. With k primaries and the 16
# partitions spread evenly, the busiest holds ceil(16/k) of them; the run path's CPU is taken as proportional to
# partitions (measured above), the todos' slot as one primary's.
python3 - "$WORK/per-run-one-redis" "$WORK/per-run-cluster" <<'EOF'
import math, sys
one = [l.split() for l in open(sys.argv[1])][0]
cl = [l.split() for l in open(sys.argv[2])]
c1 = float(one[2]); cc = sum(float(r[2]) for r in cl)
print(f"Redis CPU per run: one Redis {c1:.3f} ms; cluster, all primaries {cc:.3f} ms (x{cc / c1:.2f}: the per-partition commands and the bus)")
print()
print("| primaries | busiest holds | projected runs/s (CPU of the busiest primary) |")
print("|---|---|---|")
for k in (1, 3, 4, 8, 16):
    busiest = math.ceil(16 / k) / 16
    per_run = c1 if k == 1 else cc * busiest
    print(f"| {k} | {math.ceil(16 / k)} of 16 partitions | {1000 / per_run:,.0f} |")
EOF
