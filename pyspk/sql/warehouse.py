"""Persistent tables: directories of Parquet files under ``spark.sql.warehouse.dir`` (one
sub-directory per database other than ``default``), found again by a new session."""
from __future__ import annotations

import os
from typing import Any

from pyspk.sql.plan.logical import LogicalPlan


def warehouse_dir(state: Any) -> str:
    return os.path.abspath(getattr(state, "warehouse", None) or "spark-warehouse")


def table_path(state: Any, parts: tuple[str, ...]) -> str:
    db = parts[-2].lower() if len(parts) >= 2 else state.current_database
    base = warehouse_dir(state)
    if db != "default":
        base = os.path.join(base, f"{db}.db")
    return os.path.join(base, parts[-1].lower())


def lookup_table(state: Any, parts: tuple[str, ...]) -> LogicalPlan | None:
    """A scan of a warehouse table, or None when there is no such table."""
    path = table_path(state, parts)
    if not os.path.isdir(path):
        return None
    from pyspk.sql.io.scan import file_scan_plan
    return file_scan_plan("parquet", [path], None, {})
