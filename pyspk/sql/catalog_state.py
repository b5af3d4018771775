"""The session catalog's state: temporary views (per session), global temporary views (per
application, database ``global_temp``), the current database and the warehouse directory whose
metastore holds the persistent databases and tables."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from pyspk.sql.plan.logical import LogicalPlan

GLOBAL_TEMP_DB = "global_temp"
_GLOBAL_VIEWS: dict[int, dict[str, LogicalPlan]] = {}


@dataclass
class CatalogState:
    """Views by lower-cased name; ``shared`` gives one global-view map per SparkContext."""

    temp_views: dict[str, LogicalPlan] = field(default_factory=dict)
    global_views: dict[str, LogicalPlan] = field(default_factory=dict)
    current_database: str = "default"
    warehouse: str = "spark-warehouse"
    cached_tables: dict[tuple[str, str], LogicalPlan] = field(default_factory=dict)
    resolve_view: Any = None
    lock: threading.RLock = field(default_factory=threading.RLock)

    @staticmethod
    def shared(session: Any) -> "CatalogState":
        from pyspk.sql.io.paths import local_path
        views = _GLOBAL_VIEWS.setdefault(id(session.sparkContext), {})
        warehouse = str(session.conf.get("spark.sql.warehouse.dir", "spark-warehouse"))
        return CatalogState(global_views=views, warehouse=local_path(warehouse))

    def lookup(self, parts: tuple[str, ...]) -> LogicalPlan | None:
        """The plan a (possibly qualified) table or view name refers to."""
        from pyspk.sql.warehouse import strip_catalog
        parts = strip_catalog(tuple(parts))
        with self.lock:
            name = parts[-1].lower()
            if len(parts) >= 2 and parts[-2].lower() == GLOBAL_TEMP_DB:
                return self.global_views.get(name)
            if len(parts) == 1 and name in self.temp_views:
                return self.temp_views[name]
            from pyspk.sql.warehouse import lookup_table, qualify
            cached = self.cached_tables.get(qualify(self, parts))
            return cached if cached is not None else lookup_table(self, parts)
