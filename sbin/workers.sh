#!/usr/bin/env bash
# Runs a shell command on every worker host: workers.sh <command...>
# Hosts come from $SPARK_WORKERS or conf/workers (localhost when absent); '#' starts a comment.
# This machine's names run the command directly; other hosts over ssh ($SPARK_SSH_OPTS).

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"
. "$PYSPK_HOME/sbin/load-spark-env.sh"

if [ $# -le 0 ]; then
  echo "Usage: workers.sh <command...>"
  exit 1
fi

HOSTLIST="${SPARK_WORKERS:-$PYSPK_CONF_DIR/workers}"
if [ -f "$HOSTLIST" ]; then
  HOSTS=$(sed 's/#.*$//;/^\s*$/d' "$HOSTLIST")
else
  HOSTS=localhost
fi
SPARK_SSH_OPTS="${SPARK_SSH_OPTS:--o StrictHostKeyChecking=no}"

is_local() {
  case "$1" in
    localhost|127.0.0.1|::1|"$(hostname)"|"$(hostname -f 2>/dev/null)") return 0 ;;
  esac
  return 1
}

status=0
for host in $HOSTS; do
  if is_local "$host"; then
    bash -c "$*" 2>&1 | sed "s/^/$host: /" || status=1
  else
    # shellcheck disable=SC2086
    ssh $SPARK_SSH_OPTS "$host" "$*" 2>&1 | sed "s/^/$host: /" &
  fi
done
wait
exit $status
