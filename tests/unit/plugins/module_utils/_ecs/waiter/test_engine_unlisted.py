# -*- coding: utf-8 -*-
"""Tasks DescribeTasks does not list (queued: Waiting, Paused, Pending) in a wait on several tasks.

The pages say DescribeTasks "only retrieves tasks in the Finished, Processing and Failed states";
DescribeTaskAttribute answers for the others. A wait must not call such a task not found.
"""
from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource
from tests.unit.fakes import FakeClock
from tests.unit.plugins.module_utils._ecs.waiter.test_engine import FakeSource, FakeTask, LowRng, finishing

QUEUED = ("Waiting", "Paused", "Pending")


class ListingSource(FakeSource):
    """DescribeTasks (summaries) leaves out queued tasks, as the service does; attributes answer for them."""

    def summaries(self, ids, deadline):
        batch = FakeSource.summaries(self, ids, deadline)
        hidden = [task_id for task_id, raw in batch.found.items() if raw["TaskStatus"] in QUEUED]
        for task_id in hidden:
            del batch.found[task_id]
            batch.missing.append(task_id)
        return batch

    def attribute_reads(self, task_id):
        return sum(1 for kind, ids, _now, _deadline in self.log if kind == "attributes" and task_id in ids)


def wait(tasks, options, ids=None, progress=None):
    clock = FakeClock()
    source = ListingSource(clock, tasks)
    config = WaitConfig.from_options(options)
    waiter = Waiter(config, TaskSource(source, config), clock=clock, sleep=clock.sleep, rng=LowRng(),
                    on_progress=None if progress is None else progress.append, region="cn-hangzhou")
    return waiter.wait(ids or [task.task_id for task in tasks]), source


def queued_then_done(task_id, state="Waiting", runs_at=300, ends_at=400):
    return FakeTask(task_id, [(0, state, 0), (runs_at, "Processing", 10), (ends_at, "Finished", 100)])


def test_a_waiting_task_is_not_called_not_found():
    progress = []
    outcome, source = wait([queued_then_done("t-1"), finishing("t-2", 100)], {"poll_interval": 10, "not_found_checks": 2},
                           progress=progress)
    # Before: "task t-1 was never found in region cn-hangzhou in 3 polls" after 20 s.
    assert outcome.status == "succeeded", outcome.message
    assert outcome.records[0]["elapsed"] == 400 and outcome.records[0]["task_status"] == "Finished"
    # While unlisted it is polled with DescribeTaskAttribute and shown in its true state, not NotFound.
    assert progress[0]["pending_states"] == {"Waiting": 1, "Processing": 1}
    assert all("NotFound" not in snapshot["by_state"] for snapshot in progress)
    assert source.attribute_reads("t-1") >= 30


def test_a_task_paused_after_it_ran_has_not_disappeared():
    paused = FakeTask("t-1", [(0, "Processing", 10), (20, "Paused", 30), (200, "Processing", 30), (300, "Finished", 100)])
    options = {"poll_interval": 10, "not_found_checks": 1, "mode": "any"}
    outcome, _source = wait([paused, finishing("t-2", 1000)], options)
    assert outcome.status == "succeeded" and outcome.succeeded == ["t-1"], outcome.message


def test_pending_from_older_metadata_is_in_progress():
    outcome, _source = wait([queued_then_done("t-1", state="Pending"), finishing("t-2", 10)],
                            {"poll_interval": 10, "pending_states": ["Processing"], "not_found_checks": 0})
    assert outcome.status == "succeeded" and outcome.warnings == []


def test_a_task_truly_not_found_costs_two_attribute_reads():
    # Asked at its first miss and before the miss that declares it not found, not at every poll.
    outcome, source = wait([finishing("t-1", 1000)], {"poll_interval": 10, "not_found_checks": 5}, ids=["t-1", "t-x"])
    assert outcome.failed == ["t-x"]
    assert "t-x was never found in region cn-hangzhou in 6 polls (not_found_checks: 5)" in outcome.message
    assert source.attribute_reads("t-x") == 2
