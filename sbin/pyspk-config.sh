# Sourced by the sbin scripts: locate the pyspk install and its configuration directory.
# PYSPK_HOME/PYSPK_CONF_DIR name this install, so a JVM Spark on the same host is not confused.

if [ -z "${PYSPK_HOME:-}" ]; then
  PYSPK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
fi
export PYSPK_HOME
export PYSPK_CONF_DIR="${PYSPK_CONF_DIR:-${SPARK_CONF_DIR:-$PYSPK_HOME/conf}}"
export PYTHONPATH="$PYSPK_HOME${PYTHONPATH:+:$PYTHONPATH}"
