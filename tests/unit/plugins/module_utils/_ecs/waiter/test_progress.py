# -*- coding: utf-8 -*-
"""Progress lines: their format, and which engine snapshots become a line (on change, or at the cadence)."""
from __future__ import annotations

import re

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.progress import (
    ProgressReporter, format_closing, format_progress,
)


def snapshot(elapsed, succeeded=0, failed=0, pending=2, by_state=None, slowest=None, total=None,
             pending_states=None, eta=None, task=None, next_poll_in=None):
    return {
        "elapsed": elapsed, "total": total if total is not None else succeeded + failed + pending,
        "succeeded": succeeded, "failed": failed, "pending": pending,
        "by_state": by_state if by_state is not None else ({"Processing": pending} if pending else {}),
        "pending_states": pending_states, "slowest": slowest, "eta": eta, "task": task,
        "rounds": 1, "calls": {}, "next_poll_in": next_poll_in,
    }


# ------------------------------------------------------------------ format_progress

def test_line_says_succeeded_failed_and_the_states_of_the_pending_tasks_only():
    line = format_progress(snapshot(70.9, succeeded=1, failed=1, pending=2,
                                    by_state={"Processing": 1, "Waiting": 1, "Finished": 1, "Failed": 1},
                                    pending_states={"Processing": 1, "Waiting": 1},
                                    slowest={"task_id": "t-7", "state": "Processing", "progress": 40}, eta=200))
    assert line == ("ecs_task_wait: 1/4 succeeded, 1 failed, 2 pending (1 Processing, 1 Waiting), slowest t-7 40%, "
                    "ETA 3m20s [1m10s elapsed]")
    assert "Finished" not in line and "finished" not in line


def test_line_when_everything_is_decided_has_no_states_or_slowest():
    line = format_progress(snapshot(3725.2, succeeded=2, failed=1, pending=0, by_state={"Finished": 2, "Failed": 1},
                                    slowest=None))
    assert line == "ecs_task_wait: 2/3 succeeded, 1 failed [1h2m5s elapsed]"


def test_one_pending_state_is_named_without_a_count():
    line = format_progress(snapshot(5, succeeded=9, pending=291, pending_states={"Processing": 291}))
    assert line == "ecs_task_wait: 9/300 succeeded, 291 pending (Processing) [5s elapsed]"


def test_no_slowest_task_without_known_progress():
    line = format_progress(snapshot(5, slowest={"task_id": "t-1", "state": "Waiting", "progress": None}))
    assert "slowest" not in line


def test_single_task_line_names_the_task_its_state_progress_and_eta():
    task = {"task_id": "t-bp1hvgwromzv32iq0001", "action": "ExportImage", "state": "Processing", "progress": 45,
            "outcome": "pending", "eta": 200.4}
    line = format_progress(snapshot(70, pending=1, task=task), prefix="[builder1] ecs_task_wait")
    assert line == ("[builder1] ecs_task_wait: t-bp1hvgwromzv32iq0001 (ExportImage) Processing 45%, ETA 3m20s "
                    "[1m10s elapsed]")
    done = dict(task, outcome="succeeded", state="Processing", progress=66)
    # A success_condition met at 66% is "succeeded", never "finished".
    assert "t-bp1hvgwromzv32iq0001 (ExportImage) succeeded [" in format_progress(snapshot(80, succeeded=1, pending=0,
                                                                                          task=done))


def test_common_lines_stay_within_120_characters():
    slowest = {"task_id": "t-bp1hvgwromzv32iq0123", "state": "Processing", "progress": 12}
    line = format_progress(snapshot(3725, succeeded=120, failed=3, pending=177,
                                    pending_states={"Processing": 150, "Waiting": 20, "Paused": 5, "NotFound": 2},
                                    slowest=slowest, eta=7322), prefix="[builder-eu-central-01] ecs_task_wait")
    assert len(line) <= 120, line
    assert line.startswith("[builder-eu-central-01] ecs_task_wait: 120/300 succeeded, 3 failed, 177 pending")
    assert line.endswith("ETA 2h2m2s [1h2m5s elapsed]")


@pytest.mark.parametrize("elapsed, shown", [(0, "[0s elapsed]"), (0.99, "[0s elapsed]"), (9.5, "[9s elapsed]"),
                                            (70, "[1m10s elapsed]"), (3600, "[1h0m0s elapsed]")])
def test_elapsed_in_whole_seconds_in_brackets_at_the_end(elapsed, shown):
    assert format_progress(snapshot(elapsed)).endswith(" " + shown)


def test_prefix_names_the_host():
    line = format_progress(snapshot(1), prefix="[web1] ecs_task_wait")
    assert re.match(r"^\[web1\] ecs_task_wait: 0/2 succeeded, 2 pending", line)


