#!/usr/bin/env bash
# Starts the master on this machine and a worker on every host of conf/workers.

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"

"$PYSPK_HOME/sbin/start-master.sh"
"$PYSPK_HOME/sbin/start-workers.sh"
