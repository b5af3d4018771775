"""explain(): Spark's tree layout and the physical operators the executors really use.

Reference layouts were printed by PySpark 4.3.0 for the same DataFrames."""
from __future__ import annotations

import pytest

from pyspk.errors import PySparkValueError
from pyspk.sql import functions as F
from pyspk.sql.explain import explain_string


@pytest.fixture()
def dist(spark):
    spark.conf.set("spark.pyspk.sql.distributed", "true")
    yield spark
    spark.conf.unset("spark.pyspk.sql.distributed")


def _physical(text: str) -> list[str]:
    return text.split("== Physical Plan ==\n", 1)[1].strip("\n").splitlines()


def test_two_phase_aggregation_shows_its_exchange(dist):
    df = dist.range(100).withColumn("k", F.col("id") % 3).groupBy("k").agg(F.sum("id"))
    lines = _physical(explain_string(df, None, None))
    names = [ln.lstrip(" :+-").split("(")[0].split(" ")[0] for ln in lines]
    assert names == ["AdaptiveSparkPlan", "HashAggregate", "Exchange", "HashAggregate", "Project",
                     "Range"]
    assert "functions=[partial_sum(id#" in lines[3] and "functions=[sum(id#" in lines[1]
    assert lines[2].strip().startswith("+- Exchange hashpartitioning(k#")
    assert ", 200), ENSURE_REQUIREMENTS, [plan_id=" in lines[2]
    assert lines[-1].strip() == "+- Range (0, 100, step=1, splits=2)"


def test_join_children_use_sparks_branch_markers(dist):
    a = dist.range(100).withColumn("k", F.col("id") % 3)
    b = dist.range(10).withColumnRenamed("id", "k2")
    lines = _physical(explain_string(a.join(b, a.k == b.k2), None, None))
    assert lines[1].startswith("+- BroadcastHashJoin [k#") and lines[1].endswith("Inner, BuildRight, false")
    assert lines[2].startswith("   :- Project [id#")
    assert lines[3].startswith("   :  +- Range (0, 100")
    assert lines[4].startswith("   +- BroadcastExchange HashedRelationBroadcastMode(List(k2#")


def test_driver_plans_have_no_exchanges(spark):
    spark.conf.set("spark.pyspk.sql.distributed", "false")
    try:
        df = spark.range(10).groupBy((F.col("id") % 2).alias("m")).count()
        text = explain_string(df, None, None)
    finally:
        spark.conf.unset("spark.pyspk.sql.distributed")
    assert "Exchange" not in text and "AdaptiveSparkPlan" not in text
    assert _physical(text)[0].startswith("HashAggregate(keys=[m#")


def test_sorted_limit_is_take_ordered(dist):
    df = dist.range(100).orderBy(F.desc("id")).limit(5)
    lines = _physical(explain_string(df, None, None))
    assert lines[1].startswith("+- TakeOrderedAndProject(limit=5, orderBy=[id#")
    assert "DESC NULLS LAST], output=[id#" in lines[1]


def test_formatted_mode_numbers_operators_bottom_up(dist):
    text = explain_string(dist.range(100).where("id > 5"), None, "formatted")
    tree, details = text.split("\n\n\n", 1)
    assert tree.splitlines()[1:] == ["AdaptiveSparkPlan (3)", "+- Filter (2)", "   +- Range (1)"]
    sections = details.strip().split("\n\n")
    assert sections[0].splitlines() == ["(1) Range", "Output [1]: [id#" + sections[0].split("[id#")[1]
                                        .split("\n")[0], "Arguments: (0, 100, step=1, splits=2)"]
    assert sections[1].splitlines()[0] == "(2) Filter"
    assert sections[1].splitlines()[-1].startswith("Condition : (id#")


def test_extended_has_every_section_and_bad_modes_are_named(spark):
    text = explain_string(spark.range(3).groupBy("id").count(), True, None)
    for header in ("== Parsed Logical Plan ==", "== Analyzed Logical Plan ==",
                   "== Optimized Logical Plan ==", "== Physical Plan =="):
        assert header in text
    assert "id: bigint, count: bigint" in text
    with pytest.raises(PySparkValueError) as e:
        explain_string(spark.range(3), None, "verbose")
    assert e.value.getErrorClass() == "UNKNOWN_EXPLAIN_MODE"
