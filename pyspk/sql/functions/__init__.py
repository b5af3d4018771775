"""``pyspk.sql.functions``: the built-in column functions of Spark SQL."""
from __future__ import annotations

from pyspk.sql.functions.builtin import *  # noqa: F401,F403
from pyspk.sql.functions.builtin import __all__ as _builtin_all
from pyspk.sql.functions.more import *  # noqa: F401,F403
from pyspk.sql.functions.more import __all__ as _more_all
from pyspk.sql.udf import udf, pandas_udf, PandasUDFType  # noqa: F401

__all__ = _builtin_all + _more_all + ["udf", "pandas_udf", "PandasUDFType"]
