"""``pyspk.core``: the module paths PySpark 4 uses for its core API (``pyspark.core.rdd``, …)."""
