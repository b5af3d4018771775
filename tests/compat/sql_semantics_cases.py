"""Edge-value SQL cases run by the differential semantics test on pyspk and on PySpark.

Each case is ``(name, conf, sql)``: ``conf`` is set on the session before the query and unset
after it. The cases cover ANSI overflow/division/cast errors, NULL semantics, integer division,
decimal result types, and datetime functions under non-UTC session time zones (around DST).
"""
from __future__ import annotations

ANSI_OFF = {"spark.sql.ansi.enabled": "false"}
LA = {"spark.sql.session.timeZone": "America/Los_Angeles"}
KOLKATA = {"spark.sql.session.timeZone": "Asia/Kolkata"}

ARITHMETIC = [
    "SELECT 2147483647 + 1",
    "SELECT -2147483648 - 1",
    "SELECT 9223372036854775807L + 1L",
    "SELECT 3037000500L * 3037000500L",
    "SELECT 65536 * 65536",
    "SELECT CAST(127 AS TINYINT) + CAST(1 AS TINYINT)",
    "SELECT CAST(32767 AS SMALLINT) * CAST(2 AS SMALLINT)",
    "SELECT -CAST(-2147483648 AS INT)",
    "SELECT abs(CAST(-2147483648 AS INT))",
    "SELECT 1 / 0",
    "SELECT 1 div 0",
    "SELECT 5 % 0",
    "SELECT pmod(5, 0)",
    "SELECT 1.0 / 0",
    "SELECT 1.5D / 0",
    "SELECT 7 div 2, -7 div 2, 7 / 2, -7 % 3, pmod(-7, 3), 7 % -3",
    "SELECT typeof(7 div 2), typeof(7 / 2), typeof(CAST(7 AS TINYINT) div CAST(2 AS TINYINT))",
    "SELECT try_add(2147483647, 1), try_divide(1, 0), try_multiply(9223372036854775807L, 2)",
]

CASTS = [
    "SELECT CAST('abc' AS INT)",
    "SELECT CAST(' 12 ' AS INT), CAST('+7' AS INT), CAST('-0' AS BIGINT)",
    "SELECT CAST('12.5' AS INT)",
    "SELECT CAST('3000000000' AS INT)",
    "SELECT CAST(3000000000L AS INT)",
    "SELECT CAST(128 AS TINYINT)",
    "SELECT CAST(1e20 AS BIGINT)",
    "SELECT CAST(CAST('NaN' AS DOUBLE) AS INT)",
    "SELECT CAST(-3.9D AS INT), CAST(3.9D AS INT), CAST(CAST(-3.9 AS DECIMAL(3,1)) AS INT)",
    "SELECT CAST('1e3' AS DOUBLE), CAST('inf' AS DOUBLE), CAST('-Infinity' AS DOUBLE)",
    "SELECT CAST('x1.5' AS DOUBLE)",
    "SELECT CAST('true' AS BOOLEAN), CAST(' N ' AS BOOLEAN), CAST('1' AS BOOLEAN)",
    "SELECT CAST('maybe' AS BOOLEAN)",
    "SELECT CAST('2024-13-01' AS DATE)",
    "SELECT CAST('2024-02-30' AS DATE)",
    "SELECT CAST('2024-2-3' AS DATE), CAST('2024-02' AS DATE), CAST('2024' AS DATE)",
    "SELECT CAST('2024-01-01T10:00:00' AS TIMESTAMP), CAST('2024-01-01 10:00' AS TIMESTAMP)",
    "SELECT CAST('2024-01-01 10:00:00.123456' AS TIMESTAMP)",
    "SELECT CAST('nope' AS TIMESTAMP)",
    "SELECT CAST('2024-01-01 25:00:00' AS TIMESTAMP)",
    "SELECT try_cast('abc' AS INT), try_cast('2024-13-01' AS DATE), try_cast(300 AS TINYINT)",
    "SELECT CAST(123.456 AS DECIMAL(4,1))",
    "SELECT CAST('123.456' AS DECIMAL(5,2)), CAST('1.005' AS DECIMAL(3,2))",
    "SELECT CAST('abc' AS DECIMAL(5,2))",
    "SELECT CAST(12345.678D AS DECIMAL(6,2))",
    "SELECT CAST(2.5D AS DECIMAL(3,0)), CAST(-2.5D AS DECIMAL(3,0))",
    "SELECT CAST(1.23456789 AS STRING), CAST(1.0D AS STRING), CAST(1e-5D AS STRING)",
    "SELECT CAST(1e7D AS STRING), CAST(123456789.0D AS STRING), CAST(CAST(0.1 AS FLOAT) AS STRING)",
]

