# -*- coding: utf-8 -*-
"""Progress lines: their format, and which engine snapshots become a line (on change, or at the cadence)."""
from __future__ import annotations

import re

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils.progress import ProgressReporter, format_progress


def snapshot(elapsed, succeeded=0, failed=0, pending=2, by_state=None, slowest=None, total=None):
    return {
        "elapsed": elapsed, "total": total if total is not None else succeeded + failed + pending,
        "succeeded": succeeded, "failed": failed, "pending": pending,
        "by_state": by_state if by_state is not None else ({"Processing": pending} if pending else {}),
        "slowest": slowest, "rounds": 1, "calls": {}, "next_poll_in": 5,
    }


# ------------------------------------------------------------------ format_progress

def test_line_with_states_and_slowest_task():
    line = format_progress(snapshot(70.9, succeeded=1, pending=2, by_state={"Processing": 1, "Waiting": 1, "Finished": 1},
                                    slowest={"task_id": "t-7", "state": "Processing", "progress": 40}))
    assert line == ("ecs_task_wait: 1/3 finished, 0 failed, 2 pending, states: Finished=1 Processing=1 Waiting=1, "
                    "slowest t-7 Processing 40% [1m10s elapsed]")


def test_line_when_everything_is_decided_has_no_states_or_slowest():
    line = format_progress(snapshot(3725.2, succeeded=2, failed=1, pending=0, by_state={"Finished": 2, "Failed": 1},
                                    slowest={"task_id": "t-1", "state": "Finished", "progress": 100}))
    assert line == "ecs_task_wait: 2/3 finished, 1 failed, 0 pending [1h2m5s elapsed]"


@pytest.mark.parametrize("slowest, detail", [
    ({"task_id": "t-1", "state": "Waiting", "progress": None}, "slowest t-1 Waiting ["),
    ({"task_id": "t-1", "state": None, "progress": None}, "slowest t-1 ? ["),
    ({"task_id": "t-1", "state": "Processing", "progress": 0}, "slowest t-1 Processing 0% ["),
    (None, "states: Processing=2 ["),
])
def test_slowest_task_detail(slowest, detail):
    assert detail in format_progress(snapshot(5, slowest=slowest))


@pytest.mark.parametrize("elapsed, shown", [(0, "[0s elapsed]"), (0.99, "[0s elapsed]"), (9.5, "[9s elapsed]"),
                                            (70, "[1m10s elapsed]"), (3600, "[1h0m0s elapsed]")])
def test_elapsed_in_whole_seconds_in_brackets_at_the_end(elapsed, shown):
    assert format_progress(snapshot(elapsed)).endswith(" " + shown)


def test_prefix_names_the_host():
    line = format_progress(snapshot(1), prefix="[web1] ecs_task_wait")
    assert re.match(r"^\[web1\] ecs_task_wait: 0/2 finished, 0 failed, 2 pending", line)


def test_missing_fields_give_zeros_not_errors():
    assert format_progress({}) == "ecs_task_wait: 0/0 finished, 0 failed, 0 pending [0s elapsed]"


# ------------------------------------------------------------------ ProgressReporter

class Lines(list):
    def __call__(self, line):
        self.append(line)


def test_first_snapshot_is_always_shown():
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    reporter(snapshot(0))
    assert len(lines) == 1 and reporter.lines == 1


def test_same_picture_is_repeated_only_at_the_cadence():
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    for elapsed in (0, 3, 6, 9.9):
        reporter(snapshot(elapsed))
    assert len(lines) == 1
    reporter(snapshot(10))
    assert len(lines) == 2 and lines[-1].endswith("[10s elapsed]")
    reporter(snapshot(15))
    reporter(snapshot(19.9))
    assert len(lines) == 2
    reporter(snapshot(20))
    assert len(lines) == 3


def test_progress_percentages_alone_are_not_a_change():
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    reporter(snapshot(0, slowest={"task_id": "t-1", "state": "Processing", "progress": 10}))
    reporter(snapshot(2, slowest={"task_id": "t-1", "state": "Processing", "progress": 30}))
    reporter(snapshot(4, slowest={"task_id": "t-2", "state": "Processing", "progress": 31}))
    assert len(lines) == 1


@pytest.mark.parametrize("changed", [
    snapshot(2, succeeded=1, pending=1),
    snapshot(2, failed=1, pending=1),
    snapshot(2, by_state={"Processing": 1, "Waiting": 1}),
])
def test_a_change_of_picture_is_shown_at_once(changed):
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    reporter(snapshot(0))
    reporter(changed)
    assert len(lines) == 2 and lines[-1] == format_progress(changed)


def test_the_cadence_counts_from_the_last_line_shown():
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    reporter(snapshot(0))
    reporter(snapshot(8, succeeded=1, pending=1))   # a change: shown, and the cadence restarts
    reporter(snapshot(12, succeeded=1, pending=1))  # 4 s after the last line: quiet
    assert len(lines) == 2
    reporter(snapshot(18, succeeded=1, pending=1))
    assert len(lines) == 3


@pytest.mark.parametrize("interval", [0, None])
def test_interval_0_shows_changes_only(interval):
    lines = Lines()
    reporter = ProgressReporter(lines, interval=interval)
    for elapsed in range(0, 100, 7):
        reporter(snapshot(elapsed))
    assert len(lines) == 1
    reporter(snapshot(200, succeeded=2, pending=0))
    assert len(lines) == 2 and "2/2 finished" in lines[-1]


def test_lines_use_the_reporters_prefix():
    lines = Lines()
    ProgressReporter(lines, interval=1, prefix="[db] ecs_task_wait")(snapshot(0))
    assert lines[0].startswith("[db] ecs_task_wait: ")
