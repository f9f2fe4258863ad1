# -*- coding: utf-8 -*-
"""The waiting engine against a scripted task source on a fake clock: no real sleeping."""
from __future__ import annotations

import collections
import re

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.progress import ProgressReporter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource
from tests.unit import fakes

Batch = collections.namedtuple("Batch", ["found", "missing", "errors"])
FakeClock = fakes.FakeClock
START = FakeClock.START


class LowRng(object):
    """Always the low end of the jitter: deterministic schedules."""

    def uniform(self, low, high):
        return low


class FakeTask(object):
    """A task whose state follows a timeline of (seconds after START, state, progress)."""

    def __init__(self, task_id, timeline, action="ExportImage", visible=(0, None), error=None,
                 related=None, created="2024-05-01T00:00:00Z"):
        self.task_id = task_id
        self.timeline = timeline
        self.action = action
        self.visible = visible          # (from, until) seconds after START; until None = forever
        self.error = error              # (code, message) shown once the task failed
        self.related = related or {}
        self.created = created

    def at(self, now):
        elapsed = now - START
        start, until = self.visible
        if elapsed < start or (until is not None and elapsed >= until):
            return None
        entry = self.timeline[0]
        for item in self.timeline:
            if item[0] <= elapsed:
                entry = item
        return entry[1], entry[2]

    def summary(self, now):
        state = self.at(now)[0]
        return {"TaskId": self.task_id, "TaskAction": self.action, "TaskStatus": state, "SupportCancel": "true",
                "CreationTime": self.created, "FinishedTime": "", "ResourceId": "m-1", "RegionId": "cn-hangzhou"}

    def attribute(self, now):
        state, progress = self.at(now)
        operation = {"OperationStatus": "Failed" if state == "Failed" else "Success",
                     "RelatedItemSet": {"RelatedItem": [{"Name": k, "Value": v} for k, v in self.related.items()]}}
        if state == "Failed" and self.error:
            operation["ErrorCode"], operation["ErrorMsg"] = self.error
        raw = self.summary(now)
        del raw["ResourceId"]
        raw.update({"TaskProcess": "%d%%" % progress, "TotalCount": 1, "SuccessCount": 0, "FailedCount": 0,
                    "OperationProgressSet": {"OperationProgress": [operation]}})
        return raw


class FakeSource(object):
    """A task service (summaries/attributes) over FakeTasks; scripted errors; a log of every call."""

    region = "cn-hangzhou"

    def __init__(self, clock, tasks, cost=0.0):
        self.clock = clock
        self.tasks = dict((task.task_id, task) for task in tasks)
        self.cost = cost                # virtual seconds each call takes
        self.log = []
        self.raise_next = {"summaries": [], "attributes": []}
        self.id_errors = {}

    def _batch(self, kind, ids, deadline):
        self.log.append((kind, list(ids), self.clock(), deadline))
        self.clock.now += self.cost
        if self.raise_next[kind]:
            raise self.raise_next[kind].pop(0)
        found, missing, errors = collections.OrderedDict(), [], {}
        for task_id in ids:
            task = self.tasks.get(task_id)
            if task_id in self.id_errors:
                errors[task_id] = self.id_errors.pop(task_id)
            elif task is None or task.at(self.clock()) is None:
                missing.append(task_id)
            else:
                found[task_id] = (task.summary if kind == "summaries" else task.attribute)(self.clock())
        return Batch(found, missing, errors)

    def summaries(self, ids, deadline):
        return self._batch("summaries", ids, deadline)

    def attributes(self, ids, deadline):
        return self._batch("attributes", ids, deadline)

    def kinds(self):
        return [entry[0] for entry in self.log]


def finishing(task_id, at, **kwargs):
    return FakeTask(task_id, [(0, "Processing", 10), (at, "Finished", 100)], **kwargs)


def failing(task_id, at, error=("InvalidOSSBucket.NotFound", "The bucket does not exist"), **kwargs):
    return FakeTask(task_id, [(0, "Processing", 10), (at, "Failed", 40)], error=error, **kwargs)


def run(tasks, options=None, ids=None, cost=0.0, progress=None, source_setup=None):
    clock = FakeClock()
    source = FakeSource(clock, tasks, cost=cost)
    if source_setup:
        source_setup(source)
    config = WaitConfig.from_options(options or {})
    waiter = Waiter(config, TaskSource(source, config), clock=clock, sleep=clock.sleep, rng=LowRng(),
                    on_progress=progress.append if progress is not None else None, region="cn-hangzhou")
    outcome = waiter.wait(ids or [task.task_id for task in tasks])
    return outcome, source, clock


def throttled():
    return ApiError("Throttling.User", "Request was denied due to flow control.", http_status=400,
                    action="DescribeTasks", attempts=4)


# ---------------------------------------------------------------- success

def test_all_succeed_with_one_summaries_call_per_round():
    tasks = [finishing("t-1", 20), finishing("t-2", 45), finishing("t-3", 45)]
    outcome, source, clock = run(tasks, {"poll_interval": 10})
    assert outcome.status == "succeeded" and not outcome.timed_out
    assert outcome.succeeded == ["t-1", "t-2", "t-3"] and outcome.failed == [] and outcome.pending == []
    # rounds at 0, 10, 20 (t-1 decided), 30, 40, 50 (t-2, t-3 decided)
    assert outcome.rounds == 6 and outcome.elapsed == 50
    assert [rec["elapsed"] for rec in outcome.records] == [20, 50, 50]
    assert all(rec["wait_outcome"] == "succeeded" for rec in outcome.records)
    # Decided tasks get one batched attributes call in the round they were decided.
    assert source.log[3][:2] == ("attributes", ["t-1"])
    assert source.log[-1][:2] == ("attributes", ["t-2", "t-3"])
    assert outcome.calls == {"summaries": 6, "attributes": 3}
    assert "3 tasks succeeded after 50s" == outcome.message


