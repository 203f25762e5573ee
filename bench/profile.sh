#!/usr/bin/env bash
# CPU profile of the packaged runtime on Redis under a load of calculator runs, with async-profiler (itimer, so no
# perf_events permission is needed): where a run's CPU goes, by library and by this application's own frames.
#   bench/profile.sh                           # build, warm up 15 s, profile 20 s at 64 connections
#   SKIP_BUILD=1 CONNECTIONS=16 SECONDS_PROFILED=30 bench/profile.sh
# Writes target/profile/cpu.collapsed (collapsed stacks, for any flame-graph tool) and prints the summary.
# Needs: java, redis-server, redis-cli, wrk, curl, python3; async-profiler comes from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-64}"
SECONDS_PROFILED="${SECONDS_PROFILED:-20}"
AP_VERSION="${AP_VERSION:-4.1}"
OUT=target/profile
mkdir -p "$OUT"
source bench/common.sh

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory="$WORK" \
  >/dev/null
(cd "$WORK" && unzip -q -o "async-profiler-$AP_VERSION.jar" 'linux-x64/*')
LIB="$WORK/linux-x64/libasyncProfiler.so"

start_redis

# The profiler runs from the start (attaching later needs the attach mechanism); startup and warm-up are in the
# profile too, the summary below separates the threads.
env AGENT_STORE=redis QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" QUARKUS_HTTP_PORT="$APP_PORT" \
  QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" AGENT_LOG_LEVEL=WARN AGENT_QUEUE_MAX_CONCURRENT=256 \
  AGENT_QUEUE_MAX_QUEUED=100000 \
  java "-agentpath:$LIB=start,event=itimer,threads,file=$OUT/cpu.collapsed,collapsed" \
  -jar target/quarkus-app/quarkus-run.jar > "$OUT/app.log" 2>&1 &
APP_PID=$!
until curl -fs "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1; do sleep 0.05; done

wrk -t2 -c"$CONNECTIONS" -d15s -s bench/lua/calculate.lua "http://127.0.0.1:$APP_PORT/api/v1/runs" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PROFILED}s" -s bench/lua/calculate.lua \
  "http://127.0.0.1:$APP_PORT/api/v1/runs" | grep -E 'Requests/sec'
kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""

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
