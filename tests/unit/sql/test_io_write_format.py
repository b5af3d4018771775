"""Files ``df.write`` produces: bytes, names and save modes as PySpark 4.3.0 writes them
(expected contents recorded from /work/refvenv with ``coalesce(1)``, time zone UTC)."""
from __future__ import annotations

import datetime
import decimal
import glob
import gzip
import os
import re

import pytest

from pyspk.errors import AnalysisException, IllegalArgumentException
from pyspk.sql import Row

ROWS = [(1, "a,b", 'q"x', "", None, 1.5, True, datetime.date(2024, 1, 2),
         datetime.datetime(2024, 1, 2, 3, 4, 5, 123456), decimal.Decimal("1.50")),
        (2, None, "plain", " sp ", "x", float("nan"), False, None,
         datetime.datetime(2024, 1, 2, 3, 4, 5), None)]
SCHEMA = ("id INT, s STRING, q STRING, e STRING, n STRING, d DOUBLE, b BOOLEAN, dt DATE, "
          "ts TIMESTAMP, dec DECIMAL(5,2)")
PYSPARK_CSV = ('id,s,q,e,n,d,b,dt,ts,dec\n1,"a,b","q\\"x","",,1.5,true,2024-01-02,'
               '2024-01-02T03:04:05.123Z,1.50\n2,,plain,sp,x,NaN,false,,2024-01-02T03:04:05.000Z,\n')
PYSPARK_JSON = ('{"id":1,"s":"a,b","q":"q\\"x","e":"","d":1.5,"b":true,"dt":"2024-01-02",'
                '"ts":"2024-01-02T03:04:05.123Z","dec":1.50}\n{"id":2,"q":"plain","e":" sp ","n":"x",'
                '"d":"NaN","b":false,"ts":"2024-01-02T03:04:05.000Z"}\n')
PART = re.compile(r"^part-0000\d-[0-9a-f-]{36}-c000")


@pytest.fixture(scope="module")
def utc(spark):
    before = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    yield spark
    spark.conf.set("spark.sql.session.timeZone", before)


@pytest.fixture(scope="module")
def df(utc):
    return utc.createDataFrame(ROWS, SCHEMA).coalesce(1)


def _parts(path):
    return sorted(f for f in os.listdir(path) if f.startswith("part-"))


def test_csv_bytes_match_pyspark(df, tmp_path):
    out = str(tmp_path / "c")
    df.write.option("header", True).csv(out)
    [name] = _parts(out)
    assert PART.match(name) and name.endswith("-c000.csv")
    assert open(os.path.join(out, name)).read() == PYSPARK_CSV
    assert os.path.exists(os.path.join(out, "_SUCCESS"))
    assert os.path.exists(os.path.join(out, f".{name}.crc"))


def test_json_bytes_match_pyspark(df, tmp_path):
    out = str(tmp_path / "j")
    df.write.json(out)
    [name] = _parts(out)
    assert name.endswith("-c000.json")
    assert open(os.path.join(out, name)).read() == PYSPARK_JSON


def test_text_writes_nulls_as_empty_lines(df, tmp_path):
    out = str(tmp_path / "t")
    df.select("s").write.text(out)
    [name] = _parts(out)
    assert name.endswith("-c000.txt") and open(os.path.join(out, name)).read() == "a,b\n\n"


@pytest.mark.parametrize("codec,ext", [("gzip", ".csv.gz"), ("bzip2", ".csv.bz2"),
                                       ("deflate", ".csv.deflate"), ("zstd", ".csv.zst"),
                                       ("lz4", ".csv.lz4"), ("snappy", ".csv.snappy")])
def test_compressed_csv_round_trip(utc, df, tmp_path, codec, ext):
    out = str(tmp_path / codec)
    df.write.option("header", True).option("compression", codec).csv(out)
    [name] = _parts(out)
    assert name.endswith(ext)
    if codec == "gzip":
        assert gzip.open(os.path.join(out, name), "rt").read() == PYSPARK_CSV
    back = utc.read.schema(SCHEMA).option("header", True).csv(out).collect()
    assert back[0].q == 'q"x' and back[0].ts == datetime.datetime(2024, 1, 2, 3, 4, 5, 123000)
    assert back[1].e == "sp" and back[1].d != back[1].d


def test_unknown_codec(df, tmp_path):
    with pytest.raises(IllegalArgumentException, match="Codec \\[nope\\] is not available"):
        df.write.option("compression", "nope").csv(str(tmp_path / "x"))


