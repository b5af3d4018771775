"""JSON and text reading with Spark's inference rules. Expected schemas and rows were recorded
from PySpark 4.3.0 (/work/refvenv) reading the same bytes."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pyspk.errors import SparkException
from pyspk.sql import Row

MIXED = ('{"b": 1, "a": "x"}\nnot json\n{"c": 1.5, "a": null}\n[1,2]\n'
         '{"d": {"y": 1, "x": [1, 2.0]}}\n')


def _file(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_corrupt_record_sorted_with_fields(spark, tmp_path):
    path = _file(tmp_path, "j.json", MIXED)
    df = spark.read.json(path)
    assert df.schema.simpleString() == \
        "struct<_corrupt_record:string,a:string,b:bigint,c:double,d:struct<x:array<double>,y:bigint>>"
    rows = df.collect()
    assert [r._corrupt_record for r in rows] == [None, "not json", None, "[1,2]", None]
    assert rows[0].a == "x" and rows[0].b == 1 and rows[2].c == 1.5
    assert rows[4].d == Row(x=[1.0, 2.0], y=1)


def test_dropmalformed_and_failfast(spark, tmp_path):
    path = _file(tmp_path, "j.json", MIXED)
    rows = spark.read.option("mode", "DROPMALFORMED").json(path).collect()
    assert len(rows) == 3 and [r.a for r in rows] == ["x", None, None]
    with pytest.raises(SparkException, match="MALFORMED_RECORD_IN_PARSING"):
        spark.read.option("mode", "FAILFAST").json(path).collect()
    with pytest.raises(SparkException, match="FAILED_READ_FILE.NO_HINT"):
        spark.read.schema("a STRING").option("mode", "FAILFAST").json(path).collect()


def test_inference_options(spark, tmp_path):
    path = _file(tmp_path, "j.json", MIXED)
    assert spark.read.option("primitivesAsString", True).json(path).schema.simpleString() == \
        "struct<_corrupt_record:string,a:string,b:string,c:string,d:struct<x:array<string>,y:string>>"
    assert spark.read.option("prefersDecimal", True).json(path).schema.simpleString() == \
        "struct<_corrupt_record:string,a:string,b:bigint,c:decimal(2,1),d:struct<x:array<decimal(21,1)>,y:bigint>>"
    nulls = _file(tmp_path, "j2.json", '{"a": 1, "n": null, "t": "2024-01-01T00:00:00", '
                  '"big": 12345678901234567890}\n{"a": 2, "n": null, "t": "x"}\n')
    df = spark.read.json(nulls)
    assert df.schema.simpleString() == "struct<a:bigint,big:decimal(20,0),n:string,t:string>"
    assert df.collect()[0].big == Decimal("12345678901234567890")
    assert spark.read.option("dropFieldIfAllNull", True).json(nulls).schema.simpleString() == \
        "struct<a:bigint,big:decimal(20,0),t:string>"


def test_clean_file_infers_without_timestamps(spark, tmp_path):
    path = _file(tmp_path, "c.json", '{"t": "2024-01-01T00:00:00", "n": 1}\n{"t": "x", "n": 2.5}\n')
    df = spark.read.json(path)
    assert df.schema.simpleString() == "struct<n:double,t:string>"
    assert df.collect() == [Row(n=1.0, t="2024-01-01T00:00:00"), Row(n=2.5, t="x")]


def test_comments(spark, tmp_path):
    path = _file(tmp_path, "j3.json", '{"a": 1} // c\n/* x */ {"a": 2}\n')
    assert spark.read.option("allowComments", True).json(path).collect() == [Row(a=1), Row(a=2)]
    assert spark.read.json(path).collect() == \
        [Row(_corrupt_record=None, a=1), Row(_corrupt_record='/* x */ {"a": 2}', a=None)]


def test_type_mismatch_with_schema_is_malformed(spark, tmp_path):
    path = _file(tmp_path, "m.json", '{"a": "x"}\n{"a": 1}\n')
    rows = spark.read.schema("a INT, _corrupt_record STRING").json(path).collect()
    assert rows == [Row(a=None, _corrupt_record='{"a": "x"}'), Row(a=1, _corrupt_record=None)]


def test_text_lines_and_wholetext(spark, tmp_path):
    path = _file(tmp_path, "t.txt", "a\n\nb\r\nc")
    assert spark.read.text(path).collect() == \
        [Row(value="a"), Row(value=""), Row(value="b"), Row(value="c")]
    assert spark.read.text(path, wholetext=True).collect() == [Row(value="a\n\nb\r\nc")]
    sep = _file(tmp_path, "s.txt", "x|y|")
    assert spark.read.text(sep, lineSep="|").collect() == [Row(value="x"), Row(value="y")]
