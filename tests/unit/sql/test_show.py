from __future__ import annotations

from pyspk.sql import types as T
from pyspk.sql.show import show_string
from pyspk.sql.types import Row


def _schema():
    return T.StructType([T.StructField("id", T.LongType()), T.StructField("name", T.StringType())])


def test_table_layout():
    out = show_string(_schema(), [Row(id=1, name="Alice"), Row(id=2, name=None)], 20, True, False)
    assert out == ("+---+-----+\n| id| name|\n+---+-----+\n|  1|Alice|\n|  2| NULL|\n+---+-----+\n")


def test_truncation_and_more_rows():
    rows = [Row(id=i, name="x" * 25) for i in range(3)]
    out = show_string(_schema(), rows, 2, True, False)
    assert "|xxxxxxxxxxxxxxxxx...|" in out
    assert out.endswith("only showing top 2 rows\n")


def test_no_truncate_left_aligns():
    out = show_string(_schema(), [Row(id=1, name="ab")], 20, False, False)
    assert "|1  |ab  |" in out


def test_vertical():
    out = show_string(_schema(), [Row(id=1, name="Alice")], 20, True, True)
    assert out == "-RECORD 0-----\n id   | 1     \n name | Alice \n"