DECIMALS = [
    "SELECT CAST(1.5 AS DECIMAL(10,2)) * CAST(2.25 AS DECIMAL(10,3)) AS r, "
    "typeof(CAST(1.5 AS DECIMAL(10,2)) * CAST(2.25 AS DECIMAL(10,3))) AS t",
    "SELECT 1.5 / 3 AS r, typeof(1.5 / 3) AS t",
    "SELECT CAST(1 AS DECIMAL(38,10)) / CAST(3 AS DECIMAL(38,10)) AS r",
    "SELECT typeof(CAST(1 AS DECIMAL(38,10)) / CAST(3 AS DECIMAL(38,10)))",
    "SELECT CAST(1 AS DECIMAL(10,2)) + CAST(1 AS DECIMAL(5,4)) AS r, "
    "typeof(CAST(1 AS DECIMAL(10,2)) + CAST(1 AS DECIMAL(5,4))) AS t",
    "SELECT CAST(99999999999999999999999999999999999999 AS DECIMAL(38,0)) + 1",
    "SELECT CAST(9999999999999999999 AS DECIMAL(19,0)) * CAST(9999999999999999999 AS DECIMAL(19,0)) * 100000",
    "SELECT CAST(10 AS DECIMAL(5,2)) % CAST(3 AS DECIMAL(3,1)) AS r, "
    "typeof(CAST(10 AS DECIMAL(5,2)) % CAST(3 AS DECIMAL(3,1))) AS t",
    "SELECT CAST(1 AS DECIMAL(5,2)) / 0",
    "SELECT 0.1 + 0.2, 0.1 * 3, typeof(0.1 + 0.2)",
    "SELECT 1 + 1.5, typeof(1 + 1.5), 2L * 1.5, typeof(2L * 1.5)",
    "SELECT 1.5 + 1.5D, typeof(1.5 + 1.5D)",
    "SELECT CAST(2 AS DECIMAL(3,0)) div CAST(3 AS DECIMAL(3,1))",
    "SELECT round(2.5), round(-2.5), bround(2.5), round(1.2345, 2), typeof(round(1.2345, 2))",
    "SELECT sum(x), avg(x), typeof(sum(x)), typeof(avg(x)) FROM VALUES (CAST(1.10 AS DECIMAL(4,2))), (2.25) AS t(x)",
]

NULLS = [
    "SELECT NULL + 1, NULL = NULL, NULL <=> NULL, 1 <=> NULL",
    "SELECT NULL AND false, NULL AND true, NULL OR true, NULL OR false, NOT NULL",
    "SELECT 1 IN (2, NULL), 1 IN (1, NULL), NULL IN (1), 1 NOT IN (2, NULL)",
    "SELECT nvl(NULL, 2), coalesce(NULL, NULL, 3), nullif(1, 1), ifnull(NULL, 'x')",
    "SELECT typeof(NULL), typeof(array()), typeof(map())",
    "SELECT count(x), sum(x), max(x), count(*) FROM VALUES (NULL), (NULL) AS t(x)",
    "SELECT concat('a', NULL), array_contains(array(1, NULL), 2), size(NULL)",
]