def test_one_file_per_partition_and_partition_dirs(utc, tmp_path):
    out = str(tmp_path / "three")
    utc.range(0, 10, 1, 3).write.csv(out)
    names = _parts(out)
    assert [n[:10] for n in names] == ["part-00000", "part-00001", "part-00002"]
    assert len({n[11:47] for n in names}) == 1
    part = str(tmp_path / "byk")
    utc.range(0, 10, 1, 2).selectExpr("id", "id % 2 AS k").write.partitionBy("k").csv(part)
    assert sorted(d for d in os.listdir(part) if not d.startswith(".")) == ["_SUCCESS", "k=0", "k=1"]
    files = _parts(os.path.join(part, "k=0"))
    assert all(re.match(r"^part-0000\d-[0-9a-f-]{36}\.c000\.csv$", f) for f in files)
    back = utc.read.csv(part).collect()
    assert sorted(int(r._c0) for r in back) == list(range(10))


def test_partition_values_escaped_and_null(utc, tmp_path):
    out = str(tmp_path / "esc")
    utc.createDataFrame([(1, "a/b"), (2, None), (3, "x:y")], "v INT, k STRING") \
        .write.partitionBy("k").json(out)
    dirs = sorted(d for d in os.listdir(out) if d.startswith("k="))
    assert dirs == ["k=__HIVE_DEFAULT_PARTITION__", "k=a%2Fb", "k=x%3Ay"]


def test_save_modes(utc, tmp_path):
    out = str(tmp_path / "m")
    utc.range(3).write.csv(out)
    with pytest.raises(AnalysisException) as info:
        utc.range(3).write.csv(out)
    assert info.value.getErrorClass() == "PATH_ALREADY_EXISTS"
    utc.range(3).write.mode("append").csv(out)
    assert len(glob.glob(os.path.join(out, "part-*"))) == 4
    assert utc.read.csv(out).count() == 6
    utc.range(5).write.mode("overwrite").csv(out)
    assert utc.read.csv(out).count() == 5
    utc.range(7).write.mode("ignore").csv(out)
    assert utc.read.csv(out).count() == 5
    with pytest.raises(IllegalArgumentException, match="INVALID_SAVE_MODE"):
        utc.range(7).write.mode("sometimes").csv(out)
    assert utc.read.csv(out).count() == 5


def test_repartition_writes_one_file_per_partition(utc, tmp_path):
    out = str(tmp_path / "rep")
    utc.range(100).repartition(3).write.json(out)
    assert [n[:10] for n in _parts(out)] == ["part-00000", "part-00001", "part-00002"]
    assert sorted(r.id for r in utc.read.json(out).collect()) == list(range(100))


def test_overwrite_of_the_input_is_refused_and_keeps_it(utc, tmp_path):
    out = str(tmp_path / "self")
    utc.range(3).write.parquet(out)
    with pytest.raises(AnalysisException) as info:
        utc.read.parquet(out).write.mode("overwrite").parquet(out)
    assert info.value.getErrorClass() == "UNSUPPORTED_OVERWRITE.PATH"
    assert utc.read.parquet(out).count() == 3


def test_writer_errors(utc, tmp_path):
    with pytest.raises(AnalysisException) as info:
        utc.range(1).write.format("foo").save(str(tmp_path / "f"))
    assert info.value.getErrorClass() == "DATA_SOURCE_NOT_FOUND"
    with pytest.raises(AnalysisException, match="UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE"):
        utc.createDataFrame([([1],)], "a ARRAY<INT>").write.csv(str(tmp_path / "arr"))
    assert not os.path.exists(tmp_path / "arr")


def test_empty_dataframe_keeps_schema(utc, tmp_path):
    out = str(tmp_path / "empty")
    utc.range(0).selectExpr("id", "CAST(id AS STRING) AS s").write.parquet(out)
    assert len(_parts(out)) == 1
    back = utc.read.parquet(out)
    assert back.dtypes == [("id", "bigint"), ("s", "string")] and back.count() == 0


def test_nested_json(utc, tmp_path):
    out = str(tmp_path / "nested")
    utc.createDataFrame([(1, [1, None], {"k": 1.5}, Row(x=None, y="z"))],
                        "a INT, l ARRAY<INT>, m MAP<STRING,DOUBLE>, s STRUCT<x: INT, y: STRING>") \
        .coalesce(1).write.json(out)
    [name] = _parts(out)
    assert open(os.path.join(out, name)).read() == \
        '{"a":1,"l":[1,null],"m":{"k":1.5},"s":{"y":"z"}}\n'


