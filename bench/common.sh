# Shared by the benchmark scripts (sourced, from the project's root): a scratch folder, free loopback ports for
# Redis, the app and its management interface (or the ones REDIS_PORT, APP_PORT, MGMT_PORT name), a Redis started on
# demand (REDIS_PERSISTENCE: its persistence options, none by default), and a trap that stops what was started.
WORK="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
REDIS_PORT="${REDIS_PORT:-$(free_port)}"
APP_PORT="${APP_PORT:-$(free_port)}"
MGMT_PORT="${MGMT_PORT:-$(free_port)}"
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_redis() {
  # shellcheck disable=SC2086
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' ${REDIS_PERSISTENCE:---appendonly no} --dir "$WORK" \
    --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log"
  until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.05; done
}
