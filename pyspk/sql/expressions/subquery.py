"""Subquery expressions: scalar, IN and EXISTS. The optimizer rewrites them into joins (or, when
uncorrelated and scalar, into a literal computed first)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyspk.sql import types as T
from pyspk.sql.expressions.base import Expression, new_id


@dataclass(frozen=True)
class ScalarSubquery(Expression):
    plan: Any
    sub_id: int = field(default_factory=new_id)

    @property
    def data_type(self) -> T.DataType:
        return self.plan.output[0].data_type

    @property
    def nullable(self) -> bool:
        return True

    @property
    def resolved(self) -> bool:
        return self.plan.resolved

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"scalarsubquery()"


@dataclass(frozen=True)
class InSubquery(Expression):
    values: tuple[Expression, ...]
    plan: Any
    sub_id: int = field(default_factory=new_id)

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    @property
    def resolved(self) -> bool:
        return self.plan.resolved and all(v.resolved for v in self.values)

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"({', '.join(v.sql() for v in self.values)} IN (listquery()))"


@dataclass(frozen=True)
class Exists(Expression):
    plan: Any
    sub_id: int = field(default_factory=new_id)

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    @property
    def nullable(self) -> bool:
        return False

    @property
    def resolved(self) -> bool:
        return self.plan.resolved

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return "exists()"
