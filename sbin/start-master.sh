#!/usr/bin/env bash
# Starts the master on this machine: start-master.sh [--host H] [--port P] [--webui-port P]
# Honours SPARK_MASTER_HOST (default: this host's name), SPARK_MASTER_PORT (7077),
# SPARK_MASTER_WEBUI_PORT (8080); Spark properties come from conf/spark-defaults.conf.

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"

if [[ "$*" == *"--help"* ]]; then
  echo "Usage: ./sbin/start-master.sh [options]"
  exec "${PYSPARK_PYTHON:-python3}" -m pyspk.cli.master --help
fi

. "$PYSPK_HOME/sbin/load-spark-env.sh"

SPARK_MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
SPARK_MASTER_HOST="${SPARK_MASTER_HOST:-$(hostname -f 2>/dev/null || hostname)}"
SPARK_MASTER_WEBUI_PORT="${SPARK_MASTER_WEBUI_PORT:-8080}"

exec "$PYSPK_HOME/sbin/pyspk-daemon.sh" start master 1 \
  --host "$SPARK_MASTER_HOST" --port "$SPARK_MASTER_PORT" --webui-port "$SPARK_MASTER_WEBUI_PORT" \
  "$@"
