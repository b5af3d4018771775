"""Optimizer rules: small pure functions from logical plan to logical plan, applied in order."""
from __future__ import annotations

from typing import Callable

from pyspk.sql.plan.logical import LogicalPlan
from pyspk.sql.optimizer.boolean_simplification import simplify_booleans
from pyspk.sql.optimizer.constant_folding import fold_constants
from pyspk.sql.optimizer.decorrelate import rewrite_subqueries
from pyspk.sql.optimizer.pushdown import push_down_filters
from pyspk.sql.optimizer.pruning import prune_columns
from pyspk.sql.optimizer.limits import push_down_limits

Rule = Callable[[LogicalPlan], LogicalPlan]

RULES: list[Rule] = [rewrite_subqueries, fold_constants, simplify_booleans, push_down_filters, prune_columns,
                     push_down_limits]


def optimize(plan: LogicalPlan) -> LogicalPlan:
    """Apply every rule once, in order."""
    for rule in RULES:
        plan = rule(plan)
    return plan