def test_records_carry_the_task_details_in_input_order():
    tasks = [finishing("t-b", 5, related={"OSSBucket": "bkt", "OSSObject": "img.qcow2"}), finishing("t-a", 5)]
    outcome, _ignored, _ignored = run(tasks, {"poll_interval": 10}, ids=["t-b", "t-a", "t-b"])
    assert [rec["task_id"] for rec in outcome.records] == ["t-b", "t-a"]
    record = outcome.records[0]
    assert record["task_status"] == "Finished" and record["progress"] == 100
    assert record["related_items"] == {"OSSBucket": "bkt", "OSSObject": "img.qcow2"}
    assert record["task_action"] == "ExportImage" and record["region"] == "cn-hangzhou"
    assert record["resource_id"] == "m-1"  # the summary's field survives the later attribute call


def test_to_result_shape_and_rounding():
    outcome, _ignored, clock = run([finishing("t-1", 0)], {"delay": 0.33})
    result = outcome.to_result()
    assert set(result) == {"tasks", "succeeded", "failed", "pending", "elapsed", "timed_out", "wait_status", "msg", "warnings"}
    assert result["elapsed"] == 0.3 and result["tasks"][0]["elapsed"] == 0.3
    assert result["succeeded"] == ["t-1"] and result["timed_out"] is False


@pytest.mark.parametrize("details, read", [("all", ["t-1", "t-2"]), ("failed", ["t-2"]), ("none", [])])
def test_details_choose_which_decided_tasks_get_attributes(details, read):
    tasks = [finishing("t-1", 20, related={"OSSBucket": "bkt"}), failing("t-2", 20), finishing("t-3", 1000),
             finishing("t-4", 1000)]
    outcome, source, _ignored = run(tasks, {"poll_interval": 10, "fail_on_failure": False, "timeout": 40,
                                            "progress_interval": 0, "details": details})
    assert outcome.succeeded == ["t-1"] and outcome.failed == ["t-2"] and outcome.pending == ["t-3", "t-4"]
    assert [entry[1] for entry in source.log if entry[0] == "attributes"] == ([read] if read else [])
    assert outcome.calls["attributes"] == len(read)
    done, broken = outcome.records[0], outcome.records[1]
    assert done["related_items"] == ({"OSSBucket": "bkt"} if "t-1" in read else {})
    assert broken["error_code"] == ("InvalidOSSBucket.NotFound" if "t-2" in read else None)
    # Without their attributes, records carry what DescribeTasks said.
    assert done["task_status"] == "Finished" and broken["task_status"] == "Failed" and done["resource_id"] == "m-1"
    assert "bucket does not exist" in outcome.message if read else "InvalidOSSBucket" not in outcome.message


@pytest.mark.parametrize("details", ["failed", "none"])
def test_details_keep_the_single_task_polled_with_attributes(details):
    outcome, source, _ignored = run([failing("t-1", 25)], {"poll_interval": 10, "details": details})
    # details none: not even the one DescribeTasks for the resource id.
    summaries = 0 if details == "none" else 1
    assert source.kinds() == ["attributes"] * 4 + ["summaries"] * summaries
    assert outcome.calls == {"summaries": summaries, "attributes": 4}
    assert outcome.records[0]["error_code"] == "InvalidOSSBucket.NotFound"


def test_single_task_is_polled_with_attributes_then_read_once_for_its_resource_id():
    outcome, source, _ignored = run([failing("t-1", 25)], {"poll_interval": 10})
    # DescribeTaskAttribute has no ResourceId: one DescribeTasks once the task is decided.
    assert source.kinds() == ["attributes"] * 4 + ["summaries"]
    assert outcome.calls == {"summaries": 1, "attributes": 4}
    assert outcome.records[0]["error_code"] == "InvalidOSSBucket.NotFound"
    assert outcome.records[0]["resource_id"] == "m-1"
    assert outcome.records[0]["task_status"] == "Failed"


def test_switches_to_attributes_when_one_task_is_left():
    tasks = [finishing("t-1", 5), finishing("t-2", 30)]
    outcome, source, _ignored = run(tasks, {"poll_interval": 10})
    assert outcome.status == "succeeded"
    # 0: both; 10: t-1 decided (+ its attributes); 20, 30: t-2 alone, one attributes call each.
    assert source.kinds() == ["summaries", "summaries", "attributes", "attributes", "attributes"]
    assert source.log[-1][1] == ["t-2"]


def test_delay_comes_before_the_first_poll():
    outcome, source, clock = run([finishing("t-1", 0)], {"delay": 15, "poll_interval": 10})
    assert clock.sleeps[0] == 15 and source.log[0][2] == START + 15
    assert outcome.records[0]["elapsed"] == 15


def test_the_deadline_is_passed_to_every_call():
    tasks = [finishing("t-1", 30), finishing("t-2", 30)]
    _ignored, source, _ignored = run(tasks, {"timeout": 100, "poll_interval": 10})
    assert {entry[3].at for entry in source.log} == {START + 100}


# ---------------------------------------------------------------- failure

def test_fail_fast_names_the_task_and_its_own_error():
    tasks = [finishing("t-1", 100), failing("t-abc", 20), finishing("t-3", 100)]
    outcome, source, clock = run(tasks, {"poll_interval": 10})
    assert outcome.status == "failed" and clock.now == START + 20
    assert outcome.failed == ["t-abc"] and outcome.pending == ["t-1", "t-3"]
    assert ("task t-abc (ExportImage) ended in state 'Failed': InvalidOSSBucket.NotFound: The bucket does not exist"
            in outcome.message)
    assert "stopped waiting for 2 other tasks" in outcome.message
    record = outcome.records[1]
    assert record["wait_outcome"] == "failed" and record["error_msg"] == "The bucket does not exist"
    assert [rec["wait_outcome"] for rec in outcome.records] == ["pending", "failed", "pending"]