DATETIMES = [
    "SELECT timestamp'2024-03-10 02:30:00' AS t",
    "SELECT CAST(timestamp'2024-03-10 02:30:00' AS STRING)",
    "SELECT timestamp'2024-11-03 01:30:00' AS t, hour(timestamp'2024-11-03 01:30:00') AS h",
    "SELECT CAST(timestamp'2024-01-01 00:00:00' AS BIGINT)",
    "SELECT from_unixtime(0), from_unixtime(1710064800), from_unixtime(1730622600, 'yyyy-MM-dd HH:mm')",
    "SELECT unix_timestamp('2024-03-10 03:00:00'), unix_timestamp('2024-07-01', 'yyyy-MM-dd')",
    "SELECT to_unix_timestamp('1970-01-01 00:00:00')",
    "SELECT unix_timestamp(timestamp'2024-01-01 00:00:00'), unix_timestamp(date'2024-01-01')",
    "SELECT to_timestamp('2024-07-01 12:00:00') AS t",
    "SELECT to_timestamp('2024-07-01 12', 'yyyy-MM-dd HH') AS t",
    "SELECT CAST(to_timestamp('2024-07-01 12:00:00') AS STRING)",
    "SELECT make_timestamp(2024, 3, 10, 2, 30, 0) AS t",
    "SELECT CAST(make_timestamp(2024, 1, 1, 0, 0, 0, 'UTC') AS STRING)",
    "SELECT CAST(make_timestamp(2024, 7, 1, 12, 30, 45.5) AS STRING)",
    "SELECT make_timestamp(2024, 13, 1, 0, 0, 0)",
    "SELECT date_format(timestamp'2024-07-01 12:34:56', 'yyyy-MM-dd HH:mm:ss') AS f",
    "SELECT date_format(make_timestamp(2024, 1, 1, 0, 0, 0, 'UTC'), 'yyyy-MM-dd HH:mm') AS f",
    "SELECT hour(make_timestamp(2024, 1, 1, 0, 0, 0, 'UTC')), minute(make_timestamp(2024, 1, 1, 0, 0, 0, 'UTC'))",
    "SELECT hour(timestamp'2024-07-01 23:15:00'), hour(timestamp_ntz'2024-07-01 23:15:00')",
    "SELECT CAST(date_trunc('DAY', timestamp'2024-07-01 23:15:00') AS STRING)",
    "SELECT CAST(date_trunc('HOUR', timestamp'2024-11-03 01:30:00') AS STRING)",
    "SELECT CAST(date_trunc('MONTH', make_timestamp(2024, 1, 1, 3, 0, 0, 'UTC')) AS STRING)",
    "SELECT timestamp_ntz'2024-03-10 02:30:00' AS t, typeof(timestamp_ntz'2024-03-10 02:30:00') AS ty",
    "SELECT CAST(timestamp_ntz'2024-07-01 12:00:00' AS TIMESTAMP) AS t",
    "SELECT CAST(timestamp'2024-07-01 12:00:00' AS TIMESTAMP_NTZ) AS t",
    "SELECT CAST(timestamp'2024-07-01 23:30:00' AS DATE), CAST(date'2024-07-01' AS TIMESTAMP) AS t",
    "SELECT timestamp_seconds(0) AS t, CAST(timestamp_seconds(0) AS STRING) AS s",
    "SELECT CAST(from_utc_timestamp(timestamp'2024-07-01 12:00:00', 'Asia/Tokyo') AS STRING)",
    "SELECT CAST(to_utc_timestamp(timestamp'2024-07-01 12:00:00', 'Asia/Tokyo') AS STRING)",
    "SELECT current_timezone()",
    "SELECT to_date('2024-07-01 23:30:00'), to_date(timestamp'2024-07-01 23:30:00')",
    "SELECT timestamp'2024-07-01 12:00:00+00:00' AS t",
    "SELECT CAST('2024-07-01 12:00:00Z' AS TIMESTAMP) AS t",
    "SELECT to_timestamp('2024-13-01', 'yyyy-MM-dd')",
    "SELECT to_date('2024-02-30')",
    "SELECT to_timestamp('garbage')",
]


def _cases() -> list[tuple[str, dict[str, str], str]]:
    out: list[tuple[str, dict[str, str], str]] = []
    for group, queries in (("arith", ARITHMETIC), ("cast", CASTS), ("dec", DECIMALS),
                           ("null", NULLS)):
        for i, q in enumerate(queries):
            out.append((f"{group}{i}", {}, q))
            out.append((f"{group}{i}_ansioff", ANSI_OFF, q))
    for i, q in enumerate(DATETIMES):
        out.append((f"dt{i}_utc", {"spark.sql.session.timeZone": "UTC"}, q))
        out.append((f"dt{i}_la", LA, q))
        out.append((f"dt{i}_kolkata", KOLKATA, q))
        out.append((f"dt{i}_la_ansioff", {**LA, **ANSI_OFF}, q))
    return out


CASES = _cases()

# The program run under each engine (``{pkg}`` is ``pyspark`` or ``pyspk``); it prints one
# block per case: the schema, the collected rows and show()'s table, or the error's class and
# the first line of its message.
PROGRAM = r'''
import contextlib, io, json, sys
from {pkg}.sql import SparkSession
spark = SparkSession.builder.master("local[1]").appName("semantics").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
cases = json.loads(sys.stdin.read())
for name, conf, sql in cases:
    for k, v in conf.items():
        spark.conf.set(k, v)
    try:
        df = spark.sql(sql)
        rows = [tuple(r) for r in df.collect()]
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            df.show(truncate=False)
        out = "%s\n%r\n%s" % (df.schema.simpleString(), rows, buf.getvalue().rstrip())
    except Exception as e:
        cond = getattr(e, "getCondition", lambda: None)()
        msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
        out = "ERROR %s %s | %s" % (type(e).__name__, cond, msg[:300])
    for k in conf:
        spark.conf.unset(k)
    print("=== " + name + "\n" + out, flush=True)
spark.stop()
'''
