# Sourced by the sbin scripts: export the variables of conf/spark-env.sh (once per shell tree).

if [ -z "${PYSPK_ENV_LOADED:-}" ]; then
  export PYSPK_ENV_LOADED=1
  if [ -f "$PYSPK_CONF_DIR/spark-env.sh" ]; then
    set -a
    . "$PYSPK_CONF_DIR/spark-env.sh"
    set +a
  fi
fi
