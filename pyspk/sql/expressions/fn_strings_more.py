"""More string functions: ``elt``, ``find_in_set``, ``quote``, base32, charsets (``encode``/
``decode``), UTF-8 validation, ``jaro_winkler_similarity`` and ``sentences``.

Arrow kernels are used where one exists (``elt``, ``quote``); the rest are per-value text work
with no Arrow kernel (charset codecs, base32, string similarity) done in one tight pass.
"""
from __future__ import annotations

import base64
import binascii
import re

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import ArrayIndexOutOfBoundsException, SparkRuntimeException
from pyspk.errors.captured import IllegalArgumentException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register

S, I, B, BIN, D = T.StringType(), T.IntegerType(), T.BooleanType(), T.BinaryType(), T.DoubleType()


def _arr(v, n: int) -> pa.Array:
    a = to_array(v, n)
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def _map_values(fn, out: pa.DataType):
    """A kernel applying ``fn`` to each non-null value of the first argument."""
    def kernel(v, c, n):
        return pa.array([None if x is None else fn(x) for x in _arr(v[0], n).to_pylist()], out)
    return kernel


def _elt(v, c, n):
    idx = _arr(v[0], n)
    values = [_arr(x, n) for x in v[1:]]
    k = len(values)
    bad = pc.fill_null(pc.or_(pc.less(idx, 1), pc.greater(idx, k)), False)
    if c.ansi and pc.any(bad).as_py():
        first = pc.filter(idx, bad)[0].as_py()
        raise ArrayIndexOutOfBoundsException(
            f"[INVALID_ARRAY_INDEX] The index {first} is out of bounds. The array has {k} "
            "elements. Use the SQL function `get()` to tolerate accessing element at invalid index "
            "and return NULL instead. SQLSTATE: 22003", errorClass="INVALID_ARRAY_INDEX",
            messageParameters={"indexValue": str(first), "arraySize": str(k)})
    safe = pc.if_else(bad, pa.scalar(None, idx.type), pc.subtract(idx, 1))
    return pc.choose(safe.cast(pa.int32()), *values)


register("elt", _elt, S, lambda ts: [I] + [S] * (len(ts) - 1), 2, None)


def _find_in_set(v, c, n):
    words = _arr(v[0], n).to_pylist()
    lists = _arr(v[1], n).to_pylist()
    out = []
    for w, lst in zip(words, lists):
        if w is None or lst is None:
            out.append(None)
        elif "," in w:
            out.append(0)
        else:
            parts = lst.split(",")
            out.append(parts.index(w) + 1 if w in parts else 0)
    return pa.array(out, pa.int32())


register("find_in_set", _find_in_set, I, [S, S], 2, 2)


def _quote(v, c, n):
    s = _arr(v[0], n)
    escaped = pc.replace_substring(s, "'", "\\'")
    return pc.binary_join_element_wise("'", escaped, "'", "")


register("quote", _quote, S, [S], 1, 1)


def _from_base32(x: bytes | str) -> bytes:
    text = x if isinstance(x, str) else bytes(x).decode("ascii", "replace")
    try:
        return base64.b32decode(text)
    except (binascii.Error, ValueError):
        return b""


register("to_base32", _map_values(lambda b: base64.b32encode(bytes(b)).decode("ascii"), pa.string()),
         S, [BIN], 1, 1)
register("from_base32", _map_values(_from_base32, pa.binary()), BIN, [S], 1, 1)

# Java's charset names Spark accepts, as Python codecs (UTF-16 writes a big-endian BOM).
_CHARSETS = {"utf-8": "utf-8", "us-ascii": "ascii", "iso-8859-1": "latin-1",
             "utf-16be": "utf-16-be", "utf-16le": "utf-16-le", "utf-16": "utf-16", "utf-32": "utf-32-be"}