def test_fail_on_failure_false_waits_for_everyone():
    tasks = [finishing("t-1", 50), failing("t-2", 20)]
    outcome, _ignored, clock = run(tasks, {"poll_interval": 10, "fail_on_failure": False})
    assert outcome.status == "failed" and clock.now == START + 50
    assert outcome.succeeded == ["t-1"] and outcome.failed == ["t-2"] and outcome.pending == []
    assert outcome.message.startswith("1 of 2 failed: task t-2 (ExportImage) ended in state 'Failed'")


def test_deleted_is_a_failure_state_and_failure_states_can_be_changed():
    tasks = [FakeTask("t-1", [(0, "Deleted", 0)]), finishing("t-2", 0)]
    outcome, _ignored, _ignored = run(tasks)
    assert outcome.status == "failed" and "ended in state 'Deleted'" in outcome.message
    outcome, _ignored, _ignored = run(tasks, {"failure_states": [], "target_states": ["Finished", "Deleted"]})
    assert outcome.status == "succeeded"


# ---------------------------------------------------------------- timeout

def test_timeout_message_lists_last_states_and_progress():
    tasks = [finishing("t-1", 5000), FakeTask("t-2", [(0, "Waiting", 0)]), finishing("t-3", 10),
             finishing("t-4", 10), finishing("t-5", 10)]
    progress = []
    outcome, source, clock = run(tasks, {"timeout": "20m", "progress_interval": "5m"}, progress=progress)
    assert outcome.status == "timed_out" and outcome.timed_out
    assert clock.now == START + 1200 and source.log[-1][2] == START + 1200  # last poll exactly at the deadline
    assert outcome.pending == ["t-1", "t-2"] and outcome.succeeded == ["t-3", "t-4", "t-5"]
    assert outcome.message == ("timeout while waiting for 2 of 5 tasks to become 'Finished' (timeout: 20m0s, "
                               "elapsed: 20m0s): t-1 last state 'Processing' 10%, t-2 last state 'Waiting'")
    pending = outcome.records[0]
    assert pending["wait_outcome"] == "pending" and pending["elapsed"] == 1200 and pending["progress"] == 10


def test_never_sleeps_past_the_deadline():
    outcome, _ignored, clock = run([finishing("t-1", 10 ** 6), finishing("t-2", 10 ** 6)], {"timeout": 97, "poll_interval": 10})
    assert clock.sleeps == [10] * 9 + [7] and clock.now == START + 97 and outcome.rounds == 11


def test_slow_calls_eat_into_the_timeout():
    outcome, _ignored, clock = run([finishing("t-1", 10 ** 6), finishing("t-2", 10 ** 6)],
                                   {"timeout": 30, "poll_interval": 10}, cost=12)
    # polls at 0 (ends 12), 22 (ends 34 > deadline): no sleep left.
    assert outcome.status == "timed_out" and clock.sleeps == [10] and outcome.rounds == 2


# ---------------------------------------------------------------- mode any

def test_any_succeeds_at_the_first_success():
    tasks = [finishing("t-1", 100), finishing("t-2", 30), failing("t-3", 10)]
    outcome, _ignored, clock = run(tasks, {"mode": "any", "poll_interval": 10})
    assert outcome.status == "succeeded" and clock.now == START + 30
    assert outcome.succeeded == ["t-2"] and outcome.failed == ["t-3"] and outcome.pending == ["t-1"]
    assert outcome.message.startswith("task t-2 reached state 'Finished' after 30s (mode any, 1 of 3 left pending)")


def test_any_fails_when_all_fail():
    tasks = [failing("t-1", 10), failing("t-2", 20, error=("ImageTooLarge", "too big"))]
    outcome, _ignored, _ignored = run(tasks, {"mode": "any", "poll_interval": 10})
    assert outcome.status == "failed" and outcome.failed == ["t-1", "t-2"]
    assert "2 of 2 failed" in outcome.message and "ImageTooLarge: too big" in outcome.message


# ---------------------------------------------------------------- states

def test_strict_pending_states_fail_on_an_unexpected_state():
    tasks = [FakeTask("t-1", [(0, "Processing", 5), (10, "Cancelling", 5)]), finishing("t-2", 100)]
    outcome, _ignored, _ignored = run(tasks, {"pending_states": ["Processing"], "poll_interval": 10})
    assert outcome.status == "failed" and outcome.failed == ["t-1"]
    assert "unexpected state 'Cancelling'" in outcome.message


def test_known_in_progress_states_stay_pending_even_when_strict():
    tasks = [FakeTask("t-1", [(0, "Waiting", 0), (10, "Paused", 0), (20, "Finished", 100)])]
    outcome, _ignored, _ignored = run(tasks, {"pending_states": ["Processing"], "poll_interval": 10})
    assert outcome.status == "succeeded"


def test_lenient_unknown_state_warns_once_and_keeps_waiting():
    tasks = [FakeTask("t-1", [(0, "Cancelling", 0), (30, "Finished", 100)]),
             FakeTask("t-2", [(0, "Cancelling", 0), (30, "Finished", 100)])]
    outcome, _ignored, _ignored = run(tasks, {"poll_interval": 10})
    assert outcome.status == "succeeded"
    assert len(outcome.warnings) == 1 and "'Cancelling'" in outcome.warnings[0]


