"""Column functions added after the core set: bit shifts with Java names, ``width_bucket``,
hashes, strings (charsets, base32, UTF-8 checks, similarity), JSON generators and session info.
Each builds a call that the function registry resolves, as SQL text would."""
from __future__ import annotations

from typing import Any

from pyspk.errors import PySparkTypeError
from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.functions.more import _call, _cols
from pyspk.sql.expressions.base import Literal

ColumnOrName = Any





def negate(col: ColumnOrName) -> Column:
    """``-col`` (shown as ``negative(col)``)."""
    return _cols("negative", col)


def bitwiseNOT(col: ColumnOrName) -> Column:
    """Bitwise complement ``~col``."""
    return _cols("bitwise_not", col)


def shiftLeft(col: ColumnOrName, numBits: int) -> Column:
    """``col << numBits`` (int or long, bits taken modulo the width as in Java)."""
    return _call("shiftleft", col_or_name(col), Literal.of(numBits))


def shiftRight(col: ColumnOrName, numBits: int) -> Column:
    """Arithmetic (sign-extending) right shift."""
    return _call("shiftright", col_or_name(col), Literal.of(numBits))


def shiftrightunsigned(col: ColumnOrName, numBits: int) -> Column:
    """Logical (zero-filling) right shift."""
    return _call("shiftrightunsigned", col_or_name(col), Literal.of(numBits))


shiftRightUnsigned = shiftrightunsigned


def toDegrees(col: ColumnOrName) -> Column:
    """Radians to degrees."""
    return _cols("degrees", col)


def toRadians(col: ColumnOrName) -> Column:
    """Degrees to radians."""
    return _cols("radians", col)


def width_bucket(v: ColumnOrName, min: ColumnOrName, max: ColumnOrName, numBucket: Any) -> Column:
    """The bucket (1..numBucket, 0 below, numBucket+1 above) of ``v`` in an equi-width histogram."""
    nb = Literal.of(numBucket) if isinstance(numBucket, int) else col_or_name(numBucket)
    return _call("width_bucket", col_or_name(v), col_or_name(min), col_or_name(max), nb)


def uniform(min: Any, max: Any, seed: Any = None) -> Column:
    """A random number uniformly drawn from [min, max)."""
    args = [to_expr(min), to_expr(max)]
    if seed is not None:
        args.append(to_expr(seed))
    return _call("uniform", *args)


def randstr(length: Any, seed: Any = None) -> Column:
    """A random alphanumeric string of ``length`` characters."""
    args = [to_expr(length)] + ([to_expr(seed)] if seed is not None else [])
    return _call("randstr", *args)


def xxhash64(*cols: ColumnOrName) -> Column:
    """Spark's 64-bit xxHash (seed 42) of the columns."""
    return _cols("xxhash64", *cols)


def hmac(key: ColumnOrName, message: ColumnOrName, algorithm: ColumnOrName | None = None) -> Column:
    """HMAC (SHA-256 by default, or SHA-384/SHA-512) as binary."""
    args = [col_or_name(key), col_or_name(message)]
    if algorithm is not None:
        args.append(col_or_name(algorithm))
    return _call("hmac", *args)


def elt(*inputs: ColumnOrName) -> Column:
    """The n-th (1-based, first argument) of the following inputs."""
    return _cols("elt", *inputs)


def find_in_set(str: ColumnOrName, str_array: ColumnOrName) -> Column:
    """1-based position of ``str`` in a comma-separated list (0 when absent)."""
    return _cols("find_in_set", str, str_array)


def quote(col: ColumnOrName) -> Column:
    """The string in single quotes, inner quotes escaped."""
    return _cols("quote", col)


def to_base32(col: ColumnOrName) -> Column:
    """RFC 4648 base32 text of the bytes."""
    return _cols("to_base32", col)


def from_base32(col: ColumnOrName) -> Column:
    """The bytes of base32 text (empty when the text is not base32)."""
    return _cols("from_base32", col)


def jaro_winkler_similarity(left: ColumnOrName, right: ColumnOrName) -> Column:
    """Jaro-Winkler similarity of two strings, in [0, 1]."""
    return _cols("jaro_winkler_similarity", left, right)


