"""Parity of pyspk.sql.types' type verifier and the session's ``classproperty``."""
from __future__ import annotations

import pytest

from pyspk.errors.base import PySparkTypeError, PySparkValueError
from pyspk.sql.session import classproperty
from pyspk.sql.types import (ArrayType, ByteType, IntegerType, LongType, MapType, StringType,
                             StructType, _make_type_verifier)


def test_verifier_accepts_fitting_values() -> None:
    _make_type_verifier(StructType([]))(None)
    _make_type_verifier(LongType())(0)
    _make_type_verifier(MapType(StringType(), IntegerType()))({"a": 1})
    _make_type_verifier(StructType().add("a", IntegerType()))({"a": 1})


@pytest.mark.parametrize("dt, nullable, value, err", [
    (LongType(), True, 1 << 64, PySparkValueError),
    (ByteType(), True, 1234, PySparkValueError),
    (ByteType(), False, None, PySparkValueError),
    (ArrayType(StringType()), True, set(), PySparkTypeError),
    (StructType([]), True, [1], PySparkValueError),
    (MapType(StringType(), IntegerType()), True, {None: 1}, PySparkValueError),
])
def test_verifier_rejects(dt: object, nullable: bool, value: object, err: type) -> None:
    with pytest.raises(err):
        _make_type_verifier(dt, nullable)(value)


def test_classproperty_evaluates_per_access() -> None:
    class Holder:
        @classproperty
        def fresh(cls: type) -> object:
            return object()
    assert Holder.fresh is not Holder.fresh


def test_schema_string_with_trailing_comma_is_a_parse_error() -> None:
    from pyspk.errors import ParseException
    from pyspk.sql.types import _parse_datatype_string
    with pytest.raises(ParseException):
        _parse_datatype_string("a: int,")
