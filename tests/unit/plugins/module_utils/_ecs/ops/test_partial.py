# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a target's wait keeps at each report, and the result when its worker stops answering (issue 18)."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.partial import (
    STALL_GRACE, PartialKeeper, learned, partial_result, stall_allowance, stalled_result,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import CANCEL_TIME
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from tests.unit.fakes import FakeClock, FakeEcs


@pytest.mark.parametrize("timeout, cancel, allowed", [
    (15, False, 15 + STALL_GRACE),
    (1800, False, 1800 + STALL_GRACE),
    (15, True, 15 + CANCEL_TIME + 1.5 + STALL_GRACE),
])
def test_the_controller_allows_the_timeout_plus_a_grace(timeout, cancel, allowed):
    assert stall_allowance(timeout, cancel) == pytest.approx(allowed)


def _snapshots(statuses):
    """The progress snapshots of a real engine run over FakeEcs (two tasks), as the worker's reporter gets them."""
    seen = []
    fake = FakeEcs(status=statuses)
    clock = FakeClock(1000.0)
    config = WaitConfig.from_options({"timeout": 10, "poll_interval": 5, "display_interval": 5})
    Waiter(config, TaskSource(TaskService(fake), config), clock=clock, sleep=clock.sleep, on_progress=seen.append,
           region="cn-hangzhou").wait(["t-1", "t-2"])
    return seen


def test_the_engine_snapshots_carry_the_records_and_the_keeper_keeps_them_with_every_warning():
    snapshots = _snapshots("Processing")
    assert all(len(snapshot["records"]) == 2 for snapshot in snapshots)
    kept = []
    keeper = PartialKeeper(kept.append)
    snapshots[1]["warnings"] = ["first"]
    snapshots[-1]["warnings"] = ["second"]
    for snapshot in snapshots:
        keeper(snapshot, 7)
    last = kept[-1]
    assert last["pending"] == ["t-1", "t-2"] and last["succeeded"] == [] and last["failed_task_ids"] == []
    assert [record["task_status"] for record in last["tasks"]] == ["Processing", "Processing"]
    assert last["api_calls"] == 7 and last["warnings"] == ["first", "second"] and last["searching"] is False


def test_a_stalled_result_is_a_timeout_with_every_record_learned():
    partial = {"tasks": [{"task_id": "t-1", "task_status": "Processing", "progress": 40, "wait_outcome": "pending"},
                         {"task_id": "t-2", "task_status": "Finished", "progress": 100, "wait_outcome": "succeeded"}],
               "succeeded": ["t-2"], "failed_task_ids": [], "pending": ["t-1"], "elapsed": 12.0, "api_calls": 9,
               "warnings": ["w"], "searching": False}
    result = stalled_result(partial, "builder1", "4242", 41.0, 15)
    assert result["timed_out"] is True and result["wait_status"] == "timed_out" and result["failed"] is True
    assert result["pending"] == ["t-1"] and result["succeeded"] == ["t-2"] and result["api_calls"] == 9
    assert sorted(result["tasks_by_id"]) == ["t-1", "t-2"] and "searching" not in result
    assert result["msg"] == ("the worker of the wait on builder1 (pid 4242) stopped answering: it had not ended 26s "
                             "after the timeout of 15s; timed out with what it had learned after 12s: 1 of 2 tasks "
                             "pending: t-1 last state 'Processing' 40%")


def test_a_stalled_result_without_anything_learned_says_so():
    result = stalled_result(None, "builder1", None, 40.0, 15)
    assert result["tasks"] == [] and result["tasks_by_id"] == {} and result["timed_out"] is True
    assert result["msg"].endswith("after 0s: no task record yet") and "(pid unknown)" in result["msg"]
    searching = stalled_result({"tasks": [], "searching": True, "elapsed": 3}, "b", 1, 40.0, 15)
    assert searching["msg"].endswith("no task record yet (it was searching for its tasks)")
    assert learned(None) == {}


def test_the_docs_state_the_controllers_deadline():
    import os
    path = os.path.join(os.path.dirname(__file__), *[os.pardir] * 6, "docs", "where-it-runs.md")
    with open(path, encoding="utf-8") as handle:
        text = " ".join(handle.read().split())
    assert "the wait's `timeout` plus %d seconds" % STALL_GRACE in text
    cancels = stall_allowance(0, True) - STALL_GRACE
    assert "plus %s seconds with `cancel_on_timeout`" % ("%g" % cancels) in text


@pytest.mark.parametrize("noun, records, key", [
    ("image", [{"task_id": "t-1", "wait_outcome": "pending"}], "tasks"),
    ("task", [{"image_id": "m-1", "wait_outcome": "succeeded"}], "images"),
    ("task", [{"task_id": "t-1", "wait_outcome": "succeeded"}], "tasks"),
])
def test_a_partial_names_its_records_by_what_they_are(noun, records, key):
    # A start module's wait holds a task's records, or an image's when its task is not listed.
    partial = partial_result({"records": records, "elapsed": 1.0}, 3, [], noun)
    assert partial[key] == records and len(partial["pending"]) + len(partial["succeeded"]) == 1
