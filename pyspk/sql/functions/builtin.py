"""Every built-in function in one namespace (as PySpark's ``pyspark.sql.functions.builtin``)."""
from __future__ import annotations

from pyspk.sql.functions.core import *  # noqa: F401,F403
from pyspk.sql.functions.core import __all__ as _core_all
from pyspk.sql.functions.more import *  # noqa: F401,F403
from pyspk.sql.functions.more import __all__ as _more_all
from pyspk.sql.functions.calls import *  # noqa: F401,F403
from pyspk.sql.functions.calls import __all__ as _calls_all
from pyspk.sql.functions.sketches import *  # noqa: F401,F403
from pyspk.sql.functions.sketches import __all__ as _sketch_all
from pyspk.sql.functions.variants import *  # noqa: F401,F403
from pyspk.sql.functions.variants import __all__ as _variant_all
from pyspk.sql.functions.datetime_fns import *  # noqa: F401,F403
from pyspk.sql.functions.datetime_fns import __all__ as _datetime_all
from pyspk.sql.functions.crypto import *  # noqa: F401,F403
from pyspk.sql.functions.crypto import __all__ as _crypto_all
from pyspk.sql.functions.windowing import *  # noqa: F401,F403
from pyspk.sql.functions.windowing import __all__ as _windowing_all
from pyspk.sql.functions.extra import *  # noqa: F401,F403
from pyspk.sql.functions.extra import __all__ as _extra_all
from pyspk.sql.udf import udf, pandas_udf, PandasUDFType, arrow_udf, ArrowUDFType  # noqa: F401
from pyspk.sql.column import Column  # noqa: F401
from pyspk.sql.types import *  # noqa: F401,F403

__all__ = sorted(set(
    _core_all + _more_all + _calls_all + _sketch_all + _variant_all + _datetime_all + _crypto_all
    + _windowing_all + _extra_all
    + ["udf", "pandas_udf", "PandasUDFType", "arrow_udf", "ArrowUDFType"]))