def test_an_unknown_target_state_fails_a_finished_task_at_once():
    tasks = [finishing("t-1", 20), finishing("t-2", 1000)]
    outcome, _ignored, clock = run(tasks, {"target_states": ["Done"], "poll_interval": 10, "timeout": "1h"})
    assert outcome.status == "failed" and not outcome.timed_out and clock.now == START + 20
    assert outcome.failed == ["t-1"] and outcome.pending == ["t-2"]
    assert ("task t-1 (ExportImage) ended in state 'Finished', which is neither in target_states ['Done'] "
            "nor in failure_states ['Failed', 'Deleted']") in outcome.message
    assert outcome.records[0]["wait_outcome"] == "failed"
    assert any("target_states lists 'Done'" in warning for warning in outcome.warnings)


def test_unlisted_end_state_fails_even_when_lenient():
    # failure_states without Deleted: a cancelled task can never finish, so waiting on is pointless.
    tasks = [FakeTask("t-1", [(0, "Processing", 10), (10, "Deleted", 10)])]
    outcome, _ignored, clock = run(tasks, {"failure_states": ["Failed"], "poll_interval": 10, "timeout": "1h"})
    assert outcome.status == "failed" and clock.now == START + 10
    assert outcome.message == ("task t-1 (ExportImage) ended in state 'Deleted', which is neither in target_states "
                               "['Finished'] nor in failure_states ['Failed']")


def test_unlisted_end_state_with_a_success_condition_says_it_is_false():
    tasks = [FakeTask("t-1", [(0, "Processing", 10), (10, "Finished", 100)])]
    options = {"target_states": [], "success_condition": "TaskStatus == 'Paused'", "poll_interval": 10}
    outcome, _ignored, _ignored = run(tasks, options)
    assert outcome.status == "failed"
    assert outcome.message.endswith("neither in target_states [] nor in failure_states ['Failed', 'Deleted'], "
                                    "and success_condition is false")


def test_end_state_listed_as_pending_keeps_waiting():
    tasks = [FakeTask("t-1", [(0, "Finished", 100)])]
    options = {"target_states": ["Done"], "pending_states": ["Finished"], "timeout": 30, "poll_interval": 10}
    outcome, _ignored, _ignored = run(tasks, options)
    assert outcome.status == "timed_out"


def test_continuous_target_occurrence_resets_when_the_task_flaps():
    flapping = FakeTask("t-1", [(0, "Processing", 0), (10, "Finished", 100), (20, "Processing", 90),
                                (30, "Finished", 100)])
    outcome, _ignored, clock = run([flapping], {"continuous_target_occurrence": 2, "poll_interval": 10})
    # seen Finished at 10, flaps at 20, Finished at 30 and 40: decided at 40.
    assert outcome.status == "succeeded" and clock.now == START + 40


# ---------------------------------------------------------------- not found

def test_not_found_then_visible():
    late = finishing("t-1", 40, visible=(25, None))
    outcome, _ignored, _ignored = run([late, finishing("t-2", 0)], {"poll_interval": 10, "not_found_checks": 3})
    assert outcome.status == "succeeded" and outcome.records[0]["elapsed"] == 40


def test_never_found_fails_after_the_checks():
    outcome, _ignored, clock = run([finishing("t-1", 0), finishing("t-2", 0)], {"poll_interval": 10, "not_found_checks": 2},
                                   ids=["t-1", "t-x"])
    assert outcome.status == "failed" and clock.now == START + 20  # 3rd miss > 2
    record = outcome.records[1]
    assert record["wait_outcome"] == "not_found" and record["error_code"] == "InvalidTaskId.NotFound"
    assert record["error_msg"] == "The task was never found in region cn-hangzhou in 3 polls (not_found_checks: 2)"
    assert outcome.message == "1 of 2 failed: task t-x was never found in region cn-hangzhou in 3 polls (not_found_checks: 2)"
    assert outcome.failed == ["t-x"]


def test_zero_not_found_checks_fail_at_the_first_miss():
    outcome, _ignored, clock = run([finishing("t-1", 0)], {"not_found_checks": 0}, ids=["t-x"])
    assert outcome.status == "failed" and clock.now == START and outcome.rounds == 1
    assert outcome.message == "task t-x was never found in region cn-hangzhou in 1 poll (not_found_checks: 0)"


def test_a_task_that_disappears_counts_too():
    gone = FakeTask("t-1", [(0, "Processing", 10)], visible=(0, 15))
    outcome, _ignored, _ignored = run([gone, finishing("t-2", 1000)], {"poll_interval": 10, "not_found_checks": 1})
    assert outcome.failed == ["t-1"]
    assert outcome.records[0]["error_msg"] == ("The task disappeared: not found in region cn-hangzhou in the last 2 polls after it had been seen "
                                               "(not_found_checks: 1)")


def test_a_task_that_disappears_with_zero_checks():
    gone = FakeTask("t-1", [(0, "Processing", 10)], visible=(0, 15))
    outcome, _ignored, _ignored = run([gone, finishing("t-2", 1000)], {"poll_interval": 10, "not_found_checks": 0})
    assert "disappeared: not found in region cn-hangzhou in the last poll after it had been seen (not_found_checks: 0)" in outcome.message


def test_timeout_message_for_a_task_not_found_yet():
    outcome, _ignored, _ignored = run([finishing("t-1", 0)], {"timeout": 25, "poll_interval": 10}, ids=["t-x"])
    assert outcome.status == "timed_out" and outcome.message.endswith("): t-x never found in region cn-hangzhou in 4 polls")


def test_timeout_message_for_a_task_that_disappeared():
    gone = FakeTask("t-1", [(0, "Processing", 10)], visible=(0, 15))
    outcome, _ignored, _ignored = run([gone, finishing("t-2", 1000)], {"timeout": 35, "poll_interval": 10})
    assert outcome.status == "timed_out"
    assert ": t-1 not found in the last 3 polls (last seen in state 'Processing'), t-2 last state 'Processing'" in outcome.message