def _charset(fn: str, value) -> str:
    name = str(value).lower()
    if name not in _CHARSETS:
        raise IllegalArgumentException(
            f"[INVALID_PARAMETER_VALUE.CHARSET] The value of parameter(s) `charset` in `{fn}` is "
            f"invalid: expects one of the iso-8859-1, us-ascii, utf-16, utf-16be, utf-16le, "
            f"utf-32, utf-8, but got {value}. SQLSTATE: 22023",
            errorClass="INVALID_PARAMETER_VALUE.CHARSET",
            messageParameters={"functionName": f"`{fn}`", "parameter": "`charset`",
                               "charset": str(value)})
    return name


def _coding_error(fn: str, charset: str) -> SparkRuntimeException:
    return SparkRuntimeException(
        f"[MALFORMED_CHARACTER_CODING] Invalid value found when performing `{fn}` with "
        f"`{charset}` SQLSTATE: 22000", errorClass="MALFORMED_CHARACTER_CODING",
        messageParameters={"function": f"`{fn}`", "charset": charset})


def _encode_one(s: str, name: str) -> bytes:
    if name == "utf-16":
        return b"\xfe\xff" + s.encode("utf-16-be")
    return s.encode(_CHARSETS[name])


def _decode_one(b: bytes, name: str) -> str:
    if name == "utf-16":
        if b[:2] == b"\xff\xfe":
            return b[2:].decode("utf-16-le")
        return (b[2:] if b[:2] == b"\xfe\xff" else b).decode("utf-16-be")
    return b.decode(_CHARSETS[name])


def _encode(v, c, n):
    name = _charset("encode", v[1].as_py())
    try:
        return pa.array([None if s is None else _encode_one(s, name)
                         for s in _arr(v[0], n).to_pylist()], pa.binary())
    except UnicodeError:
        raise _coding_error("encode", name) from None


def _decode(v, c, n):
    name = _charset("decode", v[1].as_py())
    try:
        return pa.array([None if b is None else _decode_one(bytes(b), name)
                         for b in _arr(v[0], n).to_pylist()], pa.string())
    except UnicodeError:
        raise _coding_error("decode", name) from None


register("encode", _encode, BIN, [S, S], 2, 2, constants_from=1)
register("__decode_charset", _decode, S, [BIN, S], 2, 2, constants_from=1)


def _utf8_values(v, n: int) -> tuple[list, bool]:
    """The argument's values as bytes (strings are valid UTF-8 already)."""
    a = _arr(v[0], n)
    if pa.types.is_binary(a.type) or pa.types.is_large_binary(a.type):
        return a.to_pylist(), True
    return a.to_pylist(), False


def _is_valid(b: bytes) -> bool:
    try:
        bytes(b).decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _is_valid_utf8(v, c, n):
    a = _arr(v[0], n)
    if not pa.types.is_binary(a.type):
        return pc.if_else(pc.is_null(a), pa.scalar(None, pa.bool_()), True)
    return pa.array([None if b is None else _is_valid(b) for b in a.to_pylist()], pa.bool_())


def _make_valid_utf8(v, c, n):
    a = _arr(v[0], n)
    if not pa.types.is_binary(a.type):
        return a
    return pa.array([None if b is None else bytes(b).decode("utf-8", "replace")
                     for b in a.to_pylist()], pa.string())


def _validate(strict: bool):
    def kernel(v, c, n):
        a = _arr(v[0], n)
        if not pa.types.is_binary(a.type):
            return a
        out = []
        for b in a.to_pylist():
            if b is None or _is_valid(b):
                out.append(None if b is None else bytes(b).decode("utf-8"))
            elif strict:
                shown = "".join(f"\\x{x:02X}" for x in bytes(b))
                raise IllegalArgumentException(
                    f"[INVALID_UTF8_STRING] Invalid UTF8 byte sequence found in string: {shown}. "
                    "SQLSTATE: 22029", errorClass="INVALID_UTF8_STRING",
                    messageParameters={"str": shown})
            else:
                out.append(None)
        return pa.array(out, pa.string())
    return kernel


