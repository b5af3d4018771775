"""Shuffle files: map-side writers (one data file + index per map task), reduce-side readers
(host-local files straight from disk, remote ones through executors' block servers), and the
spilling merger and sorter used by aggregations and sorts."""
