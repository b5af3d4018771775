"""``pyspk.sql.functions``: the built-in column functions of Spark SQL."""
from __future__ import annotations

from pyspk.sql.functions.builtin import *  # noqa: F401,F403
from pyspk.sql.functions.builtin import __all__  # noqa: F401