def _text_or_binary(ts: list[T.DataType]) -> list[T.DataType | None]:
    return [None if isinstance(ts[0], (T.BinaryType, T.StringType)) else S]


register("is_valid_utf8", _is_valid_utf8, B, _text_or_binary, 1, 1)
register("make_valid_utf8", _make_valid_utf8, S, _text_or_binary, 1, 1)
register("validate_utf8", _validate(True), S, _text_or_binary, 1, 1)
register("try_validate_utf8", _validate(False), S, _text_or_binary, 1, 1)


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity (prefix scale 0.1 up to four characters, boost above 0.7)."""
    if a == b:
        return 1.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    reach = max(len(longer) // 2 - 1, 0)
    used = [False] * len(longer)
    matched_short = []
    for i, ch in enumerate(shorter):
        for j in range(max(i - reach, 0), min(i + reach + 1, len(longer))):
            if not used[j] and longer[j] == ch:
                used[j] = True
                matched_short.append(ch)
                break
    m = len(matched_short)
    if m == 0:
        return 0.0
    matched_long = [ch for ch, u in zip(longer, used) if u]
    transpositions = sum(x != y for x, y in zip(matched_short, matched_long)) // 2
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    if jaro < 0.7:
        return jaro
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + min(0.1, 1.0 / len(longer)) * prefix * (1 - jaro)


def _jaro_winkler(v, c, n):
    xs, ys = _arr(v[0], n).to_pylist(), _arr(v[1], n).to_pylist()
    return pa.array([None if x is None or y is None else jaro_winkler(x, y)
                     for x, y in zip(xs, ys)], pa.float64())


register("jaro_winkler_similarity", _jaro_winkler, D, [S, S], 2, 2)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def _sentences_of(text: str) -> list[list[str]]:
    out = []
    for sentence in _SENTENCE_END.split(text):
        words = _WORD.findall(sentence)
        if words:
            out.append(words)
    return out


def _sentences(v, c, n):
    return pa.array([None if s is None else _sentences_of(s) for s in _arr(v[0], n).to_pylist()],
                    pa.list_(pa.list_(pa.string())))


register("sentences", _sentences, T.ArrayType(T.ArrayType(S, True), True), [S, S, S], 1, 3,
         defaults=("", ""))


def _common(types: list[T.DataType]) -> T.DataType:
    from pyspk.sql.expressions.coercion import tightest_common_type
    out: T.DataType = T.NullType()
    for t in types:
        out = tightest_common_type(out, t) or S
    return out


def _decode_case_inputs(ts: list[T.DataType]) -> list[T.DataType]:
    """``decode(expr, search1, result1, …[, default])``: searches share expr's type, results
    (and the default) one common type."""
    searches = ts[1:len(ts) - (len(ts) - 1) % 2:2]
    results = ts[2::2] + ([ts[-1]] if (len(ts) - 1) % 2 else [])
    key, res = _common([ts[0]] + searches), _common(results)
    out = [key]
    for i in range(1, len(ts)):
        is_default = (len(ts) - 1) % 2 == 1 and i == len(ts) - 1
        out.append(res if is_default or i % 2 == 0 else key)
    return out


def _decode_case(v, c, n):
    """The result of the first search equal (NULL-safely) to expr, else the default."""
    expr = _arr(v[0], n)
    pairs = len(v) - 1
    default = _arr(v[-1], n) if pairs % 2 else None
    out_type = _arr(v[2], n).type
    out = default if default is not None else pa.nulls(n, out_type)
    for i in range(pairs - pairs % 2 - 1, 0, -2):
        search = _arr(v[i], n)
        hit = pc.or_(pc.fill_null(pc.equal(expr, search), False),
                     pc.and_(pc.is_null(expr), pc.is_null(search)))
        out = pc.if_else(hit, _arr(v[i + 1], n), out)
    return out


register("__decode_case", _decode_case, lambda ts: _decode_case_inputs(ts)[2], _decode_case_inputs,
         3, None)
