#!/usr/bin/env bash
# Starts worker(s) on this machine: start-worker.sh <master-url> [options]
# Honours SPARK_WORKER_INSTANCES (1), SPARK_WORKER_CORES, SPARK_WORKER_MEMORY, SPARK_WORKER_PORT
# (each instance the next port; default random), SPARK_WORKER_WEBUI_PORT (8081, likewise),
# SPARK_WORKER_DIR, SPARK_LOCAL_IP / SPARK_LOCAL_HOSTNAME (the address to bind).

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"

if [ $# -lt 1 ] || [[ "$*" == *"--help"* ]]; then
  echo "Usage: ./sbin/start-worker.sh <master> [options]"
  exec "${PYSPARK_PYTHON:-python3}" -m pyspk.cli.worker --help
fi

. "$PYSPK_HOME/sbin/load-spark-env.sh"

MASTER=$1; shift
SPARK_WORKER_WEBUI_PORT="${SPARK_WORKER_WEBUI_PORT:-8081}"
HOST="${SPARK_LOCAL_HOSTNAME:-${SPARK_LOCAL_IP:-}}"

start_instance() {
  local n=$1; shift
  local args=("$MASTER")
  if [ -n "${SPARK_WORKER_PORT:-}" ]; then
    args+=(--port $((SPARK_WORKER_PORT + n - 1)))
  fi
  args+=(--webui-port $((SPARK_WORKER_WEBUI_PORT + n - 1)))
  [ -n "$HOST" ] && args+=(--host "$HOST")
  [ -n "${SPARK_WORKER_CORES:-}" ] && args+=(--cores "$SPARK_WORKER_CORES")
  [ -n "${SPARK_WORKER_MEMORY:-}" ] && args+=(--memory "$SPARK_WORKER_MEMORY")
  [ -n "${SPARK_WORKER_DIR:-}" ] && args+=(--work-dir "$SPARK_WORKER_DIR")
  "$PYSPK_HOME/sbin/pyspk-daemon.sh" start worker "$n" "${args[@]}" "$@"
}

status=0
for ((i = 1; i <= ${SPARK_WORKER_INSTANCES:-1}; i++)); do
  start_instance "$i" "$@" || status=1
done
exit $status
