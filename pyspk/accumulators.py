"""Accumulators: values tasks add to and only the driver reads.

A task works on a fresh zero copy of each accumulator it uses; its updates travel back with its
result and are merged into the driver's value only when the task succeeds.
"""
from __future__ import annotations

import abc
import copy
import threading
from typing import Any, Callable, Generic, TypeVar

from pyspk.errors import PySparkRuntimeError

T = TypeVar("T")

_driver_registry: dict[int, "Accumulator"] = {}
_registry_lock = threading.Lock()
_task_local = threading.local()


class AccumulatorParam(abc.ABC, Generic[T]):
    """How to build a zero value and add two values of an accumulator's type."""

    @abc.abstractmethod
    def zero(self, value: T) -> T:
        """The identity of ``addInPlace`` for values like ``value``."""

    @abc.abstractmethod
    def addInPlace(self, value1: T, value2: T) -> T:
        """``value1 + value2``, possibly updating ``value1`` in place."""


class AddingAccumulatorParam(AccumulatorParam[T]):
    """Accumulates with ``+`` from a given zero."""

    def __init__(self, zero_value: T) -> None:
        self.zero_value = zero_value

    def zero(self, value: T) -> T:
        return self.zero_value

    def addInPlace(self, value1: T, value2: T) -> T:
        value1 += value2  # type: ignore[operator]
        return value1


INT_ACCUMULATOR_PARAM = AddingAccumulatorParam(0)
FLOAT_ACCUMULATOR_PARAM = AddingAccumulatorParam(0.0)
COMPLEX_ACCUMULATOR_PARAM = AddingAccumulatorParam(0.0j)


class Accumulator(Generic[T]):
    """A shared variable tasks may only add to (``+=`` or ``add``).

    >>> a = Accumulator(9999, 1, INT_ACCUMULATOR_PARAM)
    >>> a += 5
    >>> a.value
    6
    """

    def __init__(self, aid: int, value: T, accum_param: AccumulatorParam[T]) -> None:
        self.aid = aid
        self.accum_param = accum_param
        self._value = value
        self._deserialized = False
        with _registry_lock:
            _driver_registry[aid] = self

    def __reduce__(self) -> tuple[Callable, tuple]:
        return _task_accumulator, (self.aid, self.accum_param.zero(self._value), self.accum_param)

    @property
    def value(self) -> T:
        if self._deserialized:
            raise PySparkRuntimeError("Accumulator.value cannot be accessed inside tasks",
                                      errorClass="VALUE_NOT_ACCESSIBLE",
                                      messageParameters={"value": "Accumulator.value"})
        return self._value

    @value.setter
    def value(self, value: T) -> None:
        if self._deserialized:
            raise PySparkRuntimeError("Accumulator.value cannot be accessed inside tasks",
                                      errorClass="VALUE_NOT_ACCESSIBLE",
                                      messageParameters={"value": "Accumulator.value"})
        self._value = value

    def add(self, term: T) -> None:
        self._value = self.accum_param.addInPlace(self._value, term)

    def __iadd__(self, term: T) -> "Accumulator[T]":
        self.add(term)
        return self

    def __str__(self) -> str:
        return str(self._value)

    def __repr__(self) -> str:
        return f"Accumulator<id={self.aid}, value={self._value}>"


def _task_accumulator(aid: int, zero_value: Any, accum_param: AccumulatorParam) -> Accumulator:
    """Unpickling in a task: a zero copy registered for this task's update list."""
    registry = task_registry()
    acc = registry.get(aid)
    if acc is None:
        acc = Accumulator.__new__(Accumulator)
        acc.aid, acc.accum_param, acc._deserialized = aid, accum_param, True
        acc._zero = zero_value
        acc._value = copy.deepcopy(zero_value)
        registry[aid] = acc
    return acc


def reset_for_task(accs: list[Accumulator]) -> None:
    """Start a task with fresh zero copies of the accumulators its (cached) closure holds."""
    registry = task_registry()
    registry.clear()
    for acc in accs:
        acc._value = copy.deepcopy(acc._zero)
        registry[acc.aid] = acc


def task_registry() -> dict[int, Accumulator]:
    """The accumulators the current task has touched, by id."""
    reg = getattr(_task_local, "registry", None)
    if reg is None:
        reg = _task_local.registry = {}
    return reg


def drain_task_updates() -> dict[int, Any]:
    """The current task's accumulator values, clearing the task's registry."""
    reg = task_registry()
    updates = {aid: acc._value for aid, acc in reg.items()}
    reg.clear()
    return updates


def merge_updates(updates: dict[int, Any]) -> None:
    """Add a successful task's updates into the driver's accumulators."""
    with _registry_lock:
        for aid, value in updates.items():
            acc = _driver_registry.get(aid)
            if acc is not None:
                acc._value = acc.accum_param.addInPlace(acc._value, value)
