"""``BoundedFloat``: an approximate result with its confidence interval."""
from __future__ import annotations


class BoundedFloat(float):
    """A float carrying ``confidence``, ``low`` and ``high``."""

    confidence: float
    low: float
    high: float

    def __new__(cls, mean: float, confidence: float, low: float, high: float) -> "BoundedFloat":
        obj = float.__new__(cls, mean)
        obj.confidence = confidence
        obj.low = low
        obj.high = high
        return obj