def test_timestamps_in_a_zone_with_offsets(spark, tmp_path):
    """PySpark 4.3 with spark.sql.session.timeZone=America/Los_Angeles wrote exactly these."""
    before = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    try:
        df = spark.sql("SELECT TIMESTAMP'2024-01-02 03:04:05.123' AS ts, TIMESTAMP'2024-07-02 03:04:05' "
                       "AS ts2, TIMESTAMP_NTZ'2024-01-02 03:04:05.5' AS ntz, 1.0E10D AS big, "
                       "1.0E-5D AS small, CAST(1.5 AS FLOAT) AS f").coalesce(1)
        df.write.csv(str(tmp_path / "c"))
        df.write.json(str(tmp_path / "j"))
        csv = tmp_path / "c" / _parts(str(tmp_path / "c"))[0]
        js = tmp_path / "j" / _parts(str(tmp_path / "j"))[0]
        assert csv.read_text() == ("2024-01-02T03:04:05.123-08:00,2024-07-02T03:04:05.000-07:00,"
                                   "2024-01-02T03:04:05.500,1.0E10,1.0E-5,1.5\n")
        assert js.read_text() == ('{"ts":"2024-01-02T03:04:05.123-08:00","ts2":"2024-07-02T03:04:05.000-07:00",'
                                  '"ntz":"2024-01-02T03:04:05.500","big":1.0E10,"small":1.0E-5,"f":1.5}\n')
        src = tmp_path / "t.csv"
        src.write_text("2024-01-02T03:04:05.123Z\n2024-01-02 03:04:05\n2024-01-02T03:04:05+01:00\n")
        as_ts = spark.read.schema("t TIMESTAMP").csv(str(src)).selectExpr("CAST(t AS STRING) t")
        assert [r.t for r in as_ts.collect()] == \
            ["2024-01-01 19:04:05.123", "2024-01-02 03:04:05", "2024-01-01 18:04:05"]
        as_ntz = spark.read.schema("t TIMESTAMP_NTZ").csv(str(src)).selectExpr("CAST(t AS STRING) t")
        assert [r.t for r in as_ntz.collect()] == [None, "2024-01-02 03:04:05", None]
    finally:
        spark.conf.set("spark.sql.session.timeZone", before)


def test_partition_discovery_for_text_formats(utc, tmp_path):
    out = str(tmp_path / "disc")
    utc.range(0, 10, 1, 2).selectExpr("id", "id % 2 AS k", "IF(id < 3, 'a/b', NULL) AS s") \
        .write.partitionBy("k", "s").option("header", True).csv(out)
    df = utc.read.csv(out, header=True, inferSchema=True)
    assert df.dtypes == [("id", "int"), ("k", "int"), ("s", "string")]
    rows = sorted(df.collect())
    assert rows[:4] == [Row(id=0, k=0, s="a/b"), Row(id=1, k=1, s="a/b"), Row(id=2, k=0, s="a/b"),
                        Row(id=3, k=1, s=None)]
    assert df.where("k = 1").count() == 5


def test_user_schema_gets_partition_columns(utc, tmp_path):
    out = str(tmp_path / "userschema")
    utc.range(0, 6, 1, 2).selectExpr("id", "id % 3 AS k").write.partitionBy("k").json(out)
    df = utc.read.schema("id BIGINT").json(out)
    assert df.columns == ["id", "k"]
    assert sorted((r.id, r.k) for r in df.collect()) == [(i, i % 3) for i in range(6)]


@pytest.mark.parametrize("fmt", ["parquet", "orc"])
def test_timestamps_stay_instants_through_columnar_files(utc, tmp_path, fmt):
    out = str(tmp_path / fmt)
    utc.sql("SELECT TIMESTAMP'2024-01-02 03:04:05' AS ts, TIMESTAMP_NTZ'2024-01-02 03:04:05' AS ntz") \
        .write.format(fmt).save(out)
    back = utc.read.format(fmt).load(out)
    assert back.dtypes == [("ts", "timestamp"), ("ntz", "timestamp_ntz")]
    assert back.selectExpr("CAST(ts AS STRING) AS t").collect() == [Row(t="2024-01-02 03:04:05")]


def test_json_escapes_and_null_fields(utc, tmp_path):
    out = str(tmp_path / "esc_json")
    df = utc.createDataFrame([('x"y\\z\n\t\x1f', None)], "a STRING, n INT").coalesce(1)
    df.write.json(out)
    [name] = _parts(out)
    assert open(os.path.join(out, name)).read() == '{"a":"x\\"y\\\\z\\n\\t\\u001F"}\n'
    keep = str(tmp_path / "keep_json")
    df.write.option("ignoreNullFields", False).json(keep)
    [name] = _parts(keep)
    assert open(os.path.join(keep, name)).read() == '{"a":"x\\"y\\\\z\\n\\t\\u001F","n":null}\n'
    assert utc.read.schema("a STRING, n INT").json(keep).collect() == [Row(a='x"y\\z\n\t\x1f', n=None)]
