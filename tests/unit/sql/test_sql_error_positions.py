"""Analysis errors raised for SQL text say where (line and position), as PySpark 4.3 prints them."""
from __future__ import annotations

import pytest

from pyspk.errors import AnalysisException


@pytest.mark.parametrize("query, error_class, tail", [
    ("select nope from range(3)", "UNRESOLVED_COLUMN.WITH_SUGGESTION",
     "[`id`]. SQLSTATE: 42703; line 1 pos 7"),
    ("select id,\n  t.nope + 1 from pos_r t", "UNRESOLVED_COLUMN.WITH_SUGGESTION",
     "[`t`.`id`]. SQLSTATE: 42703; line 2 pos 2"),
    ("select * from nope", "TABLE_OR_VIEW_NOT_FOUND", "SQLSTATE: 42P01; line 1 pos 14"),
    ("select `no pe` from pos_r", "UNRESOLVED_COLUMN.WITH_SUGGESTION",
     "[`id`]. SQLSTATE: 42703; line 1 pos 7"),
    ("select x from (select 1 as y) where y > 1", "UNRESOLVED_COLUMN.WITH_SUGGESTION",
     "[`y`]. SQLSTATE: 42703; line 1 pos 7"),
])
def test_position_of_unresolved_names(spark, query, error_class, tail):
    spark.range(3).createOrReplaceTempView("pos_r")
    with pytest.raises(AnalysisException) as e:
        spark.sql(query)
    assert e.value.getErrorClass() == error_class
    assert str(e.value).endswith(tail)


def test_dataframe_api_errors_carry_no_position(spark):
    with pytest.raises(AnalysisException) as e:
        spark.range(3).select("nope")
    assert str(e.value).endswith("SQLSTATE: 42703")
