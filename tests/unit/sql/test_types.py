from __future__ import annotations

import pytest

from pyspk.sql import types as T
from pyspk.sql.types import Row


def test_simple_strings():
    assert T.IntegerType().simpleString() == "int"
    assert T.LongType().simpleString() == "bigint"
    assert T.DecimalType(10, 2).simpleString() == "decimal(10,2)"
    assert T.ArrayType(T.StringType()).simpleString() == "array<string>"
    assert T.MapType(T.StringType(), T.IntegerType()).simpleString() == "map<string,int>"
    st = T.StructType([T.StructField("a", T.IntegerType()), T.StructField("b", T.StringType())])
    assert st.simpleString() == "struct<a:int,b:string>"


def test_json_round_trip():
    st = T.StructType([
        T.StructField("a", T.ArrayType(T.DecimalType(5, 2), False), True),
        T.StructField("m", T.MapType(T.StringType(), T.TimestampType()), False),
        T.StructField("s", T.StructType([T.StructField("x", T.DateType())])),
    ])
    assert T.StructType.fromJson(__import__("json").loads(st.json())) == st
    assert T._parse_datatype_json_string(st.json()) == st


def test_ddl_parsing():
    st = T._parse_datatype_string("id INT, name STRING NOT NULL, tags array<string>")
    assert st.names == ["id", "name", "tags"]
    assert st["name"].nullable is False
    assert T._parse_datatype_string("decimal(12,3)") == T.DecimalType(12, 3)
    assert T._parse_datatype_string("a: int") == T.StructType([T.StructField("a", T.IntegerType())])
    assert T._parse_datatype_string(st.toDDL()) == st


def test_tree_string_matches_spark_format():
    assert T.StructType([T.StructField("i", T.IntegerType())]).treeString() == \
        "root\n |-- i: integer (nullable = true)\n"
    st = T.StructType([T.StructField("a", T.LongType()),
                       T.StructField("b", T.ArrayType(T.StructType([T.StructField("c", T.StringType())])))])
    assert st.treeString() == (
        "root\n |-- a: long (nullable = true)\n |-- b: array (nullable = true)\n"
        " |    |-- element: struct (containsNull = true)\n"
        " |    |    |-- c: string (nullable = true)\n")


def test_row_access_and_repr():
    r = Row(name="Alice", age=11)
    assert r.name == "Alice" and r["age"] == 11 and r[0] == "Alice"
    assert repr(r) == "Row(name='Alice', age=11)"
    assert r.asDict() == {"name": "Alice", "age": 11}
    Person = Row("name", "age")
    assert Person("Bob", 3).age == 3
    with pytest.raises(AttributeError):
        r.missing


def test_singletons_and_equality():
    assert T.IntegerType() is T.IntegerType()
    assert T.DecimalType(10, 2) == T.DecimalType(10, 2)
    assert T.DecimalType(10, 2) != T.DecimalType(10, 3)
