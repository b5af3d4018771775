#!/usr/bin/env bash
# Stops the workers on every host of conf/workers.

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"

exec "$PYSPK_HOME/sbin/workers.sh" cd "$PYSPK_HOME" \; "$PYSPK_HOME/sbin/stop-worker.sh"
