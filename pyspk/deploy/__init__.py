"""The standalone cluster manager: master, worker daemons and the drivers' application client.

This package knows hosts, cores, memory, applications and executors, never tasks or closures.
"""