def test_missing_fields_give_zeros_not_errors():
    assert format_progress({}) == "ecs_task_wait: 0/0 succeeded [0s elapsed]"


def search_snapshot(filters, searches=3, elapsed=12):
    return {"elapsed": elapsed, "search": {"filters": filters, "searches": searches}}


def test_a_search_line_names_the_filters_and_how_many_searches_found_nothing():
    line = format_progress(search_snapshot("task_action=ExportImage, resource_ids=[m-1]", 1))
    assert line == "ecs_task_wait: searching for task_action=ExportImage, resource_ids=[m-1]: none yet after 1 search [12s elapsed]"


def test_filters_too_long_for_a_line_are_left_out():
    many = "resource_ids=[%s]" % ", ".join("m-bp1g6zv0ce8oghu7%04d" % n for n in range(6))
    assert format_progress(search_snapshot(many)) == "ecs_task_wait: searching: none yet after 3 searches [12s elapsed]"


# ------------------------------------------------------------------ closing lines

def result(status, succeeded=(), failed=(), pending=(), elapsed=70, **extra):
    tasks = ([{"task_id": i, "wait_outcome": "succeeded"} for i in succeeded]
             + [{"task_id": i, "wait_outcome": "failed", "error_code": "InvalidImage.Format"} for i in failed]
             + [{"task_id": i, "wait_outcome": "pending"} for i in pending])
    return dict({"wait_status": status, "tasks": tasks, "succeeded": list(succeeded), "failed_task_ids": list(failed),
                 "pending": list(pending), "elapsed": elapsed, "timed_out": status == "timed_out"}, **extra)


def test_a_task_failed_without_an_error_code_shows_its_state_as_a_state():
    ended = result("failed", ["t-1"])
    ended["tasks"].append({"task_id": "t-2", "wait_outcome": "failed", "task_status": "Finished", "error_code": None})
    ended["failed_task_ids"] = ["t-2"]
    lines = Lines()
    ProgressReporter(lines).close(ended)
    # Before: "(first: t-2 Finished)", where an error code goes.
    assert lines == ["ecs_task_wait: failed: 1/2 succeeded, 1 failed (first: t-2 in state 'Finished') [1m10s elapsed]"]


def test_a_task_whose_product_failed_shows_the_products_state():
    ended = result("failed")
    ended["tasks"].append({"task_id": "t-2", "wait_outcome": "failed", "task_status": "Finished", "error_code": None,
                           "products": [{"kind": "image", "id": "m-1", "status": "CreateFailed", "ready": False}]})
    ended["failed_task_ids"] = ["t-2"]
    # Before: "(first: t-2 in state 'Finished')", the task's state, which is not what failed.
    assert format_closing(ended) == "ecs_task_wait: failed: 0/1 succeeded, 1 failed (first: t-2 image in state " \
                                    "'CreateFailed') [1m10s elapsed]"


def test_warnings_are_lines_once_and_leave_the_result_when_shown():
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    reporter.warn(["target_states lists 'Done'"])
    reporter({"elapsed": 1, "total": 1, "pending": 1, "warnings": ["target_states lists 'Done'", "late"]})
    ended = result("succeeded", ["t-1"], warnings=["target_states lists 'Done'", "late", "not shown"])
    reporter.close(ended)
    assert [line for line in lines if "warning" in line] == [
        "ecs_task_wait: warning: target_states lists 'Done'", "ecs_task_wait: warning: late"]
    # Ansible prints a result's warnings: those already shown as lines would show twice.
    assert ended["warnings"] == ["not shown"]


def test_without_lines_warnings_stay_in_the_result():
    reporter = ProgressReporter(None)
    reporter.warn(["target_states lists 'Done'"])
    ended = result("succeeded", ["t-1"], warnings=["target_states lists 'Done'"])
    reporter.close(ended)
    assert ended["warnings"] == ["target_states lists 'Done'"] and reporter.lines == 0


