"""More date/time functions: ``extract`` and ``convert_timezone``. Field extraction reuses
``date_part``'s kernel; zone conversion is Arrow's, once per distinct pair of zones."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql.expressions import fn_datetime
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register
from pyspk.sql.expressions.tz import local_to_utc, utc_to_local

S, I, NTZ = T.StringType(), T.IntegerType(), T.TimestampNTZType()
_SECOND_FIELDS = ("second", "seconds", "s", "sec", "secs")


def extract_type(field: str) -> T.DataType:
    """``extract(SECOND …)`` keeps the fraction (decimal(8,6)); other fields are ints."""
    return T.DecimalType(8, 6) if field.lower() in _SECOND_FIELDS else I


def _extract(v, c, n):
    return fn_datetime._date_part(v, c, n)


def _extract_seconds(v, c, n):
    """Seconds with their microsecond fraction, as decimal(8,6)."""
    x = v[1]
    secs = pc.add(pc.second(x).cast(pa.float64()), pc.subsecond(x))
    return pc.round(secs, 6).cast(pa.decimal128(8, 6))


register("__extract", _extract, lambda ts: I, lambda ts: [None, NTZ if isinstance(
    ts[1], T.TimestampType) else None], 2, 2)
register("__extract_seconds", _extract_seconds, T.DecimalType(8, 6), lambda ts: [None, NTZ if isinstance(
    ts[1], T.TimestampType) else None], 2, 2)


def _convert_timezone(v, c, n):
    """The wall clock ``ts`` read in the source zone, shown in the target zone."""
    source, target, ts = (to_array(x, n) for x in v)
    ts = ts.combine_chunks() if isinstance(ts, pa.ChunkedArray) else ts
    keys = pc.binary_join_element_wise(source, target, "\x00")
    out = pa.nulls(n, pa.timestamp("us"))
    for key in pc.unique(keys).to_pylist():
        if key is None:
            continue
        src, tgt = key.split("\x00")
        converted = utc_to_local(local_to_utc(ts, src), tgt)
        out = pc.if_else(pc.fill_null(pc.equal(keys, key), False), converted, out)
    return out


register("convert_timezone", _convert_timezone, NTZ, [S, S, NTZ], 3, 3)