def test_timeout_message_for_a_task_no_poll_answered():
    def setup(source):
        source.raise_next["attributes"] = [throttled() for _ignored in range(10)]
    outcome, _ignored, _ignored = run([finishing("t-1", 0)], {"timeout": 25, "poll_interval": 10}, source_setup=setup)
    assert outcome.status == "timed_out"
    assert "t-1 never answered for (every poll of it failed)" in outcome.message
    assert "never found" not in outcome.message and "0 polls" not in outcome.message


# ---------------------------------------------------------------- API errors

def test_transient_error_then_success():
    def setup(source):
        source.raise_next["summaries"] = [throttled(), throttled()]
    outcome, source, _ignored = run([finishing("t-1", 5), finishing("t-2", 5)], {"poll_interval": 10}, source_setup=setup)
    assert outcome.status == "succeeded" and outcome.rounds == 3
    assert len(outcome.warnings) == 1 and "2 polling request(s) failed" in outcome.warnings[0]
    assert "Throttling.User" in outcome.warnings[0]


def test_per_task_transient_errors_are_warnings():
    def setup(source):
        source.id_errors["t-1"] = throttled()
    outcome, _ignored, _ignored = run([finishing("t-1", 0)], {"poll_interval": 10}, source_setup=setup)
    assert outcome.status == "succeeded" and outcome.rounds == 2 and "1 polling request(s)" in outcome.warnings[0]


def test_permanent_error_ends_the_wait_at_once():
    denied = ApiError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", http_status=404)

    def setup(source):
        source.raise_next["summaries"] = [throttled(), denied]
    outcome, source, clock = run([finishing("t-1", 100), finishing("t-2", 100)], {"poll_interval": 10},
                                 source_setup=setup)
    assert outcome.status == "error" and outcome.error is denied and not outcome.timed_out
    assert len(source.log) == 2 and clock.now == START + 10
    assert "InvalidAccessKeyId.NotFound" in outcome.message and outcome.pending == ["t-1", "t-2"]


def test_timeout_after_only_errors_mentions_the_last_error():
    def setup(source):
        source.raise_next["summaries"] = [throttled() for _ignored in range(10)]
    outcome, _ignored, _ignored = run([finishing("t-1", 0), finishing("t-2", 0)], {"timeout": 30, "poll_interval": 10},
                                      source_setup=setup)
    assert outcome.status == "timed_out" and "last API error: DescribeTasks failed: Throttling.User" in outcome.message


# ---------------------------------------------------------------- conditions

def test_summary_only_condition_needs_no_attribute_polling():
    tasks = [FakeTask("t-%d" % i, [(0, "Processing", 0), (20, "Paused", 50)]) for i in (1, 2)]
    outcome, source, _ignored = run(tasks, {"failure_condition": "TaskStatus == 'Paused'", "poll_interval": 10})
    assert outcome.status == "failed" and "matched failure_condition in state 'Paused'" in outcome.message
    assert source.kinds() == ["summaries", "summaries", "summaries", "attributes"]


def test_attribute_condition_polls_attributes_each_round():
    tasks = [FakeTask("t-%d" % i, [(0, "Processing", 10), (20, "Processing", 60), (90, "Finished", 100)]) for i in (1, 2)]
    options = {"target_states": [], "success_condition": "TaskProcess == '60%'", "poll_interval": 10}
    outcome, source, clock = run(tasks, options)
    assert outcome.status == "succeeded" and clock.now == START + 20
    assert source.kinds() == ["summaries", "attributes"] * 3
    assert outcome.calls == {"summaries": 3, "attributes": 6}


def test_success_condition_is_or_with_target_states():
    tasks = [FakeTask("t-1", [(0, "Processing", 10), (10, "Processing", 100)])]
    outcome, _ignored, clock = run(tasks, {"success_condition": "TaskProcess == '100%'", "poll_interval": 10})
    assert outcome.status == "succeeded" and clock.now == START + 10


def test_percent_condition_decides_a_task_half_done():
    tasks = [FakeTask("t-1", [(0, "Processing", 10), (10, "Processing", 45), (20, "Processing", 50), (90, "Finished", 100)])]
    outcome, source, clock = run(tasks, {"success_condition": "percent(TaskProcess) >= `50`", "poll_interval": 10})
    assert outcome.status == "succeeded" and clock.now == START + 20
    assert outcome.records[0]["progress"] == 50 and outcome.warnings == []
    assert source.kinds() == ["attributes"] * 3 + ["summaries"]


def test_condition_errors_count_as_false_with_a_warning():
    outcome, _ignored, _ignored = run([finishing("t-1", 10)], {"failure_condition": "length(TotalCount) > `0`", "poll_interval": 10})
    assert outcome.status == "succeeded"
    assert len(outcome.warnings) == 1 and "could not be evaluated" in outcome.warnings[0]


def test_stale_attribute_does_not_hide_a_newer_summary_state():
    # The progress sample sees Processing; the next summary says Failed: Failed wins.
    tasks = [failing("t-1", 65), finishing("t-2", 1000)]
    outcome, _ignored, _ignored = run(tasks, {"poll_interval": 10, "progress_interval": 60})
    assert outcome.failed == ["t-1"] and outcome.records[0]["task_status"] == "Failed"


# ---------------------------------------------------------------- progress

