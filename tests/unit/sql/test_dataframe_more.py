"""toJSON, zipWithIndex, transpose, writeTo and the catalog's table helpers.

Expected values recorded from PySpark 4.3.0 on the same calls."""
from __future__ import annotations

import pytest

from pyspk.errors import AnalysisException
from pyspk.sql import Row, SparkSession


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    session = SparkSession.builder.master("local[2]").appName("df-more") \
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("wh"))).getOrCreate()
    yield session
    session.stop()


@pytest.fixture()
def df(fresh):
    return fresh.createDataFrame([("A", 1, 2.5, None), ("B", 3, 4.0, "x")], ["id", "val1", "val2", "s"])


def test_to_json_omits_nulls(df):
    assert df.toJSON().collect() == ['{"id":"A","val1":1,"val2":2.5}',
                                     '{"id":"B","val1":3,"val2":4.0,"s":"x"}']


def test_zip_with_index(df):
    out = df.zipWithIndex("rid")
    assert [r.rid for r in out.collect()] == [0, 1]
    assert out.schema["rid"].dataType.simpleString() == "bigint" and not out.schema["rid"].nullable
    assert df.zipWithIndex().columns[-1] == "index"


def test_transpose(df):
    t = df.select("id", "val1", "val2").transpose()
    assert t.collect() == [Row(key="val1", A=1.0, B=3.0), Row(key="val2", A=2.5, B=4.0)]
    assert t.schema.simpleString() == "struct<key:string,A:double,B:double>"
    with pytest.raises(AnalysisException) as e:
        df.transpose()
    assert str(e.value) == ('[TRANSPOSE_NO_LEAST_COMMON_TYPE] Transpose requires non-index columns '
                            'to share a least common type, but "DOUBLE" and "STRING" do not. '
                            'SQLSTATE: 42K09')


def test_write_to_creates_and_refuses_v1_row_writes(fresh, df):
    df.writeTo("w1").using("parquet").partitionedBy("id").tableProperty("p", "1").create()
    assert fresh.table("w1").columns == ["val1", "val2", "s", "id"]
    assert fresh.catalog.getTableProperties("w1") == {"p": "1"}
    for method in ("append", "overwritePartitions"):
        with pytest.raises(AnalysisException) as e:
            getattr(df.writeTo("w1"), method)()
        assert str(e.value) == "Cannot write into v1 table: `spark_catalog`.`default`.`w1`."
    with pytest.raises(AnalysisException) as e:
        df.writeTo("w2").createOrReplace()
    assert e.value.getErrorClass() == "UNSUPPORTED_FEATURE.TABLE_OPERATION"
    with pytest.raises(AnalysisException) as e:
        df.writeTo("w1").create()
    assert e.value.getErrorClass() == "TABLE_OR_VIEW_ALREADY_EXISTS"


def test_catalog_table_helpers(fresh, df):
    df.write.partitionBy("id").saveAsTable("c1")
    assert [p.partition for p in fresh.catalog.listPartitions("c1")] == ["id=A", "id=B"]
    assert fresh.catalog.getCreateTableString("c1").startswith("CREATE TABLE spark_catalog.default.c1 (")
    fresh.catalog.truncateTable("c1")
    assert fresh.table("c1").count() == 0
    fresh.catalog.dropTable("c1")
    assert not fresh.catalog.tableExists("c1")
    fresh.catalog.dropTable("c1", ifExists=True)
    with pytest.raises(AnalysisException):
        fresh.catalog.dropTable("c1")
