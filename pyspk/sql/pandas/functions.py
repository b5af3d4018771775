"""``pandas_udf`` and its types (also exported by ``pyspk.sql.functions``)."""
from __future__ import annotations

from pyspk.sql.udf import PandasUDFType, pandas_udf

__all__ = ["pandas_udf", "PandasUDFType"]
