"""Scalar functions added in the fn_*_more modules, checked against values and column names
recorded from PySpark 4.3 (session time zone UTC). Each test's comment names the PySpark call."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac as hmaclib
from decimal import Decimal

import pytest

from pyspk.errors import AnalysisException, ArrayIndexOutOfBoundsException
from pyspk.errors.captured import IllegalArgumentException
from pyspk.sql import SparkSession
from pyspk.sql import functions as F


@pytest.fixture(scope="module")
def spark() -> SparkSession:
    s = SparkSession.builder.master("local[2]").getOrCreate()
    s.conf.set("spark.sql.session.timeZone", "UTC")
    return s


@pytest.fixture(scope="module")
def df(spark):
    return spark.createDataFrame(
        [(5, -3, 2.5, "a,b,c", "b", "Hello", 10), (None, 4, None, None, None, None, None),
         (-7, 0, -1.0, "x", "z", "日本", -1)],
        "a int, b int, d double, s string, t string, u string, l int")


def _rows(d):
    return [tuple(r) for r in d.collect()]


def test_negate_bitwise_not_and_shifts(df) -> None:
    # df.select(F.negate("a"), F.negate(F.col("d")), F.bitwiseNOT("a"))
    out = df.select(F.negate("a"), F.negate(F.col("d")), F.bitwiseNOT("a"))
    assert out.columns == ["negative(a)", "negative(d)", "~a"]
    assert _rows(out) == [(-5, -2.5, -6), (None, None, None), (7, 1.0, 6)]
    # df.select(F.shiftLeft("a", 2), F.shiftRight("a", 1), F.shiftRightUnsigned("a", 1),
    #           F.shiftrightunsigned("a", 28))
    out = df.select(F.shiftLeft("a", 2), F.shiftRight("a", 1), F.shiftRightUnsigned("a", 1),
                    F.shiftrightunsigned("a", 28))
    assert out.columns == ["shiftleft(a, 2)", "shiftright(a, 1)", "shiftrightunsigned(a, 1)",
                           "shiftrightunsigned(a, 28)"]
    assert out.schema.simpleString().endswith("shiftrightunsigned(a, 28):int>")
    assert _rows(out) == [(20, 2, 2, 0), (None, None, None, None), (-28, -4, 2147483644, 15)]
    long_a = F.col("a").cast("bigint")
    out = df.select(F.shiftRightUnsigned(long_a, 1), F.shiftLeft(long_a, 62))
    assert out.columns == ["shiftrightunsigned(CAST(a AS BIGINT), 1)",
                           "shiftleft(CAST(a AS BIGINT), 62)"]
    assert _rows(out) == [(2, 4611686018427387904), (None, None),
                          (9223372036854775804, 4611686018427387904)]


def test_degrees_radians_width_bucket(df) -> None:
    # df.select(F.toDegrees("d"), F.toRadians("d"))
    out = df.select(F.toDegrees("d"), F.toRadians("d"))
    assert out.columns == ["DEGREES(d)", "RADIANS(d)"]
    assert _rows(out) == [(143.2394487827058, 0.04363323129985824), (None, None),
                          (-57.29577951308232, -0.017453292519943295)]
    # F.width_bucket("d", lit(-2.0), lit(3.0), lit(5)) and constant cases
    lit = F.lit
    out = df.select(F.width_bucket("d", lit(-2.0), lit(3.0), lit(5)),
                    F.width_bucket(lit(5.3), lit(0.2), lit(10.6), lit(5)),
                    F.width_bucket(lit(-0.9), lit(5.2), lit(0.5), lit(2)),
                    F.width_bucket(lit(11.0), lit(0.0), lit(10.0), lit(5)),
                    F.width_bucket(lit(1.0), lit(0.0), lit(10.0), lit(0)))
    assert out.columns[0] == "width_bucket(d, -2.0, 3.0, 5)"
    assert _rows(out) == [(5, 3, 3, 6, None), (None, 3, 3, 6, None), (2, 3, 3, 6, None)]


def test_xxhash64_matches_spark(spark, df) -> None:
    # df.select(F.xxhash64("a"), F.xxhash64("s"), F.xxhash64("a", "s"), F.xxhash64("d"),
    #           F.xxhash64(F.lit(None)), F.xxhash64(a AS BIGINT), F.xxhash64(F.lit(True)),
    #           F.xxhash64(a AS SMALLINT))
    out = df.select(F.xxhash64("a"), F.xxhash64("s"), F.xxhash64("a", "s"), F.xxhash64("d"),
                    F.xxhash64(F.lit(None)), F.xxhash64(F.col("a").cast("bigint")),
                    F.xxhash64(F.lit(True)), F.xxhash64(F.col("a").cast("short")))
    assert out.columns[:3] == ["xxhash64(a)", "xxhash64(s)", "xxhash64(a, s)"]
    assert _rows(out) == [
        (504019808641096632, -6323426106645465379, 808329652125546697, 2435211733827758672, 42,
         6251837290343458373, -6698625589789238999, 504019808641096632),
        (42, 42, 42, 42, 42, 42, -6698625589789238999, 42),
        (4987848727247274714, -5636050478767222463, -6169408347150492630, -8296228499959607521,
         42, -1663473129717591079, -6698625589789238999, 4987848727247274714)]
    # spark.sql("select xxhash64('Spark', array(123), 2), xxhash64(cast(1.5 as float)), ...")
    row = spark.sql("select xxhash64('Spark', array(123), 2), xxhash64(cast(1.5 as float)), "
                    "xxhash64(date'2020-01-01'), xxhash64(timestamp'2020-01-01 00:00:00'), "
                    "xxhash64(cast('ab' as binary)), xxhash64(1.5BD), xxhash64('')").collect()[0]
    assert tuple(row) == (5602566077635097486, 6163473420726370430, 2299834470729022467,
                          7881863312764026046, 2710560539726725091, 3132713209420183794,
                          -7444071767201028348)


def test_xxhash64_long_strings_use_the_stripe_path(spark) -> None:
    # every length 0..80 crosses XXH64's 32-byte stripes, 8-byte words, 4-byte and byte tails;
    # the reference is an independent pure-Python XXH64
    texts = ["x" * k + "é" * (k % 3) for k in range(81)]
    got = [r[0] for r in spark.createDataFrame([(t,) for t in texts], "s string")
           .select(F.xxhash64("s")).collect()]
    assert got == [_signed(_xxh64(t.encode(), 42)) for t in texts]


def _xxh64(data: bytes, seed: int) -> int:
    m = (1 << 64) - 1
    p1, p2, p3, p4, p5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                          0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5)

    def rotl(x: int, r: int) -> int:
        return ((x << r) | (x >> (64 - r))) & m

    def rnd(acc: int, lane: int) -> int:
        return rotl((acc + lane * p2) & m, 31) * p1 & m

    n, i = len(data), 0
    if n >= 32:
        v = [(seed + p1 + p2) & m, (seed + p2) & m, seed, (seed - p1) & m]
        while i + 32 <= n:
            for j in range(4):
                v[j] = rnd(v[j], int.from_bytes(data[i + 8 * j:i + 8 * j + 8], "little"))
            i += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & m
        for x in v:
            h = ((h ^ rnd(0, x)) * p1 + p4) & m
    else:
        h = (seed + p5) & m
    h = (h + n) & m
    while i + 8 <= n:
        h = (rotl(h ^ rnd(0, int.from_bytes(data[i:i + 8], "little")), 27) * p1 + p4) & m
        i += 8
    if i + 4 <= n:
        h = (rotl(h ^ (int.from_bytes(data[i:i + 4], "little") * p1 & m), 23) * p2 + p3) & m
        i += 4
    while i < n:
        h = rotl(h ^ (data[i] * p5 & m), 11) * p1 & m
        i += 1
    h ^= h >> 33
    h = h * p2 & m
    h ^= h >> 29
    h = h * p3 & m
    return h ^ (h >> 32)


def _signed(h: int) -> int:
    return h - (1 << 64) if h >= 1 << 63 else h


def test_hmac(spark, df) -> None:
    # spark.sql("select hex(hmac('Spark', 'key')), hex(hmac('Spark','key','SHA-512'))")
    row = spark.sql("select hex(hmac('Spark', 'key')), hex(hmac('Spark','key','SHA-512'))").collect()[0]
    assert row[0] == "CEBEF3ACA26F4F452D21055D0545D4BAE3C740A5A4BED3BC15B808F2ACB20471"
    assert row[1].startswith("F90520FADE43239144AB2A61E50B52E8")
    out = df.select(F.hmac(F.col("s").cast("binary"), F.lit("k").cast("binary")))
    assert out.columns == ["hmac(CAST(s AS BINARY), CAST(k AS BINARY), SHA-256)"]
    assert [r[0] for r in out.collect()] == [
        hmaclib.new(b"a,b,c", b"k", hashlib.sha256).digest(), None,
        hmaclib.new(b"x", b"k", hashlib.sha256).digest()]


def test_elt_find_in_set_quote(df) -> None:
    # df.select(F.elt(F.lit(2), "s", "t", "u"), F.find_in_set("t", "s"), F.quote("s"))
    out = df.select(F.elt(F.lit(2), "s", "t", "u"), F.find_in_set("t", "s"),
                    F.find_in_set(F.lit("c"), F.lit("a,b,c")), F.quote("s"))
    assert out.columns == ["elt(2, s, t, u)", "find_in_set(t, s)", "find_in_set(c, a,b,c)",
                           "quote(s)"]
    assert _rows(out) == [("b", 2, 3, "'a,b,c'"), (None, None, 3, None), ("z", 0, 3, "'x'")]
    assert df.select(F.quote(F.lit("Don't"))).collect()[0][0] == "'Don\\'t'"
    # F.elt("l", "s", "t") with l = 10 under ANSI: INVALID_ARRAY_INDEX
    with pytest.raises(ArrayIndexOutOfBoundsException, match="The index 10 is out of bounds"):
        df.select(F.elt("l", "s", "t")).collect()


def test_base32_and_utf8(df) -> None:
    # df.select(F.to_base32("u"), F.from_base32(F.to_base32("u")))
    out = df.select(F.to_base32("u"), F.from_base32(F.to_base32("u")))
    assert out.columns == ["to_base32(u)", "from_base32(to_base32(u))"]
    assert _rows(out) == [("JBSWY3DP", b"Hello"), (None, None),
                          ("42L2LZU4VQ======", "日本".encode())]
    # df.select(F.is_valid_utf8("s"), F.make_valid_utf8("s"), F.validate_utf8("s"), ...)
    out = df.select(F.is_valid_utf8("s"), F.make_valid_utf8("s"), F.validate_utf8("s"),
                    F.try_validate_utf8("s"))
    assert out.columns == ["is_valid_utf8(s)", "make_valid_utf8(s)", "validate_utf8(s)",
                           "try_validate_utf8(s)"]
    assert _rows(out) == [(True, "a,b,c", "a,b,c", "a,b,c"), (None,) * 4, (True, "x", "x", "x")]
    bad = df.sparkSession.createDataFrame([(b"a\xffb",), (b"\x80",), (b"ok",)], "b binary")
    # is_valid_utf8(x'80') = false, make_valid_utf8(x'61ff62') = 'a\ufffdb', try_… = NULL
    out = bad.select(F.is_valid_utf8("b"), F.make_valid_utf8("b"), F.try_validate_utf8("b"))
    assert _rows(out) == [(False, "a\ufffdb", None), (False, "\ufffd", None), (True, "ok", "ok")]
    with pytest.raises(IllegalArgumentException, match=r"INVALID_UTF8_STRING.*\\x61\\xFF\\x62"):
        bad.select(F.validate_utf8("b")).collect()


def test_jaro_winkler(spark) -> None:
    # spark.sql("select jaro_winkler_similarity('MARTHA','MARHTA'), …")
    row = spark.sql("select jaro_winkler_similarity('MARTHA','MARHTA'), "
                    "jaro_winkler_similarity('', ''), jaro_winkler_similarity('abc',''), "
                    "jaro_winkler_similarity('DIXON','DICKSONX'), "
                    "jaro_winkler_similarity('CRATE','TRACE'), "
                    "jaro_winkler_similarity('hello','hello')").collect()[0]
    assert tuple(row) == (0.9611111111111111, 1.0, 0.0, 0.8133333333333332, 0.7333333333333334, 1.0)


def test_encode_decode(spark, df) -> None:
    # df.select(F.encode("u", "UTF-8"), F.decode(F.encode("u", "UTF-8"), "UTF-8"), F.encode("u", "UTF-16"))
    out = df.select(F.encode("u", "UTF-8"), F.decode(F.encode("u", "UTF-8"), "UTF-8"),
                    F.encode("u", "UTF-16"))
    assert out.columns == ["encode(u, UTF-8)", "decode(encode(u, UTF-8), UTF-8)", "encode(u, UTF-16)"]
    assert _rows(out) == [(b"Hello", "Hello", b"\xfe\xff\x00H\x00e\x00l\x00l\x00o"),
                          (None, None, None),
                          ("日本".encode(), "日本", b"\xfe\xffe\xe5g,")]
    # decode(expr, search, result, …, default) is CASE-like with NULL-safe matching
    row = spark.sql("select hex(encode('Spark', 'US-ASCII')), hex(encode('é', 'ISO-8859-1')), "
                    "decode(2, 1, 'a', 2, 'b', 'c'), decode(3, 1, 'a', 2, 'b'), "
                    "decode(null, 1, 'a', null, 'n', 'c')")
    assert row.columns[2:] == ["decode(2, 1, a, 2, b, c)", "decode(3, 1, a, 2, b)",
                               "decode(NULL, 1, a, NULL, n, c)"]
    assert tuple(row.collect()[0]) == ("537061726B", "E9", "b", None, "n")
    with pytest.raises(IllegalArgumentException, match="INVALID_PARAMETER_VALUE.CHARSET"):
        spark.sql("select encode('Spark', 'nope')").collect()


def test_sentences(spark, df) -> None:
    # spark.sql("select sentences('Hi there! Good morning.'), sentences(''), sentences(null)")
    out = spark.sql("select sentences('Hi there! Good morning.'), sentences(''), sentences(null)")
    assert out.columns == ["sentences(Hi there! Good morning., , )", "sentences(, , )",
                           "sentences(NULL, , )"]
    assert tuple(out.collect()[0]) == ([["Hi", "there"], ["Good", "morning"]], [], None)
    out = df.select(F.sentences("s"), F.sentences("s", F.lit("en"), F.lit("US")))
    assert out.columns == ["sentences(s, , )", "sentences(s, en, US)"]
    assert _rows(out) == [([["a", "b", "c"]],) * 2, (None, None), ([["x"]],) * 2]


def test_json_length_and_keys(spark) -> None:
    # spark.sql("select json_array_length('[1,2,3,{\"f1\":1,\"f2\":[5,6]},4]'), …")
    row = spark.sql("""select json_array_length('[1,2,3,{"f1":1,"f2":[5,6]},4]'),
        json_array_length('[]'), json_array_length('[1,2'), json_array_length('{}'),
        json_object_keys('{}'), json_object_keys('{"key": "value"}'),
        json_object_keys('{"f1":"abc","f2":{"f3":"a", "f4":"b"}}'), json_object_keys('[1]'),
        json_object_keys('{bad')""").collect()[0]
    assert tuple(row) == (5, 0, None, None, [], ["key"], ["f1", "f2"], None, None)


def test_stack_and_json_tuple(spark) -> None:
    # spark.sql("select stack(2, 1, 2, 3)"); spark.sql("select stack(3, 'a', 1, 'b', 2, 'c')")
    out = spark.sql("select stack(2, 1, 2, 3)")
    assert out.columns == ["col0", "col1"]
    assert _rows(out) == [(1, 2), (3, None)]
    out = spark.sql("select stack(3, 'a', 1, 'b', 2, 'c')")
    assert out.schema.simpleString() == "struct<col0:string,col1:int>"
    assert _rows(out) == [("a", 1), ("b", 2), ("c", None)]
    with pytest.raises(AnalysisException, match=r'STACK_COLUMN_DIFF_TYPES.*"INT" \(1\) <> "STRING" \(2\)'):
        spark.sql("select stack(2, 1, 'a')").collect()
    # df.select(F.json_tuple("j", "f1", "f2", "f3", "f9"))
    j = spark.createDataFrame([('{"f1": "v1", "f2": 2, "f3": {"x": 1}}',), (None,), ("bad",)],
                              "j string")
    out = j.select(F.json_tuple("j", "f1", "f2", "f3", "f9"))
    assert out.columns == ["c0", "c1", "c2", "c3"]
    assert _rows(out) == [("v1", "2", '{"x":1}', None), (None,) * 4, (None,) * 4]
    assert _rows(j.limit(1).select(F.json_tuple("j", "f1").alias("k"))) == [("v1",)]
    row = spark.sql("""select json_tuple('{"a":1, "b":[1,2], "c":null, "d":true}', 'a', 'b', 'c', 'd')""")
    assert _rows(row) == [("1", "[1,2]", None, "true")]


def test_session_info_and_reflection(spark) -> None:
    # spark.range(1).select(F.current_user(), F.user(), F.session_user(), F.version())
    out = spark.range(1).select(F.current_user(), F.user(), F.session_user(), F.version())
    assert out.columns == ["current_user()", "user()", "session_user()", "version()"]
    r = out.collect()[0]
    assert r[0] == r[1] == r[2] and r[0]
    assert r[3].startswith("4.3.0 ")
    assert spark.range(1).select(F.collation(F.lit("abc"))).collect()[0][0] == \
        "SYSTEM.BUILTIN.UTF8_BINARY"
    with pytest.raises(AnalysisException, match="JVM_REFLECTION"):
        spark.sql("select reflect('java.util.UUID', 'randomUUID')").collect()


def test_extract_convert_timezone_try_make_timestamp(spark) -> None:
    # spark.sql("select extract(YEAR FROM timestamp'…'), extract(SECONDS FROM timestamp'…')")
    out = spark.sql("select extract(YEAR FROM timestamp'2019-08-12 01:00:00.123456'), "
                    "extract(SECONDS FROM timestamp'2019-08-12 01:00:00.123456'), "
                    "extract(week from date'2019-08-12')")
    assert out.columns[:2] == ["extract(YEAR FROM TIMESTAMP '2019-08-12 01:00:00.123456')",
                               "extract(SECONDS FROM TIMESTAMP '2019-08-12 01:00:00.123456')"]
    assert out.schema.fields[1].dataType.simpleString() == "decimal(8,6)"
    assert tuple(out.collect()[0]) == (2019, Decimal("0.123456"), 33)
    # convert_timezone with and without the source zone
    out = spark.sql("select convert_timezone('Europe/Brussels', 'America/Los_Angeles', "
                    "timestamp_ntz'2021-12-06 00:00:00'), "
                    "convert_timezone('Europe/Brussels', timestamp_ntz'2021-12-05 15:00:00')")
    assert out.columns[1] == ("convert_timezone(current_timezone(), Europe/Brussels, "
                              "TIMESTAMP_NTZ '2021-12-05 15:00:00')")
    assert tuple(out.collect()[0]) == (dt.datetime(2021, 12, 5, 15), dt.datetime(2021, 12, 5, 16))
    # try_make_timestamp_ltz/ntz: NULL for invalid fields, zone argument honoured
    out = spark.sql("select try_make_timestamp_ltz(2014, 12, 28, 6, 30, 45.887), "
                    "try_make_timestamp_ltz(2014, 13, 28, 6, 30, 45.887), "
                    "try_make_timestamp_ntz(2014, 12, 32, 6, 30, 45.887), "
                    "try_make_timestamp_ltz(2014, 12, 28, 6, 30, 45.887, 'CET')")
    assert out.columns[0] == "try_make_timestamp_ltz(2014, 12, 28, 6, 30, 45.887)"
    assert tuple(out.collect()[0]) == (dt.datetime(2014, 12, 28, 6, 30, 45, 887000), None, None,
                                       dt.datetime(2014, 12, 28, 5, 30, 45, 887000))


def test_listagg_distinct_bitmaps_shuffle(spark) -> None:
    s = spark.createDataFrame([("a",), ("b",), ("a",), (None,)], "s string")
    # s.select(F.listagg_distinct("s"), F.listagg_distinct("s", ","), F.string_agg_distinct("s", "|"))
    out = s.select(F.listagg_distinct("s"), F.listagg_distinct("s", ","),
                   F.string_agg_distinct("s", "|"))
    assert out.columns == ["listagg(DISTINCT s, NULL)", "listagg(DISTINCT s, ,)",
                           "string_agg(DISTINCT s, |)"]
    got = out.collect()[0]
    assert sorted(got[1].split(",")) == ["a", "b"] and len(got[0]) == 2
    # spark.sql("select bitmap_bit_position(1), …, bitmap_bucket_number(32769)")
    row = spark.sql("select bitmap_bit_position(1), bitmap_bit_position(123), "
                    "bitmap_bit_position(32768), bitmap_bit_position(32769), bitmap_bit_position(0), "
                    "bitmap_bit_position(-1), bitmap_bucket_number(123), bitmap_bucket_number(0), "
                    "bitmap_bucket_number(-1), bitmap_bucket_number(32769)").collect()[0]
    assert tuple(row) == (0, 122, 32767, 0, 0, 1, 1, 0, 0, 2)
    assert spark.createDataFrame([(b"\x10\x10",)], "b binary").select(
        F.bitmap_count("b")).collect()[0][0] == 2
    arrays = spark.createDataFrame([([1, 2, 3, None],), (None,), ([],)], "x array<int>")
    out = arrays.select(F.shuffle("x"), F.shuffle("x", F.lit(7)))
    assert out.columns == ["shuffle(x)", "shuffle(x)"]
    rows = out.collect()
    assert sorted(rows[0][0], key=str) == [1, 2, 3, None] and rows[1][0] is None and rows[2][0] == []


def test_partition_transforms_are_rejected_outside_writers(df) -> None:
    with pytest.raises(AnalysisException, match="PARTITION_TRANSFORM"):
        df.select(F.years("a")).collect()


def test_sql_generator_aliases_and_listagg_distinct(spark) -> None:
    # spark.sql("select stack(2, 1, 2, 3, 4) as (x, y)") -> columns x, y
    out = spark.sql("select stack(2, 1, 2, 3, 4) as (x, y)")
    assert out.columns == ["x", "y"]
    assert _rows(out) == [(1, 2), (3, 4)]
    # spark.sql("select listagg(distinct col, ',') from values ('a'), ('b'), ('a'), (null) as t(col)")
    out = spark.sql("select listagg(distinct col, ',') from values ('a'), ('b'), ('a'), (null) "
                    "as t(col)")
    assert out.columns == ["listagg(DISTINCT col, ,)"]
    assert sorted(out.collect()[0][0].split(",")) == ["a", "b"]


def test_to_number_and_to_char(spark, df) -> None:
    # spark.sql("select to_number('454', '999'), to_number('454.00', '000.00'), …")
    out = spark.sql("select to_number('454', '999'), to_number('454.00', '000.00'), "
                    "to_number('12,454', '99,999'), to_number('$78.12', '$99.99'), "
                    "to_number('12,454.8-', '99,999.9S'), try_to_number('abc', '999'), "
                    "to_number('-454', 'S999'), to_number('454', '99999')")
    assert out.schema.simpleString() == (
        "struct<to_number(454, 999):decimal(3,0),to_number(454.00, 000.00):decimal(5,2),"
        "to_number(12,454, 99,999):decimal(5,0),to_number($78.12, $99.99):decimal(4,2),"
        "to_number(12,454.8-, 99,999.9S):decimal(6,1),try_to_number(abc, 999):decimal(3,0),"
        "to_number(-454, S999):decimal(3,0),to_number(454, 99999):decimal(5,0)>")
    assert tuple(out.collect()[0]) == (Decimal("454"), Decimal("454.00"), Decimal("12454"),
                                       Decimal("78.12"), Decimal("-12454.8"), None,
                                       Decimal("-454"), Decimal("454"))
    with pytest.raises(IllegalArgumentException, match="INVALID_FORMAT.MISMATCH_INPUT"):
        spark.sql("select to_number('abc', '999')").collect()
    # spark.sql("select to_char(454, '999'), to_char(454.00, '000D00'), …, to_char(date'2016-04-08', 'yyyy')")
    out = spark.sql("select to_char(454, '999'), to_char(454.00, '000D00'), "
                    "to_char(12454, '99G999'), to_char(78.12, '$99.99'), "
                    "to_char(-12454.8, '99G999D9S'), to_char(date'2016-04-08', 'yyyy')")
    assert out.columns[-1] == "date_format(DATE '2016-04-08', yyyy)"
    assert tuple(out.collect()[0]) == ("454", "454.00", "12,454", "$78.12", "12,454.8-", "2016")
    # df.select(F.to_char("d", F.lit("99.99")), F.to_varchar("d", F.lit("99.99")))
    out = df.select(F.to_char("d", F.lit("99.99")), F.to_varchar("d", F.lit("99.99")))
    assert out.columns == ["to_char(d, 99.99)", "to_char(d, 99.99)"]
    assert _rows(out) == [(" 2.50", " 2.50"), (None, None), (" 1.00", " 1.00")]


def test_unaliased_generators_name_their_columns(spark) -> None:
    # spark.range(1).select(F.explode(F.array(F.lit(1)))).columns == ['col'];
    # df.select('a', F.stack(F.lit(3), 'a', 'b', 'c')) names the stacked column col0
    assert spark.range(1).select(F.explode(F.array(F.lit(1)))).columns == ["col"]
    d = spark.createDataFrame([(1, 2, 3)], ["a", "b", "c"])
    out = d.select("a", F.stack(F.lit(3), "a", "b", "c"))
    assert out.columns == ["a", "col0"]
    assert _rows(out) == [(1, 1), (1, 2), (1, 3)]


def test_histogram_collect_union_and_bitmap_aggregates(spark) -> None:
    # spark.range(100, numPartitions=1).select(sf.histogram_numeric('id', sf.lit(5)))
    out = spark.range(100, numPartitions=1).select(F.histogram_numeric("id", F.lit(5)))
    assert out.columns == ["histogram_numeric(id, 5)"]
    assert out.schema.simpleString() == \
        "struct<histogram_numeric(id, 5):array<struct<x:bigint,y:double>>>"
    assert [(b.x, b.y) for b in out.collect()[0][0]] == [(11, 25.0), (36, 24.0), (59, 23.0),
                                                          (84, 25.0), (98, 3.0)]
    # spark.range(10).select(sf.histogram_numeric('id', sf.lit(3)))
    got = spark.range(10, numPartitions=1).select(F.histogram_numeric("id", F.lit(3))).collect()
    assert [(b.x, b.y) for b in got[0][0]] == [(1, 3.0), (3, 2.0), (7, 5.0)]
    # df.select(sf.sort_array(sf.collect_union('value')))
    d = spark.createDataFrame([("a", [1, 2]), ("a", [2, 3]), ("b", [4])], ("k", "value"))
    rows = d.groupBy("k").agg(F.sort_array(F.collect_union("value")).alias("u")).orderBy("k")
    assert _rows(rows) == [("a", [1, 2, 3]), ("b", [4])]
    # bitmap_construct_agg / bitmap_or_agg / bitmap_and_agg
    row = spark.sql("select substring(hex(bitmap_construct_agg(bitmap_bit_position(col))), 0, 6), "
                    "bitmap_count(bitmap_construct_agg(bitmap_bit_position(col))) "
                    "from values (1), (2), (3) as tab(col)").collect()[0]
    assert tuple(row) == ("070000", 3)
    b = spark.createDataFrame([(b"\x10",), (b"\x20",), (b"\x40",)], "c binary")
    assert tuple(b.select(F.bitmap_count(F.bitmap_or_agg("c")),
                          F.bitmap_count(F.bitmap_and_agg("c"))).collect()[0]) == (3, 0)


def test_map_zip_with(spark) -> None:
    # spark.sql("select map_zip_with(map(1, 'a', 2, 'b'), map(1, 'x', 2, 'y'), (k, v1, v2) -> concat(v1, v2)), …")
    d = spark.sql("select map_zip_with(map(1, 'a', 2, 'b'), map(1, 'x', 2, 'y'), "
                  "(k, v1, v2) -> concat(v1, v2)), map_zip_with(map('a', 1, 'b', 2), "
                  "map('b', 3, 'c', 4), (k, v1, v2) -> coalesce(v1, 0) + coalesce(v2, 0))")
    assert d.columns[0] == ("map_zip_with(map(1, a, 2, b), map(1, x, 2, y), lambdafunction(concat("
                            "namedlambdavariable(), namedlambdavariable()), namedlambdavariable(), "
                            "namedlambdavariable(), namedlambdavariable()))")
    assert tuple(d.collect()[0]) == ({1: "ax", 2: "by"}, {"a": 1, "b": 5, "c": 4})
    # df.select(F.map_zip_with("m1", "m2", lambda k, v1, v2: F.concat_ws("-", v1, v2)))
    m = spark.sql("select map(1, 'a', 2, 'b') as m1, map(1, 'x', 3, 'y') as m2 "
                  "union all select null, map(1, 'q')")
    out = m.select(F.map_zip_with("m1", "m2", lambda k, v1, v2: F.concat_ws("-", v1, v2)))
    assert out.columns == ["map_zip_with(m1, m2, lambdafunction(concat_ws(-, namedlambdavariable(), "
                           "namedlambdavariable()), namedlambdavariable(), namedlambdavariable(), "
                           "namedlambdavariable()))"]
    assert [r[0] for r in out.collect()] == [{1: "a-x", 2: "b", 3: "y"}, None]


def test_extract_field_synonyms(spark) -> None:
    # df.select(sf.extract(sf.lit('D'), df.ts), sf.extract(sf.lit('M'), df.ts), sf.extract(sf.lit('S'), df.ts))
    d = spark.createDataFrame([(dt.datetime(2015, 4, 8, 13, 8, 15),)], ["ts"])
    out = d.select(F.extract(F.lit("WEEK"), "ts"), F.extract(F.lit("D"), d.ts),
                   F.extract(F.lit("M"), d.ts), F.extract(F.lit("S"), d.ts))
    assert out.columns == ["extract(WEEK FROM ts)", "extract(D FROM ts)", "extract(M FROM ts)",
                           "extract(S FROM ts)"]
    assert tuple(out.collect()[0]) == (15, 8, 8, Decimal("15.000000"))
