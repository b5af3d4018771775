"""User interfaces drawn by the driver: the console progress bar (:mod:`pyspk.ui.progress`)."""
from __future__ import annotations

from pyspk.ui.progress import ConsoleProgressBar

__all__ = ["ConsoleProgressBar"]