def is_valid_utf8(str: ColumnOrName) -> Column:
    """Whether the bytes are valid UTF-8."""
    return _cols("is_valid_utf8", str)


def make_valid_utf8(str: ColumnOrName) -> Column:
    """The text with invalid UTF-8 sequences replaced by U+FFFD."""
    return _cols("make_valid_utf8", str)


def validate_utf8(str: ColumnOrName) -> Column:
    """The text, failing on invalid UTF-8."""
    return _cols("validate_utf8", str)


def try_validate_utf8(str: ColumnOrName) -> Column:
    """The text, NULL when it is invalid UTF-8."""
    return _cols("try_validate_utf8", str)


def encode(col: ColumnOrName, charset: str) -> Column:
    """The string's bytes in ``charset``."""
    return _call("encode", col_or_name(col), Literal.of(charset))


def decode(col: ColumnOrName, charset: str) -> Column:
    """Bytes decoded from ``charset`` into a string."""
    return _call("decode", col_or_name(col), Literal.of(charset))


def sentences(string: ColumnOrName, language: ColumnOrName | None = None,
              country: ColumnOrName | None = None) -> Column:
    """The text split into sentences of words."""
    args = [col_or_name(string)]
    if language is not None:
        args.append(col_or_name(language))
        if country is not None:
            args.append(col_or_name(country))
    return _call("sentences", *args)


def json_array_length(col: ColumnOrName) -> Column:
    """Number of elements of the outermost JSON array (NULL when not an array)."""
    return _cols("json_array_length", col)


def json_object_keys(col: ColumnOrName) -> Column:
    """Keys of the outermost JSON object (NULL when not an object)."""
    return _cols("json_object_keys", col)


def stack(*cols: ColumnOrName) -> Column:
    """``stack(n, v…)``: split the values into ``n`` rows (a generator)."""
    return _cols("stack", *cols)


def json_tuple(col: ColumnOrName, *fields: str) -> Column:
    """Top-level fields of a JSON object as string columns ``c0, c1, …`` (a generator)."""
    if not fields:
        raise PySparkTypeError(errorClass="CANNOT_BE_EMPTY", messageParameters={"item": "field"})
    return _call("json_tuple", col_or_name(col), *(Literal.of(f) for f in fields))


def current_user() -> Column:
    """The user running the session."""
    return _call("current_user")


def user() -> Column:
    """The user running the session."""
    return _call("user")


def session_user() -> Column:
    """The user running the session."""
    return _call("session_user")


def version() -> Column:
    """The Spark version this API mirrors."""
    return _call("version")


def reflect(*cols: ColumnOrName) -> Column:
    """Java reflection: unsupported without a JVM (raises when resolved)."""
    return _cols("reflect", *cols)


def java_method(*cols: ColumnOrName) -> Column:
    """Java reflection: unsupported without a JVM (raises when resolved)."""
    return _cols("java_method", *cols)


def try_reflect(*cols: ColumnOrName) -> Column:
    """Java reflection: unsupported without a JVM (raises when resolved)."""
    return _cols("try_reflect", *cols)


def collation(col: ColumnOrName) -> Column:
    """The collation of a string (pyspk compares strings by their UTF-8 bytes)."""
    return _cols("collation", col)


def extract(field: Column, source: ColumnOrName) -> Column:
    """A field (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, WEEK, DOW, DOY, …) of a date/time."""
    return _call("extract", col_or_name(field), col_or_name(source))


def listagg_distinct(col: ColumnOrName, delimiter: Any = None) -> Column:
    """The distinct non-NULL values concatenated (``listagg(DISTINCT …)``)."""
    args = [col_or_name(col)] + ([to_expr(delimiter)] if delimiter is not None else [])
    return _call("listagg_distinct", *args)


def string_agg_distinct(col: ColumnOrName, delimiter: Any = None) -> Column:
    """The distinct non-NULL values concatenated (``string_agg(DISTINCT …)``)."""
    args = [col_or_name(col)] + ([to_expr(delimiter)] if delimiter is not None else [])
    return _call("string_agg_distinct", *args)


