"""Tables, databases and SQL commands against a warehouse in a temporary directory.

Expected rows and messages were recorded from PySpark 4.3.0 running the same statements."""
from __future__ import annotations

import os

import pytest

from pyspk.errors import AnalysisException
from pyspk.sql import Row, SparkSession


def _session(warehouse) -> SparkSession:
    return SparkSession.builder.master("local[2]").appName("catalog-cmds") \
        .config("spark.sql.warehouse.dir", str(warehouse)).getOrCreate()


@pytest.fixture()
def spark(tmp_path):
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    session = _session(tmp_path / "wh")
    yield session
    session.stop()


def _rows(spark, q):
    return [tuple(r) for r in spark.sql(q).collect()]


def test_partitioned_table_insert_forms_and_restart(spark, tmp_path):
    spark.sql("CREATE TABLE t1 (id INT, name STRING, d DATE) USING parquet PARTITIONED BY (d)")
    spark.sql("INSERT INTO t1 VALUES (1, 'a', DATE'2024-01-01')")
    spark.sql("INSERT INTO t1 (name, id, d) VALUES ('q', 5, DATE'2024-01-03')")
    spark.sql("INSERT INTO t1 PARTITION (d = '2024-01-09') VALUES (7, 'z')")
    import datetime as dt
    want = [Row(id=1, name="a", d=dt.date(2024, 1, 1)), Row(id=5, name="q", d=dt.date(2024, 1, 3)),
            Row(id=7, name="z", d=dt.date(2024, 1, 9))]
    assert spark.sql("SELECT * FROM t1 ORDER BY id").collect() == want
    assert _rows(spark, "SHOW PARTITIONS t1") == [("d=2024-01-01",), ("d=2024-01-03",), ("d=2024-01-09",)]
    spark.stop()
    again = _session(tmp_path / "wh")
    assert again.sql("SELECT * FROM t1 ORDER BY id").collect() == want
    assert [c.isPartition for c in again.catalog.listColumns("t1")] == [False, False, True]


def test_insert_overwrite_of_its_own_input_is_refused_and_loses_nothing(spark):
    spark.sql("CREATE TABLE t1 (id INT, name STRING) USING parquet")
    spark.sql("INSERT INTO t1 VALUES (1, 'a'), (2, 'b')")
    with pytest.raises(AnalysisException) as e:
        spark.sql("INSERT OVERWRITE TABLE t1 SELECT id + 10, name FROM t1")
    assert e.value.getErrorClass() == "UNSUPPORTED_OVERWRITE.TABLE"
    assert "`spark_catalog`.`default`.`t1`" in str(e.value)
    assert _rows(spark, "SELECT * FROM t1 ORDER BY id") == [(1, "a"), (2, "b")]
    spark.sql("CREATE TABLE t2 AS SELECT id * 2 AS id, name FROM t1")
    spark.sql("INSERT OVERWRITE TABLE t1 SELECT * FROM t2")
    assert _rows(spark, "SELECT * FROM t1 ORDER BY id") == [(2, "a"), (4, "b")]


def test_insert_arity_and_casts(spark):
    spark.sql("CREATE TABLE t (a INT, b STRING) USING parquet")
    with pytest.raises(AnalysisException) as e:
        spark.sql("INSERT INTO t VALUES (1)")
    assert e.value.getErrorClass() == "INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS"
    with pytest.raises(AnalysisException) as e:
        spark.sql("INSERT INTO t VALUES (1, 'x', 2)")
    assert e.value.getErrorClass() == "INSERT_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS"
    spark.sql("INSERT INTO t (b) VALUES ('only b')")
    spark.sql("INSERT INTO t SELECT '7', 8")
    assert _rows(spark, "SELECT * FROM t ORDER BY a NULLS FIRST") == [(None, "only b"), (7, "8")]
    assert spark.table("t").schema.simpleString() == "struct<a:int,b:string>"


