#!/usr/bin/env bash
# Starts a worker on every host of conf/workers, pointed at this machine's master
# (SPARK_MASTER_HOST, SPARK_MASTER_PORT).

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"
. "$PYSPK_HOME/sbin/load-spark-env.sh"

SPARK_MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
SPARK_MASTER_HOST="${SPARK_MASTER_HOST:-$(hostname -f 2>/dev/null || hostname)}"

exec "$PYSPK_HOME/sbin/workers.sh" cd "$PYSPK_HOME" \; \
  "$PYSPK_HOME/sbin/start-worker.sh" "spark://$SPARK_MASTER_HOST:$SPARK_MASTER_PORT" "$@"
