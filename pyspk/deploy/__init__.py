"""The standalone cluster manager: master, worker daemons and the drivers' application client.

This package knows hosts, cores, memory, applications and executors, never tasks or closures,
and never unpickles anything. Modules:

- ``master_state`` (pure: events with ``now`` in, commands out), ``allocation`` (Spark's executor
  placement), ``model`` and ``states`` (records and their state enums with transition tables),
  ``recovery`` (FILESYSTEM persistence);
- ``master`` and ``worker`` (the daemons: a ZeroMQ loop, a clock, a ``webui``), with
  ``executor_runner`` (one executor process), ``monitor`` (refused handshakes, closed
  connections) and ``transport`` (sends that never block a loop);
- ``app_client`` (the driver's side) and ``local_cluster`` (``local-cluster[W,C,M]``).
"""
