"""VARIANT functions: values recorded from PySpark 4.3 (parse/get/schema/updates/strip)."""
from __future__ import annotations

import pytest

from pyspk.errors import PySparkException
from pyspk.sql import functions as F


@pytest.fixture(scope="module")
def doc(spark):
    return spark.createDataFrame([{"json": '{ "b": [1, null, 2.5], "a": {"x": "s", "n": null} }',
                                   "path": "$.a.x"}])


def test_parse_and_get(doc):
    v = F.parse_json(doc.json)
    row = doc.select(F.to_json(v), F.variant_get(v, "$.b[2]", "double"),
                     F.variant_get(v, doc.path, "string"), F.variant_get(v, "$.zz", "int"),
                     F.schema_of_variant(v), F.is_variant_null(v)).first()
    assert tuple(row) == ('{"a":{"n":null,"x":"s"},"b":[1,null,2.5]}', 2.5, "s", None,
                          "OBJECT<a: OBJECT<n: VOID, x: STRING>, b: ARRAY<DECIMAL(21,1)>>", False)
    assert doc.select(F.variant_get(v, "$.b[0]", "int").alias("r")).schema.simpleString() == \
        "struct<r:int>"


def test_invalid_cast_and_try(doc):
    v = F.parse_json(doc.json)
    with pytest.raises(PySparkException) as info:
        doc.select(F.variant_get(v, "$.a", "int")).collect()
    assert info.value.getCondition() == "INVALID_VARIANT_CAST"
    assert doc.select(F.try_variant_get(v, "$.a", "int")).first()[0] is None
    bad = doc.select(F.try_parse_json(F.lit("{a:1}"))).first()[0]
    assert bad is None


def test_updates(doc):
    v = F.parse_json(doc.json)
    r = doc.select(F.to_json(F.variant_set(v, "$.b[4]", F.lit(9))),
                   F.to_json(F.variant_insert(v, "$.c.d", F.lit("q"))),
                   F.to_json(F.variant_delete(v, "$.a", "$.b[0]")),
                   F.to_json(F.variant_array_append(v, "$.b", F.lit(True))),
                   F.to_json(F.variant_strip_nulls(v))).first()
    assert tuple(r) == ('{"a":{"n":null,"x":"s"},"b":[1,null,2.5,null,9]}',
                        '{"a":{"n":null,"x":"s"},"b":[1,null,2.5],"c":{"d":"q"}}',
                        '{"b":[null,2.5]}',
                        '{"a":{"n":null,"x":"s"},"b":[1,null,2.5,true]}',
                        '{"a":{"x":"s"},"b":[1,2.5]}')
    assert doc.select(F.try_variant_insert(v, "$.b", F.lit(1))).first()[0] is None
