"""createDataFrame schema inference widens like PySpark 4.3: STRING absorbs other atomic types
(values become their text) and TIMESTAMP absorbs TIMESTAMP_NTZ."""
from __future__ import annotations

from pyspk.sql import functions as F
from pyspk.sql import types as T


def test_mixed_atomic_values_widen_to_string(spark):
    df = spark.createDataFrame([([1, 2, "apple"], 7), (["x", True], "y")], ["data", "v"])
    assert df.schema.simpleString() == "struct<data:array<string>,v:string>"
    assert [tuple(r) for r in df.collect()] == [(["1", "2", "apple"], "7"), (["x", "true"], "y")]
    assert [r[0] for r in df.select(F.array_min("data")).collect()] == ["1", "true"]


def test_merge_rules():
    assert T._merge_type(T.LongType(), T.StringType()) == T.StringType()
    assert T._merge_type(T.TimestampNTZType(), T.TimestampType()) == T.TimestampType()
    try:
        T._merge_type(T.LongType(), T.DoubleType())
    except TypeError:
        pass
    else:
        raise AssertionError("LongType and DoubleType must not merge")
