#!/usr/bin/env bash
# Runs a pyspk daemon (master or worker) in the background, as Spark's spark-daemon.sh does.
#
#   pyspk-daemon.sh [--config <conf-dir>] (start|stop|status) (master|worker) <instance> <args...>
#
# Environment: SPARK_CONF_DIR/PYSPK_CONF_DIR, SPARK_LOG_DIR (default $PYSPK_HOME/logs),
# SPARK_PID_DIR (default /tmp), SPARK_IDENT_STRING (default $USER), SPARK_NICENESS (default 0),
# SPARK_NO_DAEMONIZE (run in the foreground), PYSPARK_PYTHON (default python3).
# `status` exits 0 when running, 1 when a pid file is left by a dead process, 2 when not running.

usage="Usage: pyspk-daemon.sh [--config <conf-dir>] (start|stop|status) (master|worker) <instance-number> <args...>"

if [ $# -le 2 ]; then
  echo "$usage"
  exit 1
fi

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"

if [ "$1" == "--config" ]; then
  shift
  if [ ! -d "$1" ]; then
    echo "ERROR : $1 is not a directory"
    echo "$usage"
    exit 1
  fi
  export PYSPK_CONF_DIR="$1"
  shift
fi

option=$1; shift
command=$1; shift
instance=$1; shift

case "$command" in
  master|worker) ;;
  *) echo "$usage"; exit 1 ;;
esac

. "$PYSPK_HOME/sbin/load-spark-env.sh"

export SPARK_IDENT_STRING="${SPARK_IDENT_STRING:-${USER:-$(id -un)}}"
export SPARK_LOG_DIR="${SPARK_LOG_DIR:-$PYSPK_HOME/logs}"
export SPARK_PID_DIR="${SPARK_PID_DIR:-/tmp}"
SPARK_NICENESS="${SPARK_NICENESS:-0}"
PYTHON="${PYSPARK_PYTHON:-python3}"

log="$SPARK_LOG_DIR/pyspk-$SPARK_IDENT_STRING-$command-$instance-$(hostname).out"
pid="$SPARK_PID_DIR/pyspk-$SPARK_IDENT_STRING-$command-$instance.pid"

rotate_log() {
  local file=$1 num=5
  if [ -f "$file" ]; then
    while [ $num -gt 1 ]; do
      local prev=$((num - 1))
      [ -f "$file.$prev" ] && mv "$file.$prev" "$file.$num"
      num=$prev
    done
    mv "$file" "$file.$num"
  fi
}

is_ours() {
  # true when pid $1 is a live pyspk $command daemon (not a reused pid)
  local args
  args="$(ps -p "$1" -o args= 2>/dev/null)" || return 1
  [[ "$args" == *"pyspk.cli.$command"* ]]
}

case $option in
  (start)
    mkdir -p "$SPARK_PID_DIR" "$SPARK_LOG_DIR"
    if [ -f "$pid" ]; then
      TARGET_ID="$(cat "$pid")"
      if is_ours "$TARGET_ID"; then
        echo "$command running as process $TARGET_ID.  Stop it first."
        exit 1
      fi
    fi
    cmd=(nice -n "$SPARK_NICENESS" "$PYTHON" -m "pyspk.cli.$command" "$@")
    if [ -n "${SPARK_NO_DAEMONIZE:-}" ]; then
      echo $$ > "$pid"
      exec "${cmd[@]}"
    fi
    rotate_log "$log"
    echo "starting $command, logging to $log"
    nohup -- "${cmd[@]}" >> "$log" 2>&1 < /dev/null &
    newpid="$!"
    echo "$newpid" > "$pid"
    # wait until the daemon says it started, or died
    for _ in $(seq 1 100); do
      if ! kill -0 "$newpid" 2>/dev/null; then
        break
      fi
      if grep -q "Starting Spark" "$log" 2>/dev/null; then
        exit 0
      fi
      sleep 0.05
    done
    if ! kill -0 "$newpid" 2>/dev/null; then
      echo "failed to launch: ${cmd[*]}"
      tail -10 "$log" | sed 's/^/  /'
      echo "full log in $log"
      rm -f "$pid"
      exit 1
    fi
    ;;

  (stop)
    if [ -f "$pid" ]; then
      TARGET_ID="$(cat "$pid")"
      if is_ours "$TARGET_ID"; then
        echo "stopping $command"
        kill "$TARGET_ID"
        for _ in $(seq 1 200); do
          is_ours "$TARGET_ID" || break
          sleep 0.05
        done
        if is_ours "$TARGET_ID"; then
          echo "$command did not stop in 10 seconds; killing it"
          kill -9 "$TARGET_ID"
        fi
        rm -f "$pid"
      else
        echo "no $command to stop"
        rm -f "$pid"
      fi
    else
      echo "no $command to stop"
    fi
    ;;

  (status)
    if [ -f "$pid" ]; then
      TARGET_ID="$(cat "$pid")"
      if is_ours "$TARGET_ID"; then
        echo "$command is running."
        exit 0
      else
        echo "$pid file is present but $command not running"
        exit 1
      fi
    else
      echo "$command not running."
      exit 2
    fi
    ;;

  (*)
    echo "$usage"
    exit 1
    ;;
esac
