#!/usr/bin/env bash
# CPU profile of the packaged runtime on Redis under a load of calculator runs, with async-profiler (itimer, so no
# perf_events permission is needed): where a run's CPU goes, by library and by this application's own frames.
#   bench/profile.sh                           # build, warm up 15 s, profile 20 s at 64 connections
#   SKIP_BUILD=1 CONNECTIONS=16 SECONDS_PROFILED=30 bench/profile.sh
#   SKIP_BUILD=1 WORKLOAD=two-step DURABILITY=always WARMUP=40 bench/profile.sh   # bench/peers.sh's workload
# WORKLOAD: calculate (one step) or two-step (6 * 7, then a todo with the result: the workflow of bench/peers.sh);
# DURABILITY: off (no persistence) or always (appendfsync always, as bench/peers.sh's equal-durability table).
# Also prints the CPU per run of the app and of Redis (on the same cores) over the profiled window.
# Writes target/profile/cpu.collapsed (collapsed stacks, for any flame-graph tool) and prints the summary.
# Needs: java, redis-server, redis-cli, wrk, curl, python3; async-profiler comes from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-64}"
SECONDS_PROFILED="${SECONDS_PROFILED:-20}"
WARMUP="${WARMUP:-15}"
WORKLOAD="${WORKLOAD:-calculate}"
DURABILITY="${DURABILITY:-off}"
AP_VERSION="${AP_VERSION:-4.1}"
OUT=target/profile
mkdir -p "$OUT"
source bench/common.sh

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory="$WORK" \
  >/dev/null
(cd "$WORK" && unzip -q -o "async-profiler-$AP_VERSION.jar" 'linux-x64/*')
LIB="$WORK/linux-x64/libasyncProfiler.so"

case "$DURABILITY" in
  off) REDIS_PERSISTENCE="--appendonly no" ;;
  always) REDIS_PERSISTENCE="--appendonly yes --appendfsync always" ;;
  *) echo "DURABILITY must be off or always, not '$DURABILITY'" >&2; exit 1 ;;
esac
case "$WORKLOAD" in
  calculate) LUA=bench/lua/calculate.lua; TARGET="http://127.0.0.1:$APP_PORT/api/v1/runs" ;;
  two-step)
    LUA=bench/lua/workflow.lua; TARGET="http://127.0.0.1:$APP_PORT"
    export WF_PATH=/api/v1/runs WF_PREFER="wait=5" WF_TAG=profile \
      WF_BODY='{"prompt": "calculate 6 * 7 and add the result as a todo"}' \
      WF_EXPECT='"status":"completed"|"output":42|"result":{"todo":{|"text":"42"' ;;
  *) echo "WORKLOAD must be calculate or two-step, not '$WORKLOAD'" >&2; exit 1 ;;
esac
start_redis

# The profiler runs from the start (attaching later needs the attach mechanism) and writes a file per SLICE seconds
# since the start; the summary reads only the slices inside the profiled window, so that startup, warm-up and the
# JIT's work then stay out of it.
SLICE=5
rm -f "$OUT"/slice-*.collapsed
STARTED_MS="$(date +%s%3N)"
env AGENT_STORE=redis QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" QUARKUS_HTTP_PORT="$APP_PORT" \
  QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" AGENT_LOG_LEVEL=WARN AGENT_QUEUE_MAX_CONCURRENT=256 \
  AGENT_QUEUE_MAX_QUEUED=100000 AGENT_TODOS_MAX_PER_TENANT=100000000 \
  java "-agentpath:$LIB=start,event=itimer,threads,loop=${SLICE}s,file=$OUT/slice-%n.collapsed,collapsed" \
  -jar target/quarkus-app/quarkus-run.jar > "$OUT/app.log" 2>&1 &
APP_PID=$!
until curl -fs "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.05; done

wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$LUA" "$TARGET" >/dev/null
# CPU time (ticks) of the app and of Redis, read around the profiled window: what a run costs each.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
REDIS_PID="$(cat "$WORK/redis.pid")"
app0="$(ticks "$APP_PID")"; redis0="$(ticks "$REDIS_PID")"; from_ms="$(date +%s%3N)"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PROFILED}s" -s "$LUA" "$TARGET" > "$OUT/wrk.txt"
app1="$(ticks "$APP_PID")"; redis1="$(ticks "$REDIS_PID")"; to_ms="$(date +%s%3N)"
grep -E 'Requests/sec|CHECK' "$OUT/wrk.txt"
python3 - "$(grep -oE '^ *[0-9]+ requests' "$OUT/wrk.txt" | awk '{print $1}')" "$(getconf CLK_TCK)" \
  $(( app1 - app0 )) $(( redis1 - redis0 )) <<'EOF'
import sys
runs, hz, app, redis = (int(a) for a in sys.argv[1:])
app_ms, redis_ms = 1000 * app / hz / runs, 1000 * redis / hz / runs
print(f'CPU per run over the profiled window: app {app_ms:.3f} ms, Redis {redis_ms:.3f} ms '
      f'(Redis {100 * redis_ms / (app_ms + redis_ms):.0f}% of the two)')
EOF
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
# Slice n covers [n, n + 1) * SLICE seconds since the start: those wholly inside the window (the first one after it
# starts, the last one before it ends).
first=$(( (from_ms - STARTED_MS + SLICE * 1000 - 1) / (SLICE * 1000) ))
last=$(( (to_ms - STARTED_MS) / (SLICE * 1000) - 1 ))
: > "$OUT/cpu.collapsed"
for n in $(seq "$first" "$last"); do cat "$OUT/slice-$n.collapsed" >> "$OUT/cpu.collapsed" 2>/dev/null || true; done
echo "profiled window: slices $first-$last of ${SLICE} s since the start"

python3 - "$OUT/cpu.collapsed" <<'EOF'
import collections, re, sys
libraries = [('this application', 'dev/agentruntime'), ('netty (socket I/O)', 'io/netty/channel'),
             ('Redis client', 'io/vertx/redis'), ('Vert.x HTTP', 'io/vertx/core/http'),
             ('RESTEasy Reactive', 'org/jboss/resteasy/reactive'), ('Jackson', 'com/fasterxml/jackson'),
             ('Mutiny', 'io/smallrye/mutiny'), ('context propagation', 'io/smallrye/context'),
             ('fault tolerance', 'io/smallrye/faulttolerance'), ('Micrometer', 'micrometer'),
             ('OpenTelemetry', 'opentelemetry'), ('logging', 'org/jboss/logmanager'), ('CDI', 'io/quarkus/arc')]
threads, by_library, own = collections.Counter(), collections.Counter(), collections.Counter()
total = loop = 0
for line in open(sys.argv[1]):
    stack, _, count = line.rstrip().rpartition(' ')
    count = int(count)
    frames = stack.split(';')
    thread = re.sub(r'[-#]?\d+$', '', frames[0].strip('[').split(' tid')[0])
    threads[thread] += count
    total += count
    if 'eventloop' not in thread:
        continue
    loop += count
    # Each sample goes to the deepest frame of a known library: roughly, whose code was running.
    for frame in reversed(frames):
        name = next((n for n, p in libraries if p in frame), None)
        if name:
            by_library[name] += count
            break
    else:
        by_library['other'] += count
    mine = [f for f in frames if f.startswith('dev/agentruntime') and '$$Lambda' not in f
            and 'ClientProxy' not in f and '_Subclass' not in f]
    if mine:
        own[mine[-1]] += count
print(f'\n{total} samples (10 ms of CPU each), by thread:')
for name, count in threads.most_common(8):
    print(f'  {100 * count / total:5.1f}%  {name}')
print(f'\nevent-loop threads ({loop} samples), by the library running:')
for name, count in by_library.most_common():
    print(f'  {100 * count / loop:5.1f}%  {name}')
print('\nevent-loop samples under each of this application\'s methods (deepest own frame, callees included):')
for name, count in own.most_common(15):
    print(f'  {100 * count / loop:5.1f}%  {name}')
EOF
echo "stacks: $OUT/cpu.collapsed"
