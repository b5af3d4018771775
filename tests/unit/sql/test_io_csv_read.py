"""CSV reading with Spark's parse modes and options. Expected rows were recorded from PySpark
4.3.0 (/work/refvenv) reading the same bytes, session time zone UTC."""
from __future__ import annotations

import datetime
import gzip

import pytest

from pyspk.errors import AnalysisException, IllegalArgumentException, SparkException
from pyspk.sql import Row

MALFORMED = "1,2\nx,3\n4,5,6\n7\n"
SCHEMA = "a INT, b INT, _corrupt_record STRING"


def _file(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_permissive_keeps_malformed_rows_in_file_order(spark, tmp_path):
    path = _file(tmp_path, "m.csv", MALFORMED)
    rows = spark.read.schema(SCHEMA).csv(path).collect()
    assert rows == [Row(a=1, b=2, _corrupt_record=None), Row(a=None, b=3, _corrupt_record="x,3"),
                    Row(a=4, b=5, _corrupt_record="4,5,6"), Row(a=7, b=None, _corrupt_record="7")]


def test_permissive_with_header(spark, tmp_path):
    path = _file(tmp_path, "mh.csv", "a,b\n" + MALFORMED)
    rows = spark.read.schema(SCHEMA).option("header", True).csv(path).collect()
    assert [r._corrupt_record for r in rows] == [None, "x,3", "4,5,6", "7"]
    assert [r.a for r in rows] == [1, None, 4, 7]


def test_permissive_without_corrupt_column_nulls_bad_fields(spark, tmp_path):
    path = _file(tmp_path, "m.csv", MALFORMED)
    rows = spark.read.schema("a INT, b INT").csv(path).collect()
    assert rows == [Row(a=1, b=2), Row(a=None, b=3), Row(a=4, b=5), Row(a=7, b=None)]


def test_dropmalformed(spark, tmp_path):
    path = _file(tmp_path, "m.csv", MALFORMED)
    rows = spark.read.schema(SCHEMA).option("mode", "DROPMALFORMED").csv(path).collect()
    assert rows == [Row(a=1, b=2, _corrupt_record=None)]


def test_failfast_names_the_file(spark, tmp_path):
    path = _file(tmp_path, "m.csv", MALFORMED)
    with pytest.raises(SparkException) as info:
        spark.read.schema(SCHEMA).option("mode", "FAILFAST").csv(path).collect()
    text = str(info.value)
    assert "FAILED_READ_FILE.NO_HINT" in text and f"file://{path}" in text
    assert "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION" in text


def test_custom_corrupt_column_name(spark, tmp_path):
    path = _file(tmp_path, "c4.csv", "a,b,c\n1,2.5,true\n3000000000,x,false\n")
    rows = spark.read.options(header=True, columnNameOfCorruptRecord="bad") \
        .schema("a INT, b DOUBLE, bad STRING").csv(path).collect()
    assert rows == [Row(a=1, b=2.5, bad="1,2.5,true"), Row(a=None, b=None, bad="3000000000,x,false")]


def test_malformed_multiline_file(spark, tmp_path):
    path = _file(tmp_path, "ml.csv", 'a,b\n1,"x\ny"\n2,z,9\n')
    rows = spark.read.schema("a INT, b STRING, _corrupt_record STRING") \
        .options(header=True, multiLine=True).csv(path).collect()
    assert rows == [Row(a=1, b="x\ny", _corrupt_record=None), Row(a=2, b="z", _corrupt_record="2,z,9")]


def test_infer_schema(spark, tmp_path):
    path = _file(tmp_path, "c4.csv", "a,b,c\n1,2.5,true\n3000000000,x,false\n")
    df = spark.read.options(inferSchema=True, header=True).csv(path)
    assert df.schema.simpleString() == "struct<a:bigint,b:string,c:boolean>"
    dates = _file(tmp_path, "c3.csv", "x,y\n1,2024-01-02\n2,2024-01-03\n")
    assert spark.read.options(inferSchema=True, header=True).csv(dates).schema.simpleString() \
        == "struct<x:int,y:date>"
    bad = _file(tmp_path, "m.csv", MALFORMED)
    assert spark.read.option("inferSchema", True).csv(bad).collect() == \
        [Row(_c0="1", _c1=2), Row(_c0="x", _c1=3), Row(_c0="4", _c1=5), Row(_c0="7", _c1=None)]


def test_comment_date_format_and_whitespace(spark, tmp_path):
    path = _file(tmp_path, "c.csv", "# comment\n a , b \n01/02/2024,2024-01-02 03:04:05\n,\n")
    rows = spark.read.schema("d DATE, t TIMESTAMP") \
        .options(comment="#", dateFormat="MM/dd/yyyy", header=True).csv(path).collect()
    assert rows == [Row(d=datetime.date(2024, 1, 2), t=datetime.datetime(2024, 1, 2, 3, 4, 5)),
                    Row(d=None, t=None)]
    cols = spark.read.options(comment="#", header=True, ignoreLeadingWhiteSpace=True,
                              ignoreTrailingWhiteSpace=True).csv(path).columns
    assert cols == ["a", "b"]


def test_empty_null_and_nan_values(spark, tmp_path):
    path = _file(tmp_path, "c2.csv", 'a,b\n"",x\nNaN,\n-,y\n')
    rows = spark.read.schema("a STRING, b STRING").options(header=True, emptyValue="E",
                                                           nullValue="-").csv(path).collect()
    assert rows == [Row(a="E", b="x"), Row(a="NaN", b=None), Row(a=None, b="y")]
    rows = spark.read.schema("a DOUBLE, b STRING").options(header=True).csv(path).collect()
    assert rows[0] == Row(a=None, b="x") and rows[1].a != rows[1].a and rows[2] == Row(a=None, b="y")


def test_line_sep_and_encoding(spark, tmp_path):
    path = _file(tmp_path, "ls.csv", "a;b|1;2|3;4|")
    assert spark.read.options(sep=";", lineSep="|", header=True).csv(path).collect() == \
        [Row(a="1", b="2"), Row(a="3", b="4")]
    latin = tmp_path / "l.csv"
    latin.write_bytes("n\ncaf\xe9\n".encode("latin-1"))
    assert spark.read.options(header=True, encoding="ISO-8859-1").csv(str(latin)).collect() == \
        [Row(n="café")]


def test_enforce_schema_false_checks_header(spark, tmp_path):
    path = _file(tmp_path, "c4.csv", "a,b,c\n1,2.5,true\n")
    rows = spark.read.schema("b STRING, a STRING, c STRING").options(header=True).csv(path).collect()
    assert rows == [Row(b="1", a="2.5", c="true")]
    with pytest.raises(IllegalArgumentException, match="CSV header does not conform to the schema"):
        spark.read.schema("b STRING, a STRING, c STRING") \
            .options(header=True, enforceSchema=False).csv(path).collect()


def test_compressed_input_by_extension(spark, tmp_path):
    p = tmp_path / "g.csv.gz"
    with gzip.open(p, "wt") as f:
        f.write("a,b\n1,2\n")
    assert spark.read.csv(str(p), header=True).collect() == [Row(a="1", b="2")]


def test_bad_paths_and_formats(spark, tmp_path):
    with pytest.raises(AnalysisException) as info:
        spark.read.csv(str(tmp_path / "nope.csv"))
    assert info.value.getErrorClass() == "PATH_NOT_FOUND"
    assert f"Path does not exist: file:{tmp_path / 'nope.csv'}" in str(info.value)
    with pytest.raises(AnalysisException) as info:
        spark.read.format("foo").load(str(tmp_path))
    assert info.value.getErrorClass() == "DATA_SOURCE_NOT_FOUND"
    assert "Failed to find the data source: foo." in str(info.value)


def test_empty_directory_cannot_infer(spark, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for reader in (spark.read.csv, spark.read.json):
        with pytest.raises(AnalysisException) as info:
            reader(str(empty))
        assert info.value.getErrorClass() == "UNABLE_TO_INFER_SCHEMA"
    assert spark.read.text(str(empty)).count() == 0
