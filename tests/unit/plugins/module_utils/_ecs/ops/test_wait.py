# -*- coding: utf-8 -*-
"""prepare_wait / run_wait with the shared fake ECS (tests/unit/fakes.py) on a fake clock: no network, no real sleeping."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import SEARCH_FILTERS, WAIT_OPTIONS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.progress import ProgressReporter
from tests.unit.fakes import FakeClock, TimedEcs, TimedTask as Task

START = 500.0  # the fake clock does not start at zero, so nothing may rely on it


def params(**overrides):
    """Module parameters as the argument spec hands them over: every option, defaults filled in."""
    values = dict((name, spec.get("default")) for name, spec in WAIT_OPTIONS.items())
    values.update(overrides)
    return values


def wait(tasks, check_mode=False, failures=None, cancel_refused=(), on_progress=None, **options):
    clock = FakeClock(now=START)
    client = TimedEcs(clock, tasks, cancel_refused=cancel_refused)
    client.fail.update(failures or {})
    if not any(options.get(name) for name in SEARCH_FILTERS):
        options.setdefault("task_ids", [task.task_id for task in tasks])
    options.setdefault("poll_interval", 5)
    result = run_wait(prepare_wait(params(**options)), client, check_mode=check_mode, clock=clock, sleep=clock.sleep,
                      on_progress=on_progress)
    return result, client


def throttled(action):
    return ApiError("Throttling.User", "Request was denied due to flow control.", http_status=400, action=action)


# ------------------------------------------------------------------ prepare_wait

@pytest.mark.parametrize("task_ids", [[], None])
def test_prepare_refuses_no_task_ids(task_ids):
    with pytest.raises(ConfigError) as info:
        prepare_wait(params(task_ids=task_ids))
    assert info.value.option == "task_ids"
    assert "empty" in str(info.value)


@pytest.mark.parametrize("overrides, option", [
    ({"task_ids": ["t-1,t-2"]}, "task_ids"),
    ({"task_ids": ["t-1", " "]}, "task_ids"),
    ({"success_condition": "TaskStatus =="}, "success_condition"),
    ({"failure_condition": "TaskStatus == \"Failed\""}, "failure_condition"),
    ({"timeout": "soon"}, "timeout"),
    ({"timeout": 0}, "timeout"),
    ({"delay": "10m", "timeout": "5m"}, "delay"),
    ({"poll_interval": "-1s"}, "poll_interval"),
    ({"poll_interval": 5, "min_interval": 2}, "poll_interval"),
    ({"min_interval": 60, "max_interval": 10}, "min_interval"),
    ({"target_states": ["finished"]}, "target_states"),
    ({"target_states": ["Failed"]}, "failure_states"),
    ({"mode": "some"}, "mode"),
    ({"not_found_checks": -1}, "not_found_checks"),
    ({"progress_interval": "often"}, "progress_interval"),
    ({"details": "some"}, "details"),
])
def test_prepare_names_the_bad_option(overrides, option):
    values = {"task_ids": ["t-1"]}
    values.update(overrides)
    with pytest.raises(ConfigError) as info:
        prepare_wait(params(**values))
    assert info.value.option == option, str(info.value)


def test_prepare_keeps_ids_in_order_without_duplicates_and_reads_the_flags():
    plan = prepare_wait(params(task_ids=[" t-2", "t-1", "t-2"], cancel_on_timeout=True, fail_on_failure=False,
                               timeout="1h30m", mode="any"))
    assert plan.task_ids == ("t-2", "t-1")
    assert plan.cancel_on_timeout is True
    assert plan.config.timeout == 5400 and plan.config.mode == "any"
    assert plan.config.fail_on_failure is False


def test_the_request_is_frozen():
    plan = prepare_wait(params(task_ids=["t-1"], task_action="ExportImage"))
    with pytest.raises(AttributeError):
        plan.task_ids = ("t-2",)  # type: ignore[misc]
    with pytest.raises(TypeError):
        plan.filters["task_action"] = "ImportImage"  # type: ignore[index]


def test_prepare_defaults_are_the_documented_ones():
    plan = prepare_wait(params(task_ids=["t-1"]))
    config = plan.config
    assert plan.cancel_on_timeout is False and config.fail_on_failure is True
    assert config.target_states == ("Finished",) and config.failure_states == ("Failed", "Deleted")
    assert config.timeout == 1800 and config.not_found_checks == 20 and config.mode == "all"
    assert config.poll_interval is None and config.min_interval == 1 and config.max_interval == 30


# ------------------------------------------------------------------ run_wait: the failed flag

def test_success_is_not_failed_and_counts_the_client_calls():
    result, client = wait([Task("t-1", ends=12), Task("t-2", ends=3)])
    assert result["failed"] is False and result["changed"] is False
    assert result["succeeded"] == ["t-1", "t-2"] and result["failed_task_ids"] == [] and result["pending"] == []
    assert result["timed_out"] is False
    assert result["api_calls"] == client.api_calls
    assert result["tasks"][0]["related_items"] == {"OSSBucket": "b", "OSSObject": "t-1.raw"}
    assert "cancelled" not in result and "would_cancel" not in result


def test_a_failed_task_fails_the_wait_with_its_own_error():
    result, _client = wait([Task("t-1", ends=3, outcome="Failed", error=("Disk.Bad", "Bad disk.")), Task("t-2")])
    assert result["failed"] is True
    assert result["failed_task_ids"] == ["t-1"] and result["pending"] == ["t-2"]
    assert "Disk.Bad: Bad disk." in result["msg"]
    assert result["tasks"][0]["error_code"] == "Disk.Bad" and result["tasks"][0]["error_msg"] == "Bad disk."


def test_fail_on_failure_false_is_not_failed_but_lists_the_failure():
    result, _client = wait([Task("t-1", ends=3, outcome="Failed"), Task("t-2", ends=20)], fail_on_failure=False)
    assert result["failed"] is False
    assert result["failed_task_ids"] == ["t-1"] and result["succeeded"] == ["t-2"]


def test_timeout_is_failed():
    result, client = wait([Task("t-1")], timeout=30)
    assert result["failed"] is True and result["timed_out"] is True and result["changed"] is False
    assert result["pending"] == ["t-1"]
    assert not client.actions("CancelTask")


def test_a_permanent_api_error_is_failed_with_its_code():
    error = ApiError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", http_status=404,
                     action="DescribeTasks")
    result, client = wait([Task("t-1"), Task("t-2")], failures={"DescribeTasks": [error]})
    assert result["failed"] is True
    assert result["error_code"] == "InvalidAccessKeyId.NotFound"
    assert "Specified access key is not found." in result["msg"]
    assert result["pending"] == ["t-1", "t-2"]
    assert client.api_calls == 1


def test_mode_any_succeeds_with_one():
    result, _client = wait([Task("t-1"), Task("t-2", ends=4)], mode="any")
    assert result["failed"] is False and result["succeeded"] == ["t-2"] and result["pending"] == ["t-1"]


def test_details_of_a_decided_task_are_read_again_after_a_transient_failure():
    # The one DescribeTaskAttribute read for t-1's record is throttled (after the client's own retries).
    failures = {("DescribeTaskAttribute", "t-1"): [throttled("DescribeTaskAttribute")]}
    result, client = wait([Task("t-1", ends=3, outcome="Failed", error=("Disk.Bad", "Bad disk.")),
                           Task("t-2", ends=3)], failures=failures)
    assert result["tasks"][0]["error_code"] == "Disk.Bad"
    assert result["tasks"][1]["related_items"]["OSSObject"] == "t-2.raw"
    reads = [entry["TaskId"] for entry in client.actions("DescribeTaskAttribute")]
    assert sorted(reads) == ["t-1", "t-1", "t-2"]


# ------------------------------------------------------------------ run_wait: cancel_on_timeout

def cancel_scenario():
    return [
        Task("t-run"),                                   # Processing, cancellable
        Task("t-queued", state="Waiting"),               # Waiting, cancellable
        Task("t-fixed", support_cancel=False),           # Processing, ECS says it cannot be cancelled
        Task("t-done", ends=3),                          # succeeded before the timeout
        Task("t-bad", ends=3, outcome="Failed"),         # failed before the timeout
    ]


def test_cancel_on_timeout_cancels_only_running_cancellable_tasks():
    result, client = wait(cancel_scenario(), timeout=20, cancel_on_timeout=True, fail_on_failure=False)
    assert [entry["TaskId"] for entry in client.actions("CancelTask")] == ["t-run", "t-queued"]
    assert result["cancelled"] == ["t-run", "t-queued"]
    assert result["not_cancellable"] == ["t-fixed"]
    assert result["changed"] is True and result["failed"] is True and result["timed_out"] is True
    states = dict((entry["task_id"], entry["task_status"]) for entry in result["tasks"])
    assert states == {"t-run": "Deleted", "t-queued": "Deleted", "t-fixed": "Processing",
                      "t-done": "Finished", "t-bad": "Failed"}
    assert "cancelled 2 task(s): t-run, t-queued" in result["msg"]
    assert "would_cancel" not in result


def test_cancel_on_timeout_in_check_mode_cancels_nothing():
    tasks = cancel_scenario()
    result, client = wait(tasks, check_mode=True, timeout=20, cancel_on_timeout=True, fail_on_failure=False)
    assert not client.actions("CancelTask")
    assert result["would_cancel"] == ["t-run", "t-queued"]
    assert "cancelled" not in result
    assert result["changed"] is True and result["failed"] is True
    assert [task.status(0) for task in tasks[:2]] == ["Processing", "Waiting"]


def test_cancel_refused_for_one_task_is_reported_and_the_others_cancelled():
    result, client = wait([Task("t-1"), Task("t-2")], timeout=10, cancel_on_timeout=True, cancel_refused=["t-1"])
    assert len(client.actions("CancelTask")) == 2
    assert result["cancelled"] == ["t-2"]
    assert "IncorrectTaskStatus" in result["cancel_errors"]["t-1"]
    assert result["changed"] is True


def test_cancel_on_timeout_with_nothing_cancellable_changes_nothing():
    result, client = wait([Task("t-1", support_cancel=False)], timeout=10, cancel_on_timeout=True)
    assert not client.actions("CancelTask")
    assert result["cancelled"] == [] and result["not_cancellable"] == ["t-1"]
    assert result["changed"] is False
    assert "no task could be cancelled" in result["msg"]


def test_cancel_on_timeout_does_nothing_when_the_wait_ends_in_time():
    result, client = wait([Task("t-1", ends=3)], timeout=60, cancel_on_timeout=True)
    assert result["failed"] is False and "cancelled" not in result
    assert not client.actions("CancelTask")


# ------------------------------------------------------------------ details

@pytest.mark.parametrize("details, read", [("all", ["t-1", "t-2"]), ("failed", ["t-2"]), ("none", [])])
def test_details_option_reaches_the_engine(details, read):
    tasks = [Task("t-1", ends=3), Task("t-2", ends=3, outcome="Failed", error=("DiskFull", "no space left"))]
    result, client = wait(tasks, fail_on_failure=False, details=details)
    assert sorted(call["TaskId"] for call in client.actions("DescribeTaskAttribute")) == read
    assert result["succeeded"] == ["t-1"] and result["failed_task_ids"] == ["t-2"]
    assert result["api_calls"] == len(client.actions("DescribeTasks")) + len(read)
    assert result["tasks"][1]["error_code"] == ("DiskFull" if "t-2" in read else None)
    assert bool(result["tasks"][0]["related_items"]) is ("t-1" in read)


# ------------------------------------------------------------------ waiting by filters

def searches(client):
    """The DescribeTasks calls that were searches (no TaskIds)."""
    return [entry for entry in client.actions("DescribeTasks") if "TaskIds" not in entry]


def test_a_wait_by_resource_id_finds_the_task_and_waits_for_it():
    tasks = [Task("t-mine", ends=12, resource_id="m-mine"), Task("t-other", ends=3, resource_id="m-other")]
    result, client = wait(tasks, task_action="EXPORT_IMAGE", resource_ids=["m-mine"])
    assert result["failed"] is False and result["succeeded"] == ["t-mine"]
    assert [record["task_id"] for record in result["tasks"]] == ["t-mine"]
    assert result["tasks_by_id"]["t-mine"] is result["tasks"][0]
    assert result["tasks"][0]["found_by"] == ["task_action", "resource_ids"]
    assert result["search"] == {"filters": {"task_action": "ExportImage", "resource_ids": ["m-mine"]},
                                "region": "cn-hangzhou", "polls": 1, "found": ["t-mine"]}
    first = searches(client)[0]
    assert first["TaskAction"] == "ExportImage" and first["ResourceIds.1"] == "m-mine" and "TaskStatus" not in first
    assert len(searches(client)) == 1
    # The wait's own polls ask by id; the elapsed time counts from the first search.
    assert result["elapsed"] >= 12 and result["tasks"][0]["elapsed"] >= 12


def test_a_wait_by_start_time_waits_only_on_tasks_created_since():
    tasks = [Task("t-old", created="2026-11-23T01:00:00Z", ends=3),
             Task("t-new1", created="2026-11-23T03:00:00Z", ends=6),
             Task("t-new2", created="2026-11-23T04:00:00Z", ends=9, outcome="Failed", error=("E.Code", "went wrong"))]
    result, _client = wait(tasks, start_time="2026-11-23T10:00:00+08:00", fail_on_failure=False)
    assert sorted(result["tasks_by_id"]) == ["t-new1", "t-new2"]
    assert result["succeeded"] == ["t-new1"] and result["failed_task_ids"] == ["t-new2"]
    assert result["tasks_by_id"]["t-new2"]["error_code"] == "E.Code"
    assert result["search"]["filters"] == {"start_time": "2026-11-23T02:00:00Z"}
    assert all(record["found_by"] == ["start_time"] for record in result["tasks"])


def test_a_search_that_finds_nothing_fails_after_not_found_checks_with_what_it_searched_for():
    result, client = wait([Task("t-1", resource_id="m-1")], task_action="ExportImage", resource_ids=["m-none"],
                          start_time="2026-11-23T02:00:00Z", not_found_checks=3, timeout="10m")
    assert result["failed"] is True and result["timed_out"] is False
    assert len(searches(client)) == 4 and client.api_calls == 4
    assert result["search"]["polls"] == 4 and result["search"]["found"] == []
    assert result["tasks"] == [] and result["tasks_by_id"] == {} and result["pending"] == []
    message = result["msg"]
    for fragment in ("no task matched", "task_action=ExportImage", "resource_ids=[m-none]",
                     "created since 2026-11-23T02:00:00Z", "region cn-hangzhou", "4 searches", "not_found_checks: 3"):
        assert fragment in message, (fragment, message)
    # The searches follow the wait's schedule: 5 s apart here.
    assert result["elapsed"] == 15
    assert result["wait_status"] == "failed"


def test_not_found_checks_zero_gives_up_at_the_first_empty_search():
    result, client = wait([Task("t-1")], resource_ids=["m-none"], not_found_checks=0)
    assert result["failed"] is True and len(searches(client)) == 1 and result["elapsed"] == 0
    assert "created at any time" in result["msg"]


def test_a_task_that_becomes_visible_late_is_found_and_the_search_counts_toward_the_timeout():
    task = Task("t-late", visible_after=12, resource_id="m-late")
    result, client = wait([task], resource_ids=["m-late"], timeout=30)
    assert len(searches(client)) == 4                      # at 0, 5, 10 (nothing), 15 (found)
    assert result["search"]["polls"] == 4 and result["search"]["found"] == ["t-late"]
    assert result["timed_out"] is True and result["pending"] == ["t-late"]
    assert result["elapsed"] == 30                         # one deadline for search and wait
    assert "timeout: 30s" in result["msg"]


def test_the_deadline_ends_a_search_that_never_finds_anything():
    result, _client = wait([Task("t-1")], resource_ids=["m-none"], timeout=12, not_found_checks=100)
    assert result["failed"] is True and result["timed_out"] is True and result["elapsed"] == 12
    assert "timeout while searching for tasks matching resource_ids=[m-none]" in result["msg"]
    assert "(timeout: 12s, elapsed: 12s)" in result["msg"]
    assert result["wait_status"] == "timed_out"


def test_a_search_reports_progress_at_the_display_cadence_however_far_apart_its_polls():
    # Before: nothing was printed until tasks were found, and a search that found none closed with "done".
    snapshots, lines = [], []
    reporter = ProgressReporter(lines.append, interval=10)

    def progress(snapshot):
        snapshots.append(snapshot)
        reporter(snapshot)

    task = Task("t-late", visible_after=75, resource_id="m-late", ends=80)
    result, client = wait([task], on_progress=progress, resource_ids=["m-late"], poll_interval=30, timeout=300)
    reporter.close(result)
    assert len(searches(client)) == 4                      # at 0, 30, 60 (nothing), 90 (found)
    search = [snap for snap in snapshots if "search" in snap]
    assert [snap["search"]["searches"] for snap in search] == [1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert [snap["elapsed"] for snap in search] == [0, 10, 20, 30, 40, 50, 60, 70, 80]
    assert lines[0] == "ecs_task_wait: searching for resource_ids=[m-late]: none yet after 1 search [0s elapsed]"
    assert lines[8] == lines[0].replace("1 search [0s", "3 searches [1m20s")
    assert lines[9].startswith("ecs_task_wait: t-late (ExportImage) ") and lines[-1].startswith("ecs_task_wait: done: 1/1")


def test_a_search_that_finds_nothing_closes_saying_so():
    lines = []
    reporter = ProgressReporter(lines.append, interval=10)
    result, _client = wait([Task("t-1")], on_progress=reporter, resource_ids=["m-none"], not_found_checks=2)
    reporter.close(result)
    assert lines[-1] == "ecs_task_wait: failed: no task matched in 3 searches [10s elapsed]"


def test_delay_comes_once_before_the_first_search():
    clock = FakeClock(now=START)
    client = TimedEcs(clock, [Task("t-1", ends=3)])
    result = run_wait(prepare_wait(params(task_action="ExportImage", delay=7, poll_interval=5)), client,
                      clock=clock, sleep=clock.sleep)
    assert result["succeeded"] == ["t-1"] and result["elapsed"] == 7


@pytest.mark.parametrize("statuses, sent", [(["Processing"], "Processing"), (["Waiting", "Processing"], None),
                                            (["Waiting"], None)])
def test_task_status_goes_to_the_service_only_when_it_can_filter_on_it(statuses, sent):
    tasks = [Task("t-queued", state="Waiting", ends=9), Task("t-running", ends=6), Task("t-done", state="Finished")]
    result, client = wait(tasks, task_status=statuses)
    assert searches(client)[0].get("TaskStatus") == sent
    expected = [task.task_id for task in tasks if task.status(0) in statuses]
    assert sorted(result["tasks_by_id"]) == sorted(expected)
    assert result["failed"] is False and sorted(result["succeeded"]) == sorted(expected)


def test_ids_and_filters_together_wait_on_both_and_say_what_found_each():
    tasks = [Task("t-given", ends=3, resource_id="m-a"), Task("t-both", ends=3, resource_id="m-b"),
             Task("t-found", ends=6, resource_id="m-b")]
    result, _client = wait(tasks, task_ids=["t-given", "t-both"], resource_ids=["m-b"])
    assert [record["task_id"] for record in result["tasks"]] == ["t-given", "t-both", "t-found"]
    found_by = dict((record["task_id"], record["found_by"]) for record in result["tasks"])
    assert found_by == {"t-given": ["task_ids"], "t-both": ["task_ids", "resource_ids"], "t-found": ["resource_ids"]}


def test_a_plain_wait_by_ids_has_found_by_and_no_search():
    result, _client = wait([Task("t-1", ends=3)])
    assert result["tasks"][0]["found_by"] == ["task_ids"] and "search" not in result


def test_a_search_pages_through_every_match():
    tasks = [Task("t-%03d" % index, state="Finished", resource_id="m-many") for index in range(250)]
    result, client = wait(tasks, resource_ids=["m-many"])
    assert [entry["PageNumber"] for entry in searches(client)] == [1, 2, 3]
    assert len(result["tasks_by_id"]) == 250 and len(result["succeeded"]) == 250


def test_a_permanent_error_while_searching_ends_the_wait_with_its_code():
    error = ApiError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", http_status=404,
                     action="DescribeTasks")
    result, client = wait([Task("t-1")], task_action="ExportImage", failures={"DescribeTasks": [error]})
    assert result["failed"] is True and result["error_code"] == "InvalidAccessKeyId.NotFound"
    assert result["msg"].startswith("stopped searching for tasks matching task_action=ExportImage")
    assert client.api_calls == 1 and result["tasks"] == [] and result["wait_status"] == "error"


def test_a_transient_error_while_searching_is_tried_again_at_the_next_poll():
    result, client = wait([Task("t-1", ends=3)], task_action="ExportImage",
                          failures={"DescribeTasks": [throttled("DescribeTasks")]}, not_found_checks=0)
    assert result["failed"] is False and result["succeeded"] == ["t-1"]
    assert len(searches(client)) == 2 and result["search"]["polls"] == 2
    assert any("transient" in warning for warning in result["warnings"])


@pytest.mark.parametrize("overrides, option", [
    ({"resource_ids": ["m-1,m-2"]}, "resource_ids"),
    ({"resource_ids": [""]}, "resource_ids"),
    ({"resource_ids": ["m-%d" % index for index in range(101)]}, "resource_ids"),
    ({"start_time": "yesterday"}, "start_time"),
    ({"start_time": "now", "end_time": "-1h"}, "start_time"),
])
def test_bad_filters_are_refused_before_any_call(overrides, option):
    with pytest.raises(ConfigError) as info:
        prepare_wait(params(**overrides))
    assert info.value.option == option, str(info.value)


def test_filters_alone_need_no_task_ids():
    plan = prepare_wait(params(task_action="ImportImage", task_status=["Waiting", "Processing"]))
    assert plan.task_ids == () and plan.filters == {"task_action": "ImportImage", "task_status": ["Waiting", "Processing"]}


def test_the_docs_state_how_far_past_its_timeout_a_wait_may_end():
    import os

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import DEADLINE_GRACE
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.transport import MIN_TIMEOUT
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import CANCEL_TIME
    path = os.path.join(os.path.dirname(__file__), *[os.pardir] * 6, "docs", "waiting.md")
    with open(path, encoding="utf-8") as handle:
        text = " ".join(handle.read().split())
    assert "returns at most %g s after its `timeout`" % (DEADLINE_GRACE + MIN_TIMEOUT) in text
    assert "may start up to %g s late and gets at least half a second" % DEADLINE_GRACE in text and MIN_TIMEOUT == 0.5
    assert "their read-back get %g s more" % CANCEL_TIME in text