def test_progress_callback_after_every_round():
    tasks = [FakeTask("t-1", [(0, "Waiting", 0), (10, "Processing", 30), (30, "Finished", 100)],
                      created="2024-05-01T00:00:01Z"),
             FakeTask("t-2", [(0, "Processing", 20), (50, "Finished", 100)])]
    progress = []
    outcome, _ignored, _ignored = run(tasks, {"poll_interval": 10, "progress_interval": 0}, progress=progress)
    assert len(progress) == outcome.rounds == 6
    first = progress[0]
    assert first["total"] == 2 and first["pending"] == 2 and first["rounds"] == 1 and first["elapsed"] == 0
    assert first["by_state"] == {"Waiting": 1, "Processing": 1} and first["next_poll_in"] == 10
    # No progress known from summaries alone: no task is called slowest.
    assert first["slowest"] is None and first["pending_states"] == {"Waiting": 1, "Processing": 1}
    assert progress[3]["succeeded"] == 1 and progress[3]["slowest"] is None
    assert progress[4]["slowest"]["progress"] == 20   # single-task attributes give progress
    assert progress[4]["by_state"] == {"Finished": 1, "Processing": 1}
    assert progress[-1]["next_poll_in"] is None and progress[-1]["succeeded"] == 2


def test_progress_sampling_cadence_and_choice():
    tasks = [FakeTask("t-1", [(0, "Processing", 70)], created="2024-05-01T00:00:00Z"),
             FakeTask("t-2", [(0, "Processing", 30)], created="2024-05-01T00:00:05Z"),
             FakeTask("t-3", [(0, "Waiting", 0)])]
    progress = []
    outcome, source, _ignored = run(tasks, {"poll_interval": 20, "progress_interval": 60, "timeout": 300}, progress=progress)
    samples = [(entry[1], entry[2] - START) for entry in source.log if entry[0] == "attributes"]
    # Unknown progress first (oldest first), then the lowest known; never more than once a minute.
    assert samples == [(["t-1"], 60), (["t-2"], 120), (["t-2"], 180), (["t-2"], 240), (["t-2"], 300)]
    slowest = progress[-1]["slowest"]
    assert (slowest["task_id"], slowest["state"], slowest["progress"]) == ("t-2", "Processing", 30)
    assert "t-1 last state 'Processing' 70%" in outcome.message


def test_progress_sampling_can_be_disabled():
    tasks = [finishing("t-1", 10 ** 6), finishing("t-2", 10 ** 6)]
    _ignored, source, _ignored = run(tasks, {"poll_interval": 30, "progress_interval": 0, "timeout": 600})
    assert set(source.kinds()) == {"summaries"}


# ---------------------------------------------------------------- schedule

def test_adaptive_schedule_stays_within_bounds_and_is_logarithmic():
    tasks = [finishing("t-1", 10 ** 6), finishing("t-2", 10 ** 6)]
    outcome, _ignored, clock = run(tasks, {"timeout": "1h", "min_interval": 2, "max_interval": 60, "progress_interval": 0})
    assert min(clock.sleeps) >= 2 and max(clock.sleeps) <= 60
    assert clock.sleeps[:-1] == sorted(clock.sleeps[:-1])  # grows; the last one is cut at the deadline
    assert clock.now == START + 3600
    # 2 s at first, 60 s (jittered to 54 s) from about 11 min on: about 105 polls where a fixed 2 s needs 1800.
    assert outcome.rounds <= 110


def test_adaptive_first_intervals_are_min_interval():
    tasks = [finishing("t-1", 10 ** 6), finishing("t-2", 10 ** 6)]
    _ignored, _ignored, clock = run(tasks, {"timeout": 30, "progress_interval": 0})
    assert clock.sleeps[:5] == [1, 1, 1, 1, 1]


# ---------------------------------------------------------------- ETA-aware schedule

class NoProgressTask(FakeTask):
    """DescribeTaskAttribute without TaskProcess."""

    def attribute(self, now):
        raw = super().attribute(now)
        del raw["TaskProcess"]
        return raw


def linear(task_id, duration, until=None, cls=FakeTask):
    """Processing with a whole-percent progress growing linearly (truncated) to ``until``, then stuck there."""
    until = until or duration
    timeline = [(second, "Processing", min(99, int(100 * second / until))) for second in range(int(duration))]
    return cls(task_id, timeline + [(duration, "Finished", 100)])


def lag_of(outcome, duration):
    return outcome.records[0]["elapsed"] - duration


def test_eta_linear_progress_few_calls_and_little_lag():
    outcome, source, clock = run([linear("t-1", 200)])
    plain, plain_source, _ignored = run([linear("t-1", 200, cls=NoProgressTask)])
    assert outcome.status == plain.status == "succeeded"
    assert set(source.kinds()[:-1]) == {"attributes"}
    # The elapsed rule alone: 46 polls (and the read for the resource id), noticed up to 10% of 200 s late.
    assert len(plain_source.log) == 47 and 0 < lag_of(plain, 200) <= 20
    assert len(source.log) <= 20
    assert 0 <= lag_of(outcome, 200) <= 1.0          # min_interval
    assert max(clock.sleeps) == 30 * 0.9              # far from the end: max_interval (low jitter)
    assert min(clock.sleeps) >= 1


def test_eta_task_stuck_at_99_falls_back_to_the_elapsed_rule():
    # 99% after 100 s, finished at 1000 s: the prediction passes at about 102 s.
    outcome, source, clock = run([linear("t-1", 1000, until=100)])
    assert outcome.status == "succeeded"
    assert len(source.log) <= 80                     # polling every min_interval instead: 900
    short = [wait for wait, now in zip(clock.sleeps, _times(clock)) if wait == 1 and now >= START + 120]
    assert short == []                                # no min_interval polls once the prediction has passed
    assert 0 <= lag_of(outcome, 1000) <= 30           # max_interval


