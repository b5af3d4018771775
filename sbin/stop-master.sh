#!/usr/bin/env bash
# Stops the master started by start-master.sh on this machine.

. "$(dirname "${BASH_SOURCE[0]}")/pyspk-config.sh"

exec "$PYSPK_HOME/sbin/pyspk-daemon.sh" stop master 1
