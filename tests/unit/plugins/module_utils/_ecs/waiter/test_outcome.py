# -*- coding: utf-8 -*-
"""The words of a wait, on hand-made tasks: failures, not found, views of a task, the ETA."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.outcome import (
    WaitOutcome, describe_failure, not_found_reason, predicted_eta, slowest, task_view,
)


def task(task_id="t-1", outcome=None, reason=None, seen=True, missed=0, predicted_end=None, index=0, **record):
    record.setdefault("task_action", "ExportImage")
    return SimpleNamespace(id=task_id, kind="task", outcome=outcome, reason=reason, seen=seen, missed=missed,
                           predicted_end=predicted_end, index=index, record=record, children=[], awaiting_products=False,
                           state=record.get("task_status"))


RUN = SimpleNamespace(noun=lambda item=None: "task")


def test_a_failure_names_the_action_and_the_error():
    failed = task(outcome="failed", reason="ended in state 'Failed'", error_code="InvalidOSSBucket.NotFound",
                  error_msg="The bucket does not exist")
    assert describe_failure(RUN, failed) == ("task t-1 (ExportImage) ended in state 'Failed': InvalidOSSBucket.NotFound: "
                                             "The bucket does not exist")
    assert describe_failure(RUN, task(outcome="failed", reason="ended in state 'Deleted'", task_action=None)) == (
        "task t-1 ended in state 'Deleted'")


def test_a_task_not_found_does_not_repeat_its_error():
    missing = task(outcome="not_found", reason="was never found in 2 polls (not_found_checks: 1)",
                   error_code="InvalidTaskId.NotFound", error_msg="The task was never found")
    assert describe_failure(RUN, missing) == "task t-1 (ExportImage) was never found in 2 polls (not_found_checks: 1)"


@pytest.mark.parametrize("seen, missed, region, text", [
    (False, 1, None, "was never found in 1 poll (not_found_checks: 0)"),
    (False, 21, "cn-hangzhou", "was never found in region cn-hangzhou in 21 polls (not_found_checks: 0)"),
    (True, 1, None, "disappeared: not found in the last poll after it had been seen (not_found_checks: 0)"),
    (True, 3, "cn-hangzhou", "disappeared: not found in region cn-hangzhou in the last 3 polls after it had been seen "
     "(not_found_checks: 0)"),
])
def test_not_found_reason(seen, missed, region, text):
    assert not_found_reason(task(seen=seen, missed=missed), 0, region) == text


def test_task_view_and_slowest():
    first = task("t-1", progress=40, task_status="Processing", predicted_end=160.0, index=0)
    second = task("t-2", progress=10, task_status="Processing", index=1)
    done = task("t-3", outcome="succeeded", progress=5, task_status="Finished", predicted_end=120.0, index=2)
    assert task_view(first, 100.0) == {"task_id": "t-1", "action": "ExportImage", "state": "Processing",
                                       "progress": 40, "outcome": "pending", "eta": 60.0}
    assert task_view(done, 100.0)["eta"] is None and task_view(done, 100.0)["outcome"] == "succeeded"
    assert task_view(task(seen=False), 0)["state"] is None and task_view(task(missed=2), 0)["state"] == "NotFound"
    assert slowest([first, second, done], 100.0)["task_id"] == "t-2"
    assert slowest([task(progress=None)], 0) is None


def test_predicted_eta_needs_every_known_task_predicted():
    first = task("t-1", progress=40, predicted_end=160.0)
    second = task("t-2", progress=10, predicted_end=400.0)
    assert predicted_eta([first, second], "all", 100.0) == 300.0
    assert predicted_eta([first, second], "any", 100.0) == 60.0
    assert predicted_eta([first, task("t-2", progress=10)], "all", 100.0) is None
    assert predicted_eta([first, task("t-2", progress=None)], "all", 100.0) == 60.0
    assert predicted_eta([task(progress=None)], "all", 0) is None


def test_wait_outcome_lists_and_result():
    records = [{"task_id": "t-1", "wait_outcome": "succeeded", "elapsed": 12.34},
               {"task_id": "t-2", "wait_outcome": "not_found", "elapsed": 20.0},
               {"task_id": "t-3", "wait_outcome": "pending", "elapsed": 20.06}]
    outcome = WaitOutcome("timed_out", records, 20.06, "msg", ["w"], None, 3, {"summaries": 3, "attributes": 0})
    assert (outcome.succeeded, outcome.failed, outcome.pending, outcome.timed_out) == (["t-1"], ["t-2"], ["t-3"], True)
    result = outcome.to_result()
    assert [record["elapsed"] for record in result["tasks"]] == [12.3, 20.0, 20.1]
    assert (result["elapsed"], result["wait_status"], result["msg"], result["warnings"]) == (20.1, "timed_out", "msg", ["w"])
    assert records[0]["elapsed"] == 12.34
