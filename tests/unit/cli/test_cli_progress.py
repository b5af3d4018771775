"""The console progress bar's drawing rules, fed stages and times (no threads, no terminal)."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest

from pyspk.conf import SparkConf
from pyspk.ui.progress import ConsoleProgressBar, ProgressState, StageProgress, render


def stage(sid: int, total: int, active: int, done: int) -> StageProgress:
    return StageProgress(stageId=sid, numTasks=total, numActiveTasks=active,
                         numCompletedTasks=done)


@pytest.mark.parametrize("s,width,expected", [
    (stage(3, 200, 4, 42), 40, "[Stage 3:===>            (42 + 4) / 200]"),
    (stage(0, 10, 2, 0), 30, "[Stage 0:>       (0 + 2) / 10]"),
    (stage(1, 4, 0, 4), 24, "[Stage 1:===(4 + 0) / 4]"),
    (stage(1, 4, 0, 4), 10, "[Stage 1:(4 + 0) / 4]"),
])
def test_render_one_stage(s: StageProgress, width: int, expected: str) -> None:
    assert render([s], width) == expected
    assert len(expected) == max(width, len(expected))


def test_render_shares_width_between_stages() -> None:
    line = render([stage(1, 10, 1, 5), stage(2, 10, 1, 0)], 60)
    assert line.count("[Stage") == 2 and len(line) == 60


def test_stage_shown_only_after_half_a_second_and_cleared_when_done() -> None:
    st = ProgressState(40)
    assert st.update(0.0, [stage(0, 4, 2, 0)]) is None
    assert st.update(0.4, [stage(0, 4, 2, 0)]) is None
    drawn = st.update(0.6, [stage(0, 4, 2, 1)])
    assert drawn is not None and drawn.startswith("\r[Stage 0:") and drawn.endswith("(1 + 2) / 4]\r")
    assert st.update(0.8, [stage(0, 4, 2, 1)]) is None  # unchanged: nothing written
    assert st.update(1.0, []) == "\r" + " " * 40 + "\r"
    assert st.update(1.2, []) is None


def test_quick_stages_never_drawn() -> None:
    st = ProgressState(40)
    assert st.update(0.0, [stage(0, 1, 1, 0)]) is None
    assert st.update(0.2, []) is None


def test_no_redraw_right_after_a_finish() -> None:
    st = ProgressState(40)
    st.update(0.0, [stage(0, 4, 1, 0)])
    st.update(0.6, [stage(0, 4, 1, 0)])
    st.update(0.8, [])
    st.update(0.9, [stage(1, 4, 1, 0)])
    assert st.update(1.2, [stage(1, 4, 1, 0)]) is None
    assert st.update(1.5, [stage(1, 4, 1, 1)]) is not None


def test_at_most_three_stages() -> None:
    st = ProgressState(120)
    stages = [stage(i, 2, 1, 0) for i in range(5)]
    st.update(0.0, stages)
    line = st.update(1.0, stages) or ""
    assert line.count("[Stage") == 3 and "[Stage 3:" not in line


@dataclass
class FakeInfo:
    stageId: int
    currentAttemptId: int
    name: str
    numTasks: int
    numActiveTasks: int
    numCompletedTasks: int
    numFailedTasks: int


@dataclass
class FakeTracker:
    stages: dict[int, FakeInfo] = field(default_factory=dict)

    def getActiveStageIds(self) -> list[int]:
        return list(self.stages)

    def getStageInfo(self, stage_id: int) -> FakeInfo | None:
        return self.stages.get(stage_id)


class FakeContext:
    def __init__(self, show: str) -> None:
        self.tracker = FakeTracker()
        self.conf = SparkConf(loadDefaults=False).set("spark.ui.showConsoleProgress", show)

    def statusTracker(self) -> FakeTracker:
        return self.tracker

    def getConf(self) -> SparkConf:
        return self.conf


class TtyBuffer(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_polls_the_tracker_and_writes_to_its_stream() -> None:
    sc, out, now = FakeContext("true"), TtyBuffer(), [0.0]
    bar = ConsoleProgressBar(sc, stream=out, clock=lambda: now[0])
    bar.state.width = 40
    sc.tracker.stages[7] = FakeInfo(7, 0, "collect", 8, 2, 3, 0)
    bar.refresh()
    now[0] = 0.7
    bar.refresh()
    assert out.getvalue() == "\r[Stage 7:=======>           (3 + 2) / 8]\r"
    sc.tracker.stages.clear()
    bar.refresh()
    assert out.getvalue().endswith("\r" + " " * 40 + "\r")


@pytest.mark.parametrize("show,stream,enabled", [
    ("true", TtyBuffer(), True),
    ("false", TtyBuffer(), False),
    ("true", io.StringIO(), False),
])
def test_enabled_needs_terminal_and_conf(show: str, stream: io.StringIO, enabled: bool) -> None:
    bar = ConsoleProgressBar(FakeContext(show), stream=stream)
    assert bar.enabled is enabled
    assert bar.start() is enabled
    bar.stop()


def test_finish_all_blanks_the_line_at_once_and_holds_off_redraws() -> None:
    sc, out, now = FakeContext("true"), TtyBuffer(), [0.0]
    bar = ConsoleProgressBar(sc, stream=out, clock=lambda: now[0])
    bar.state.width = 30
    sc.tracker.stages[0] = FakeInfo(0, 0, "count", 4, 2, 2, 0)
    bar.refresh()
    now[0] = 0.6
    bar.refresh()
    bar.finish_all()
    assert out.getvalue().endswith("\r" + " " * 30 + "\r")
    drawn = out.getvalue()
    now[0] = 0.8
    bar.refresh()  # the tracker still lists the stage for a moment: no redraw
    assert out.getvalue() == drawn
