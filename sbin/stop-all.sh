#!/usr/bin/env bash
# Stops the workers on every host of conf/workers, then this machine's master.

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"

"$PYSPK_HOME/sbin/stop-workers.sh"
"$PYSPK_HOME/sbin/stop-master.sh"