@pytest.mark.parametrize("ended, line", [
    (result("succeeded", ["t-1", "t-2"]), "ecs_task_wait: done: 2/2 succeeded [1m10s elapsed]"),
    (result("failed", ["t-1"], ["t-2"], ["t-3"]),
     "ecs_task_wait: failed: 1/3 succeeded, 1 failed, 1 pending (first: t-2 InvalidImage.Format) [1m10s elapsed]"),
    (result("timed_out", ["t-1"], [], ["t-2"], elapsed=1800),
     "ecs_task_wait: timed out: 1/2 succeeded, 1 pending [30m0s elapsed]"),
    (result("error", [], [], ["t-1"], error_code="SignatureDoesNotMatch"),
     "ecs_task_wait: stopped on an error, SignatureDoesNotMatch: 0/1 succeeded, 1 pending [1m10s elapsed]"),
    (result("predicted_timeout", [], [], ["t-1"], error_code="PredictedTimeout"),
     "ecs_task_wait: stopped: predicted to end after the timeout, 0/1 succeeded, 1 pending [1m10s elapsed]"),
    # A wait by filters whose search found nothing (before: "done: 0/0 succeeded").
    (result("failed", search={"polls": 21, "found": []}), "ecs_task_wait: failed: no task matched in 21 searches [1m10s elapsed]"),
    (result("timed_out", search={"polls": 1, "found": []}),
     "ecs_task_wait: timed out searching: none found in 1 search [1m10s elapsed]"),
    (result("error", search={"polls": 2, "found": []}, error_code="InvalidRegionId.NotFound"),
     "ecs_task_wait: stopped on an error while searching, InvalidRegionId.NotFound: none found in 2 searches [1m10s elapsed]"),
    # Once tasks are found, the ending is worded as for ids.
    (result("succeeded", ["t-1"], search={"polls": 3, "found": ["t-1"]}), "ecs_task_wait: done: 1/1 succeeded [1m10s elapsed]"),
])
def test_a_closing_line_for_every_outcome(ended, line):
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    reporter.close(ended)
    reporter.close(ended)  # once only
    assert lines == [line]


def test_closing_line_from_a_result_without_wait_status():
    # A remote wait's result from an older module: the outcome is read from the other keys.
    ended = result("timed_out", [], [], ["t-1"])
    del ended["wait_status"]
    assert format_closing(ended).startswith("ecs_task_wait: timed out: ")


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
    assert len(lines) == 2 and "2/2 succeeded" in lines[-1]


def test_lines_use_the_reporters_prefix():
    lines = Lines()
    ProgressReporter(lines, interval=1, prefix="[db] ecs_task_wait")(snapshot(0))
    assert lines[0].startswith("[db] ecs_task_wait: ")


def test_a_report_is_shown_early_when_the_next_one_would_come_too_late():
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10)
    reporter(snapshot(0, next_poll_in=9))
    reporter(snapshot(9, next_poll_in=10))   # the next report at 19 would leave 19 s without a line
    assert len(lines) == 2
    reporter(snapshot(12, next_poll_in=3))   # the next one at 15 is soon enough
    assert len(lines) == 2


def test_warnings_in_a_snapshot_are_shown_at_once_each_once():
    lines = Lines()
    reporter = ProgressReporter(lines, interval=10, prefix="[b1] ecs_task_wait")
    reporter(dict(snapshot(0), warnings=["task t-1 is predicted to end in 2h10m, after the timeout of 1h"]))
    reporter(dict(snapshot(1), warnings=[]))
    assert lines[0] == "[b1] ecs_task_wait: warning: task t-1 is predicted to end in 2h10m, after the timeout of 1h"
    assert len(lines) == 2


# ------------------------------------------------------------------ one line, whatever the API sends (issue 18)

# Every line break str.splitlines() honours, and ESC (the terminal's cursor moves).
BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x1b[1A"]


@pytest.mark.parametrize("brk", BREAKS, ids=[repr(brk) for brk in BREAKS])
def test_an_error_code_with_a_line_break_cannot_forge_a_line(brk):
    forged = "Forged%s[h] ecs_task_wait: done: 99/99 succeeded" % brk
    result = {"wait_status": "failed", "elapsed": 3, "failed_task_ids": ["t-1"], "succeeded": [], "pending": [],
              "tasks": [{"task_id": "t-1", "wait_outcome": "failed", "task_status": "Failed", "error_code": forged}]}
    lines = Lines()
    reporter = ProgressReporter(lines, prefix="[h] ecs_task_wait")
    reporter(dict(snapshot(1), warnings=["task t-1 is in state '%s', which is neither..." % forged]))
    reporter.close(result)
    assert len(lines) == 3, lines
    for line in lines:
        assert len(line.splitlines()) == 1 and "\x1b" not in line and line.startswith("[h] ecs_task_wait: "), repr(line)
    assert "(first: t-1 Forged " in lines[-1] and "[h] ecs_task_wait: done: 99/99 succeeded) [3s elapsed]" in lines[-1], lines


@pytest.mark.parametrize("noun", ["image", "disk"])
def test_the_closing_line_of_a_wait_on_images_or_disks_counts_them(noun):
    records = [{"%s_id" % noun: "x-1", "wait_outcome": "succeeded"},
               {"%s_id" % noun: "x-2", "wait_outcome": "failed", "status": "CreateFailed"}]
    result = {noun + "s": records, "succeeded": ["x-1"], "failed_%s_ids" % noun: ["x-2"], "pending": [],
              "wait_status": "failed", "elapsed": 12}
    assert format_closing(result, "ecs_%s_wait" % noun) == (
        "ecs_%s_wait: failed: 1/2 succeeded, 1 failed (first: x-2 in state 'CreateFailed') [12s elapsed]" % noun)