def test_describe_forms(spark):
    spark.sql("CREATE TABLE t1 (id INT, name STRING, d DATE) USING parquet PARTITIONED BY (d)")
    assert _rows(spark, "DESCRIBE t1") == [
        ("id", "int", None), ("name", "string", None), ("d", "date", None),
        ("# Partition Information", "", ""), ("# col_name", "data_type", "comment"),
        ("d", "date", None)]
    ext = _rows(spark, "DESCRIBE EXTENDED t1")
    assert ext[6:9] == [("", "", ""), ("# Detailed Table Information", "", ""),
                        ("Catalog", "spark_catalog", "")]
    info = {r[0]: r[1] for r in ext[9:]}
    assert info["Database"] == "default" and info["Table"] == "t1" and info["Type"] == "MANAGED"
    assert info["Provider"] == "parquet" and info["Partition Provider"] == "Catalog"
    assert info["Location"] == "file:" + os.path.join(spark.conf.get("spark.sql.warehouse.dir"), "t1")
    assert _rows(spark, "DESCRIBE t1 id") == [("col_name", "id"), ("data_type", "int"),
                                              ("comment", None)]
    assert spark.sql("DESCRIBE t1").columns == ["col_name", "data_type", "comment"]


def test_databases_show_and_drop(spark):
    spark.sql("CREATE DATABASE db1")
    spark.sql("CREATE TABLE db1.t3 AS SELECT 1 AS a")
    spark.sql("CREATE TABLE t1 (id INT) USING parquet")
    assert _rows(spark, "SHOW TABLES IN db1") == [("db1", "t3", False)]
    assert _rows(spark, "SHOW TABLES FROM db1 LIKE 't*'") == [("db1", "t3", False)]
    assert _rows(spark, "SHOW TABLES LIKE 't1|zz'") == [("default", "t1", False)]
    assert _rows(spark, "SHOW DATABASES") == [("db1",), ("default",)]
    with pytest.raises(AnalysisException) as e:
        spark.sql("DROP DATABASE db1")
    assert e.value.getErrorClass() == "SCHEMA_NOT_EMPTY"
    with pytest.raises(AnalysisException) as e:
        spark.sql("DROP DATABASE nope")
    assert e.value.getErrorClass() == "SCHEMA_NOT_FOUND"
    spark.sql("DROP DATABASE db1 CASCADE")
    assert _rows(spark, "SHOW DATABASES") == [("default",)]
    assert spark.catalog.databaseExists("db1") is False


def test_truncate_rename_alter_show_create(spark):
    spark.sql("CREATE TABLE t1 (id INT, name STRING, d DATE) USING parquet PARTITIONED BY (d) "
              "TBLPROPERTIES ('k'='v')")
    spark.sql("INSERT INTO t1 VALUES (1, 'a', DATE'2024-01-01')")
    spark.sql("TRUNCATE TABLE t1")
    assert _rows(spark, "SELECT count(*) FROM t1") == [(0,)]
    spark.sql("ALTER TABLE t1 RENAME TO t9")
    assert [t.name for t in spark.catalog.listTables()] == ["t9"]
    assert _rows(spark, "SHOW CREATE TABLE t9") == [(
        "CREATE TABLE spark_catalog.default.t9 (\n  id INT,\n  name STRING COLLATE UTF8_BINARY,\n"
        "  d DATE)\nUSING parquet\nPARTITIONED BY (d)\nTBLPROPERTIES (\n  'k' = 'v')\n",)]
    spark.sql("ALTER TABLE t9 ADD COLUMNS (x DOUBLE)")
    spark.sql("ALTER TABLE t9 SET TBLPROPERTIES ('k2'='v2')")
    assert spark.table("t9").columns == ["id", "name", "x", "d"]
    assert _rows(spark, "SHOW TBLPROPERTIES t9") == [("k", "v"), ("k2", "v2")]
    with pytest.raises(AnalysisException) as e:
        spark.sql("DROP TABLE nope")
    assert e.value.getErrorClass() == "TABLE_OR_VIEW_NOT_FOUND"
    spark.sql("DROP TABLE IF EXISTS nope")