def _times(clock):
    times, now = [], START
    for wait in clock.sleeps:
        times.append(now)
        now += wait
    return times


def test_eta_progress_jumping_from_0_to_100_keeps_the_elapsed_rule():
    jump = FakeTask("t-1", [(0, "Processing", 0), (300, "Finished", 100)])
    outcome, _ignored, clock = run([jump])
    _ignored, _ignored, no_field = run([NoProgressTask("t-1", [(0, "Processing", 0), (300, "Finished", 100)])])
    assert outcome.status == "succeeded"
    assert clock.sleeps == no_field.sleeps


def test_eta_without_progress_field_is_the_elapsed_rule():
    outcome, _ignored, clock = run([linear("t-1", 120, cls=NoProgressTask)])
    assert outcome.status == "succeeded" and outcome.records[0]["progress"] == 100
    elapsed = 0.0
    for wait in clock.sleeps:
        assert wait == pytest.approx(max(1.0, min(30.0, 0.1 * elapsed) * 0.9))
        elapsed += wait


def test_eta_multi_task_wait_with_summaries_is_unaffected():
    tasks = [linear("t-1", 150), linear("t-2", 400)]
    plain_tasks = [linear("t-1", 150, cls=NoProgressTask), linear("t-2", 400, cls=NoProgressTask)]
    outcome, source, clock = run(tasks, {"progress_interval": 0})
    plain, _ignored, plain_clock = run(plain_tasks, {"progress_interval": 0})
    assert outcome.status == plain.status == "succeeded"
    rounds_together = source.kinds().index("attributes")   # t-1 decided: its details, then t-2 alone
    assert clock.sleeps[:rounds_together] == plain_clock.sleeps[:rounds_together]
    assert lag_of(outcome, 150) == lag_of(plain, 150)


def test_eta_progress_samples_do_not_change_a_summaries_wait():
    tasks = [linear("t-1", 900), linear("t-2", 900)]
    plain_tasks = [linear("t-1", 900, cls=NoProgressTask), linear("t-2", 900, cls=NoProgressTask)]
    _ignored, source, clock = run(tasks, {"timeout": 600, "progress_interval": 60})
    _ignored, _ignored, plain_clock = run(plain_tasks, {"timeout": 600, "progress_interval": 60})
    assert "attributes" in source.kinds()             # one task's progress is sampled each minute, not all
    assert clock.sleeps == plain_clock.sleeps


def test_eta_when_a_condition_reads_attributes_of_every_task():
    options = {"failure_condition": "OperationProgressSet.OperationProgress[0].ErrorCode == 'Boom'", "progress_interval": 0}
    tasks = [linear("t-1", 300), linear("t-2", 600)]
    outcome, source, _ignored = run(tasks, options)
    plain, plain_source, _ignored = run([linear("t-1", 300, cls=NoProgressTask), linear("t-2", 600, cls=NoProgressTask)],
                                        options)
    assert outcome.status == plain.status == "succeeded"
    assert outcome.rounds < plain.rounds
    assert outcome.records[0]["elapsed"] - 300 <= 1.0 and outcome.records[1]["elapsed"] - 600 <= 1.0


# ---------------------------------------------------------------- input

def test_an_empty_wait_is_refused():
    # The ids are checked where the request is made (ops/request); the engine only refuses to wait on nothing.
    config = WaitConfig.from_options({})
    waiter = Waiter(config, TaskSource(FakeSource(FakeClock(), []), config), clock=FakeClock(), sleep=FakeClock().sleep)
    with pytest.raises(ConfigError) as info:
        waiter.wait([])
    assert info.value.option == "task_ids"


def test_waiter_can_be_reused():
    clock = FakeClock()
    source = FakeSource(clock, [finishing("t-1", 0)])
    config = WaitConfig.from_options({})
    waiter = Waiter(config, TaskSource(source, config), clock=clock, sleep=clock.sleep)
    assert waiter.wait(["t-1"]).rounds == 1 and waiter.wait(["t-1"]).rounds == 1


# ---------------------------------------------------------------- cadence, ETA and predicted timeouts

def _reported(tasks, options, wall_clock=None):
    """A wait with a ProgressReporter on the fake clock: (outcome, snapshots, lines, clock)."""
    clock = FakeClock()
    snapshots, lines = [], []
    reporter = ProgressReporter(lines.append, interval=10)

    def on_progress(snapshot):
        snapshots.append(snapshot)
        reporter(snapshot)

    config = WaitConfig.from_options(options)
    waiter = Waiter(config, TaskSource(FakeSource(clock, tasks), config), clock=clock, sleep=clock.sleep,
                    rng=LowRng(), on_progress=on_progress, region="cn-hangzhou",
                    wall_clock=wall_clock or (lambda: 1714557600.0 + clock() - START))
    outcome = waiter.wait([task.task_id for task in tasks])
    reporter.close(outcome)
    return outcome, snapshots, lines, clock


def _stamps(lines):
    """The elapsed seconds of each progress line ('[1m10s elapsed]')."""
    stamps = []
    for line in lines:
        match = re.search(r"\[(?:(\d+)h)?(?:(\d+)m)?(\d+)s elapsed\]$", line)
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        stamps.append(hours * 3600 + minutes * 60 + seconds)
    return stamps


@pytest.mark.parametrize("options", [{"poll_interval": 45}, {"min_interval": 25, "max_interval": 60}, {"delay": 35}])
def test_a_line_at_least_every_display_interval_whatever_the_poll_schedule(options):
    outcome, _ignored, lines, clock = _reported([finishing("t-1", 170), finishing("t-2", 200)], options)
    assert outcome.status == "succeeded"
    stamps = _stamps(lines)
    assert max(b - a for a, b in zip(stamps, stamps[1:])) <= 10, stamps
    # The engine slept no longer for waking up: the polls happened as planned.
    plain, _ignored, plain_clock = run([finishing("t-1", 170), finishing("t-2", 200)], options)
    assert clock.now == plain_clock.now and outcome.rounds == plain.rounds


