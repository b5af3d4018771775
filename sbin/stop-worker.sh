#!/usr/bin/env bash
# Stops every worker instance started by start-worker.sh on this machine (their executors die
# with them).

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"
. "$PYSPK_HOME/sbin/load-spark-env.sh"

SPARK_PID_DIR="${SPARK_PID_DIR:-/tmp}"
SPARK_IDENT_STRING="${SPARK_IDENT_STRING:-${USER:-$(id -un)}}"
shopt -s nullglob
found=0
for pidfile in "$SPARK_PID_DIR"/pyspk-"$SPARK_IDENT_STRING"-worker-*.pid; do
  n="${pidfile##*-worker-}"
  n="${n%.pid}"
  "$PYSPK_HOME/sbin/pyspk-daemon.sh" stop worker "$n"
  found=1
done
if [ $found -eq 0 ]; then
  "$PYSPK_HOME/sbin/pyspk-daemon.sh" stop worker 1
fi
