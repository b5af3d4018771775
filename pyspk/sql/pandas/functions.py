"""``pandas_udf`` and its types (also exported by ``pyspk.sql.functions``)."""
from __future__ import annotations

from pyspk.sql.udf import ArrowUDFType, PandasUDFType, arrow_udf, pandas_udf

__all__ = ["pandas_udf", "PandasUDFType", "arrow_udf", "ArrowUDFType"]