def test_no_wake_ups_without_a_listener_or_with_display_interval_0():
    _ignored, _ignored, clock = run([finishing("t-1", 100)], {"poll_interval": 45})
    assert clock.sleeps == [45, 45, 45]
    options = {"poll_interval": 45, "display_interval": 0}
    _ignored, snapshots, _ignored, clock = _reported([finishing("t-1", 100)], options)
    assert clock.sleeps == [45, 45, 45] and len(snapshots) == 4   # one report per round


def test_wake_up_reports_carry_a_fresh_elapsed_and_the_time_to_the_next_poll():
    _ignored, snapshots, _ignored, _ignored = _reported([finishing("t-1", 40)], {"poll_interval": 25})
    assert [(s["elapsed"], s["next_poll_in"]) for s in snapshots] == [
        (0, 25), (10, 15), (20, 5), (25, 25), (35, 15), (45, 5), (50, None)]


def test_the_closing_line_says_how_the_wait_ended():
    _ignored, _ignored, lines, _ignored = _reported([finishing("t-1", 40)], {"poll_interval": 25})
    assert lines[-1] == "ecs_task_wait: done: 1/1 succeeded [50s elapsed]"
    _ignored, _ignored, lines, _ignored = _reported([linear("t-1", 500)], {"timeout": 60})
    assert lines[-1].startswith("ecs_task_wait: timed out: 0/1 succeeded, 1 pending [1m0s elapsed]")


def test_eta_and_predicted_end_from_linear_progress():
    outcome, snapshots, lines, _ignored = _reported([linear("t-1", 200)], {})
    etas = [(s["elapsed"], s["eta"]) for s in snapshots if s["eta"] is not None]
    assert etas, "no ETA from linear progress"
    # Each ETA points near the true end (200 s): within 10% of the time left, or 5 s.
    assert all(abs(elapsed + eta - 200) <= max(5, 0.1 * (200 - elapsed)) for elapsed, eta in etas), etas
    assert any(", ETA " in line for line in lines)
    # 1714557600 is 2024-05-01T10:00:00Z at START: the task ends 200 s later.
    end = outcome.records[0]["predicted_end"]
    assert re.match(r"^2024-05-01T10:03:(1[5-9]|2[0-5])Z$", end), end


def test_no_prediction_without_progress():
    outcome, snapshots, lines, _ignored = _reported([linear("t-1", 100, cls=NoProgressTask)], {})
    assert outcome.records[0]["predicted_end"] is None
    assert all(s["eta"] is None for s in snapshots) and not any("ETA" in line for line in lines)


def test_predicted_timeout_warns_at_once_and_keeps_waiting():
    outcome, snapshots, lines, clock = _reported([linear("t-1", 3000)], {"timeout": "10m"})
    assert outcome.status == "timed_out" and clock.now == START + 600
    warned = [s["elapsed"] for s in snapshots if s["warnings"]]
    # A verdict needs 3 rises over 5 points of steady progress (1 point every 30 s here), well before the timeout.
    assert len(warned) == 1 and warned[0] < 240, warned
    warning = [w for w in outcome.warnings if "predicted" in w]
    assert len(warning) == 1 and "after the timeout of 10m0s" in warning[0]
    assert re.search(r"predicted to end in (4[0-9]|5[0-9])m\d+s", warning[0]), warning[0]
    assert sum("warning: task t-1 (ExportImage) is predicted to end in" in line for line in lines) == 1


def test_predicted_timeout_fail_stops_early_with_everything_learned():
    outcome, _ignored, lines, clock = _reported([linear("t-1", 3000)], {"timeout": "10m", "on_predicted_timeout": "fail"})
    assert outcome.status == "predicted_timeout" and not outcome.timed_out
    assert clock.now < START + 240
    assert outcome.pending == ["t-1"] and outcome.records[0]["progress"] is not None
    assert "predicted to end in" in outcome.message and "on_predicted_timeout: fail" in outcome.message
    assert lines[-1].startswith("ecs_task_wait: stopped: predicted to end after the timeout")


def test_a_task_that_can_end_in_time_gives_no_warning():
    outcome, _ignored, _ignored, _ignored = _reported([linear("t-1", 550)], {"timeout": "10m",
                                                                             "on_predicted_timeout": "fail"})
    assert outcome.status == "succeeded" and outcome.warnings == []


def test_mode_any_needs_every_task_too_late():
    tasks = [linear("t-1", 3000), finishing("t-2", 30)]
    outcome, _ignored, _ignored, _ignored = _reported(tasks, {"timeout": "10m", "mode": "any",
                                                              "on_predicted_timeout": "fail", "progress_interval": 5})
    assert outcome.status == "succeeded" and outcome.succeeded == ["t-2"]


@pytest.mark.parametrize("brk", ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_the_message_is_one_line_whatever_the_error_text_holds(brk):
    # Ansible prints msg as it is: a task's error text must not forge a line there either (issue 18).
    error = ("Forged%sdone: 99/99 succeeded" % brk, "text%s[h] ecs_task_wait: done" % brk)
    outcome, _ignored, _ignored = run([failing("t-1", 10, error=error)], {"poll_interval": 10})
    assert outcome.status == "failed" and len(outcome.message.splitlines()) == 1, repr(outcome.message)
    assert "Forged done: 99/99 succeeded: text [h] ecs_task_wait: done" in outcome.message
    assert outcome.records[0]["error_code"] == error[0]  # the record keeps the API's own text