def test_set_reset_cache_explain(spark):
    assert _rows(spark, "SET spark.sql.shuffle.partitions") == [("spark.sql.shuffle.partitions", "200")]
    assert _rows(spark, "SET spark.sql.shuffle.partitions=7") == [("spark.sql.shuffle.partitions", "7")]
    assert _rows(spark, "SET spark.sql.shuffle.partitions") == [("spark.sql.shuffle.partitions", "7")]
    assert _rows(spark, "SET spark.nope.key") == [("spark.nope.key", "<undefined>")]
    spark.sql("RESET spark.sql.shuffle.partitions")
    assert spark.conf.get("spark.sql.shuffle.partitions") == "200"
    spark.sql("CREATE TABLE t2 AS SELECT id, id * 2 AS x FROM range(5)")
    spark.sql("CACHE TABLE t2")
    assert spark.catalog.isCached("t2") is True
    assert _rows(spark, "SELECT sum(x) FROM t2") == [(20,)]
    spark.sql("UNCACHE TABLE t2")
    assert spark.catalog.isCached("t2") is False
    plan = spark.sql("EXPLAIN EXTENDED SELECT id FROM t2 WHERE id > 1").collect()[0][0]
    assert "== Parsed Logical Plan ==" in plan and "== Physical Plan ==" in plan
    with pytest.raises(AnalysisException):
        spark.catalog.cacheTable("nope")


def test_save_as_table_modes_insert_into_and_external(spark, tmp_path):
    df = spark.createDataFrame([(1, "a"), (2, "b")], "id INT, k STRING")
    df.write.partitionBy("k").saveAsTable("s")
    with pytest.raises(AnalysisException) as e:
        df.write.saveAsTable("s")
    assert e.value.getErrorClass() == "TABLE_OR_VIEW_ALREADY_EXISTS"
    df.write.mode("ignore").saveAsTable("s")
    df.write.mode("append").saveAsTable("s")
    assert spark.table("s").count() == 4
    spark.createDataFrame([(9, "z")], "id INT, k STRING").write.insertInto("s")
    assert sorted(r.id for r in spark.table("s").collect()) == [1, 1, 2, 2, 9]
    df.write.mode("overwrite").saveAsTable("s")
    assert sorted(tuple(r) for r in spark.table("s").collect()) == [(1, "a"), (2, "b")]
    ext = tmp_path / "ext"
    df.write.parquet(str(ext))
    spark.catalog.createTable("e", path=str(ext))
    assert spark.catalog.getTable("e").tableType == "EXTERNAL"
    spark.sql("DROP TABLE e")
    assert os.path.isdir(ext), "dropping an external table keeps its files"


def test_persistent_views_and_catalog_qualified_names(spark, tmp_path):
    spark.sql("CREATE TABLE tbl1 (name STRING, age INT) USING parquet")
    assert spark.catalog.tableExists("default.tbl1")
    assert spark.catalog.tableExists("spark_catalog.default.tbl1")
    assert spark.catalog.tableExists("tbl1", "default")
    spark.sql("CREATE VIEW view1 AS SELECT 1 AS one, 'x' AS s")
    assert spark.catalog.tableExists("spark_catalog.default.view1")
    assert [(t.name, t.tableType, t.isTemporary) for t in spark.catalog.listTables()] == [
        ("tbl1", "MANAGED", False), ("view1", "VIEW", False)]
    assert _rows(spark, "SHOW VIEWS") == [("default", "view1", False)]
    spark.sql("CREATE OR REPLACE VIEW view1 (a, b) AS SELECT 2, 'y'")
    assert spark.table("view1").collect() == [Row(a=2, b="y")]
    assert spark.catalog.databaseExists("spark_catalog.default")
    assert spark.catalog.getDatabase("spark_catalog.default").name == "default"
    spark.stop()
    again = _session(tmp_path / "wh")
    assert again.sql("SELECT a FROM default.view1").collect() == [Row(a=2)]
    again.sql("DROP VIEW view1")
    assert not again.catalog.tableExists("view1")


def test_cached_table_refresh_reads_the_files_again(spark, tmp_path):
    loc = tmp_path / "loc"
    spark.sql(f"CREATE TABLE tbl2 (col STRING) USING TEXT LOCATION '{loc}'")
    spark.sql("INSERT INTO tbl2 SELECT 'abc'")
    spark.catalog.cacheTable("tbl2")
    assert spark.table("tbl2").collect() == [Row(col="abc")]
    import shutil
    shutil.rmtree(loc)
    assert spark.table("tbl2").count() == 1, "cached rows are used until the table is refreshed"
    spark.catalog.refreshTable("tbl2")
    assert spark.table("tbl2").count() == 0
    assert spark.catalog.isCached("spark_catalog.default.tbl2")
    with pytest.raises(AnalysisException):
        spark.catalog.isCached("not_existing_table")