def bucket(numBuckets: Any, col: ColumnOrName) -> Column:
    """Partition transform: hash buckets (only valid in ``writeTo(...).partitionedBy``)."""
    return _call("bucket", to_expr(numBuckets), col_or_name(col))


def years(col: ColumnOrName) -> Column:
    """Partition transform by year (only valid in ``writeTo(...).partitionedBy``)."""
    return _cols("years", col)


def months(col: ColumnOrName) -> Column:
    """Partition transform by month (only valid in ``writeTo(...).partitionedBy``)."""
    return _cols("months", col)


def days(col: ColumnOrName) -> Column:
    """Partition transform by day (only valid in ``writeTo(...).partitionedBy``)."""
    return _cols("days", col)


def hours(col: ColumnOrName) -> Column:
    """Partition transform by hour (only valid in ``writeTo(...).partitionedBy``)."""
    return _cols("hours", col)


def bitmap_bit_position(col: ColumnOrName) -> Column:
    """The bit of a value inside its 32768-bit bitmap bucket."""
    return _cols("bitmap_bit_position", col)


def bitmap_bucket_number(col: ColumnOrName) -> Column:
    """The 32768-bit bitmap bucket holding a value."""
    return _cols("bitmap_bucket_number", col)


def bitmap_count(col: ColumnOrName) -> Column:
    """How many bits are set in a bitmap."""
    return _cols("bitmap_count", col)


def shuffle(col: ColumnOrName, seed: Any = None) -> Column:
    """The array's elements in a random order."""
    args = [col_or_name(col)] + ([to_expr(seed)] if seed is not None else [])
    return _call("shuffle", *args)


def to_number(col: ColumnOrName, format: ColumnOrName) -> Column:
    """Text read with a number format (``'$99,999.99'``) as a decimal; fails on a mismatch."""
    return _cols("to_number", col, format)


def try_to_number(col: ColumnOrName, format: ColumnOrName) -> Column:
    """Like ``to_number``, NULL when the text does not match the format."""
    return _cols("try_to_number", col, format)


def to_char(col: ColumnOrName, format: ColumnOrName) -> Column:
    """A number laid out with a number format (dates/timestamps: a datetime pattern)."""
    return _cols("to_char", col, format)


def to_varchar(col: ColumnOrName, format: ColumnOrName) -> Column:
    """Same as ``to_char``."""
    return _cols("to_varchar", col, format)


def collect_union(col: ColumnOrName) -> Column:
    """The distinct elements of the arrays of a group, as one array."""
    return _cols("collect_union", col)


def bitmap_construct_agg(col: ColumnOrName) -> Column:
    """A bitmap with the bits of the group's bit positions set."""
    return _cols("bitmap_construct_agg", col)


def bitmap_or_agg(col: ColumnOrName) -> Column:
    """The bitwise OR of the group's bitmaps."""
    return _cols("bitmap_or_agg", col)


def bitmap_and_agg(col: ColumnOrName) -> Column:
    """The bitwise AND of the group's bitmaps."""
    return _cols("bitmap_and_agg", col)


def histogram_numeric(col: ColumnOrName, nBins: Any) -> Column:
    """An approximate histogram of ``nBins`` (x, y) bins (Spark's streaming algorithm)."""
    return _call("histogram_numeric", col_or_name(col), to_expr(nBins))


def map_zip_with(col1: ColumnOrName, col2: ColumnOrName, f: Any) -> Column:
    """Merge two maps key by key with ``f(key, value1, value2)`` (a missing side is NULL)."""
    from pyspk.sql.column import to_expr
    from pyspk.sql.expressions.higher_order import LambdaFunction, fresh_variable
    params = tuple(fresh_variable(p, sql_name="namedlambdavariable()") for p in ("k", "v1", "v2"))
    body = to_expr(f(*(Column(p) for p in params)))
    return _call("map_zip_with", col_or_name(col1), col_or_name(col2), LambdaFunction(body, params))


__all__ = [n for n, v in list(globals().items())
           if callable(v) and not n.startswith("_") and getattr(v, "__module__", "") == __name__]
