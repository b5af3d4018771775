"""Spark's console progress bar: ``[Stage 3:=====>         (42 + 4) / 200]`` on stderr.

The drawing decisions live in :class:`ProgressState`, a pure object fed the active stages and the
time; :class:`ConsoleProgressBar` is the thin shell that polls ``sc.statusTracker()`` every 200 ms
from a daemon thread and writes what the state returns. As in Spark, a stage is shown only once
it has been running for 500 ms (quick jobs print nothing), at most three stages share the line,
the line is rewritten only when it changes (or each minute), and it is blanked when the stages
are done. The bar draws only when the stream is a terminal and ``spark.ui.showConsoleProgress``
is true. This module imports only the standard library and ``pyspk.conf``.
"""
from __future__ import annotations

import logging
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, TextIO

from pyspk.conf import entries

logger = logging.getLogger("pyspk.ui.ConsoleProgressBar")

UPDATE_PERIOD = 0.2
FIRST_DELAY = 0.5
REFRESH_EVERY = 60.0
MAX_STAGES = 3


@dataclass(frozen=True)
class StageProgress:
    """What the bar needs of one active stage (a subset of ``SparkStageInfo``)."""

    stageId: int
    numTasks: int
    numActiveTasks: int
    numCompletedTasks: int


def render_stage(stage: StageProgress, width: int) -> str:
    """One stage's segment of ``width`` columns; the bar shrinks away when there is no room."""
    header = f"[Stage {stage.stageId}:"
    tail = f"({stage.numCompletedTasks} + {stage.numActiveTasks}) / {stage.numTasks}]"
    room = width - len(header) - len(tail)
    if room <= 0:
        return header + tail
    done = room * stage.numCompletedTasks // stage.numTasks if stage.numTasks > 0 else 0
    bar = "=" * done + (">" if done < room else "") + " " * max(room - done - 1, 0)
    return header + bar + tail


def render(stages: Iterable[StageProgress], width: int) -> str:
    """The whole line: the stages side by side, sharing ``width`` equally."""
    shown = list(stages)
    if not shown:
        return ""
    each = width // len(shown)
    return "".join(render_stage(s, each) for s in shown)


class ProgressState:
    """When to draw what: fed the active stages and ``now``, returns the text to write or None."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.first_seen: dict[int, float] = {}
        self.last_line = ""
        self.last_write = 0.0
        self.last_finish = float("-inf")

    def update(self, now: float, active: Iterable[StageProgress]) -> str | None:
        """The characters to write to the terminal now, or None to leave it as it is."""
        stages = sorted(active, key=lambda s: s.stageId)
        live = {s.stageId for s in stages}
        for stage_id in [i for i in self.first_seen if i not in live]:
            del self.first_seen[stage_id]
        for stage in stages:
            self.first_seen.setdefault(stage.stageId, now)
        if not stages:
            return self.clear(now)
        if now - self.last_finish < FIRST_DELAY:
            return None
        ready = [s for s in stages if now - self.first_seen[s.stageId] >= FIRST_DELAY]
        if not ready:
            return None
        line = render(ready[:MAX_STAGES], self.width)
        if line == self.last_line and now - self.last_write < REFRESH_EVERY:
            return None
        self.last_line, self.last_write = line, now
        return "\r" + line + "\r"

    def clear(self, now: float) -> str | None:
        """Blank the line if a bar is on it (the job finished or the bar stops)."""
        if not self.last_line:
            return None
        self.last_line = ""
        self.last_finish = now
        return "\r" + " " * self.width + "\r"


def _stage_progress(info: Any) -> StageProgress:
    return StageProgress(stageId=info.stageId, numTasks=info.numTasks,
                         numActiveTasks=info.numActiveTasks,
                         numCompletedTasks=info.numCompletedTasks)


class ConsoleProgressBar:
    """Polls a SparkContext's status tracker and draws the stages' progress on a terminal.

    ``start()`` begins polling only when the bar is enabled (the stream is a terminal and
    ``spark.ui.showConsoleProgress`` is true) and says whether it did; ``stop()`` ends polling
    and blanks the line. Both may be called more than once. The context calls ``finish_all()``
    when a job ends, before handing its result back, so that what the program prints next does
    not land on a half-erased bar (Spark's ``finishAll``).
    """

    def __init__(self, sc: Any, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sc = sc
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.state = ProgressState(shutil.get_terminal_size((80, 24)).columns)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """True when the stream is a terminal and the application's conf asks for the bar."""
        isatty = getattr(self.stream, "isatty", None)
        if isatty is None or not isatty():
            return False
        return bool(self.sc.getConf().typed(entries.SHOW_PROGRESS))

    def start(self) -> bool:
        """Start polling in a daemon thread if the bar is enabled; return whether it started."""
        if self._thread is not None or not self.enabled:
            return self._thread is not None
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="console-progress-bar",
                                        daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        """Stop polling and blank the bar's line."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join()
        self.finish_all()

    def finish_all(self) -> None:
        """Blank the bar now (a job ended); stages are not redrawn for the next 500 ms."""
        with self._lock:
            self._write(self.state.clear(self.clock()))

    def refresh(self) -> None:
        """Poll the tracker once and draw the result."""
        tracker = self.sc.statusTracker()
        active = []
        for stage_id in tracker.getActiveStageIds():
            info = tracker.getStageInfo(stage_id)
            if info is not None:
                active.append(_stage_progress(info))
        with self._lock:
            self._write(self.state.update(self.clock(), active))

    def _run(self) -> None:
        while not self._stop.wait(UPDATE_PERIOD):
            try:
                self.refresh()
            except Exception:  # a context being stopped under us: end quietly
                logger.debug("progress bar polling ended", exc_info=True)
                return

    def _write(self, text: str | None) -> None:
        if text:
            self.stream.write(text)
            self.stream.flush()
