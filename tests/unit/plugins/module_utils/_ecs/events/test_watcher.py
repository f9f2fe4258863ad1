# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""task_events: the EDA source's args, change detection and poll rounds, without asyncio or HTTP."""
from __future__ import annotations

import datetime
import logging

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.config import SourceConfig, canonical_args
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.detector import ChangeDetector, event_for
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.watcher import TaskWatcher
from tests.unit.fakes import ScriptedEcs, operation_details

NOW = datetime.datetime(2026, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
ENV = {}


def record(task_id, status, created="2026-05-01T11:00:00Z", finished=None):
    return {"task_id": task_id, "task_status": status, "creation_time": created, "finished_time": finished}


def config(**args):
    args.setdefault("region", "cn-hangzhou")
    return SourceConfig.from_args(args, env=ENV, now=NOW)


# ---------------------------------------------------------------- args

def test_defaults_since_is_the_start_and_every_task_of_the_region_is_watched():
    checked = config()
    assert checked.since == "2026-05-01T12:00:00Z"
    assert checked.task_ids is None and checked.filters == {}
    assert checked.interval == 30.0 and checked.lookback == 86400.0
    assert checked.connection["validate_certs"] is True and checked.connection["signature_version"] == "v1"


def test_aliases_types_and_filters():
    checked = SourceConfig.from_args({
        "region_id": "cn-shanghai", "task_action": "EXPORT_IMAGE", "task_status": "Failed", "resource_ids": "m-1, m-2",
        "since": "-2h", "interval": "1m30s", "validate_certs": "false", "eda_feedback_queue": object(),
    }, env=ENV, now=NOW)
    assert checked.region == "cn-shanghai"
    assert checked.filters == {"task_action": "ExportImage", "task_status": "Failed", "resource_ids": ["m-1", "m-2"]}
    assert checked.since == "2026-05-01T10:00:00Z"
    assert checked.interval == 90.0
    assert checked.connection["validate_certs"] is False


def test_region_and_endpoint_from_the_environment():
    checked = SourceConfig.from_args({"task_ids": ["t-1", "t-1", " t-2 "]},
                                     env={"ALICLOUD_REGION": "cn-beijing", "ALIBABA_CLOUD_ECS_ENDPOINT": "http://127.0.0.1:1"})
    assert checked.region == "cn-beijing" and checked.connection["endpoint"] == "http://127.0.0.1:1"
    assert checked.task_ids == ["t-1", "t-2"]


R = {"region": "cn-hangzhou"}


@pytest.mark.parametrize("args, option, words", [
    ({"region": None}, "region", "No region given"),
    ({"regoin": "cn-hangzhou"}, "regoin", "unknown option 'regoin'"),
    ({"region_id": "cn-hangzhou", "alicloud_region": "cn-beijing"}, "region", "given twice"),
    (dict(R, task_ids=[]), "task_ids", "task_ids is empty"),
    (dict(R, task_ids={"a": 1}), "task_ids", "must be a list"),
    (dict(R, task_ids=["t-1"], resource_ids=["m-1"]), "task_ids", "not both"),
    (dict(R, task_status="Running"), "task_status", "not a task status"),
    (dict(R, interval=0), "interval", "at least 0.1"),
    (dict(R, interval="-5s"), "interval", "must not be negative"),
    (dict(R, lookback="forever"), "lookback", "not a duration"),
    (dict(R, since="last tuesday"), "since", "not a time"),
    (dict(R, validate_certs="maybe"), "validate_certs", "true or false"),
    (dict(R, signature_version="v2"), "signature_version", "v1 or v3"),
    (dict(R, request_timeout=9000), "request_timeout", "between 0 and 600"),
    (dict(R, resource_ids=["m-%d" % n for n in range(101)]), "resource_ids", "at most 100"),
])
def test_bad_args_name_the_option(args, option, words):
    with pytest.raises(ConfigError) as raised:
        SourceConfig.from_args(args, env=ENV, now=NOW)
    assert raised.value.option == option
    assert words in str(raised.value)


def test_a_secret_of_the_wrong_type_is_not_echoed():
    with pytest.raises(ConfigError) as raised:
        canonical_args({"secret_key": 987654321})
    assert "987654321" not in str(raised.value) and "secret_key must be a string" in str(raised.value)


def test_args_must_be_a_mapping():
    with pytest.raises(ConfigError, match="must be a mapping"):
        canonical_args(["region"])


def test_search_window_slides_and_reaches_back_to_since_at_first():
    checked = config(since="2026-04-01T00:00:00Z", lookback="1h")
    assert checked.search_start(NOW, first=True) == "2026-04-01T00:00:00Z"
    assert checked.search_start(NOW, first=False) == "2026-05-01T11:00:00Z"
    recent = config(lookback="1h")
    assert recent.search_start(NOW, first=True) == "2026-05-01T11:00:00Z"


# ---------------------------------------------------------------- change detection

def test_first_seen_then_each_status_change_once():
    detector = ChangeDetector("2026-05-01T12:00:00Z")
    first = detector.news([record("t-1", "Waiting")])
    assert [(item["task_id"], previous) for item, previous in first] == [("t-1", None)]
    # Not committed: still news at the next poll.
    assert len(detector.news([record("t-1", "Waiting")])) == 1
    detector.commit(first[0][0])
    assert detector.news([record("t-1", "Waiting")]) == []
    changed = detector.news([dict(record("t-1", "Processing"), progress=40)])
    assert [(item["task_status"], previous) for item, previous in changed] == [("Processing", "Waiting")]
    detector.commit(changed[0][0])
    assert detector.news([dict(record("t-1", "Processing"), progress=80)]) == [], "progress alone is no change"
    ended = detector.news([record("t-1", "Finished", finished="2026-05-01T12:30:00Z")])
    assert [(item["task_status"], previous) for item, previous in ended] == [("Finished", "Processing")]
    detector.commit(ended[0][0])
    assert detector.news([record("t-1", "Finished", finished="2026-05-01T12:30:00Z")]) == []
    assert detector.ended_ids() == {"t-1"}


def test_tasks_that_ended_before_since_are_old_news():
    detector = ChangeDetector("2026-05-01T12:00:00Z")
    found = detector.news([
        record("t-old", "Finished", created="2026-05-01T10:00:00Z", finished="2026-05-01T11:59:59Z"),
        record("t-old-deleted", "Deleted", created="2026-05-01T10:00:00Z"),
        record("t-running", "Processing", created="2026-05-01T10:00:00Z"),
        record("t-ended-after", "Failed", created="2026-05-01T10:00:00Z", finished="2026-05-01T12:00:00Z"),
        {"task_id": None, "task_status": "Finished"},
    ])
    assert [item["task_id"] for item, _previous in found] == ["t-running", "t-ended-after"]
    assert "t-old" in detector and detector.status_of("t-old") == "Finished"


def test_forgets_what_the_window_can_no_longer_return():
    detector = ChangeDetector("2026-05-01T12:00:00Z")
    for item in (record("t-a", "Processing", created="2026-05-01T10:00:00Z"),
                 record("t-b", "Processing", created="2026-05-01T11:30:00Z")):
        detector.commit(item)
    detector.forget_created_before("2026-05-01T11:00:00Z")
    assert "t-a" not in detector and "t-b" in detector


def test_minute_times_are_compared_minute_to_minute():
    # The service says 12:00 for a task created at 12:00:45; a window starting at 12:00:30 still returns it.
    detector = ChangeDetector("2026-05-01T12:00:30Z")
    detector.commit(record("t-a", "Processing", created="2026-05-01T12:00:00Z"))
    detector.commit(record("t-b", "Processing", created="2026-05-01T11:59:00Z"))
    detector.forget_created_before("2026-05-01T12:00:30Z")
    assert "t-a" in detector and "t-b" not in detector
    assert detector.news([record("t-a", "Processing", created="2026-05-01T12:00:00Z")]) == []


def _first_seen_ended(since, finished, read_at):
    detector = ChangeDetector(since)
    read = datetime.datetime.strptime(read_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()
    return [item["task_id"] for item, _previous in detector.news(
        [record("t-1", "Finished", created="2026-05-01T11:00:00Z", finished=finished)], read_at=read)]


@pytest.mark.parametrize("since, finished, read_at, announced", [
    # Surely before since (an earlier minute), surely after (a later one).
    ("2026-05-01T12:00:30Z", "2026-05-01T11:59:00Z", "2026-05-01T12:00:31Z", False),
    ("2026-05-01T12:00:30Z", "2026-05-01T12:01:00Z", "2026-05-01T12:01:31Z", True),
    # In since's own minute, read a second after a source started at 12:00:30: old news (a restart).
    ("2026-05-01T12:00:30Z", "2026-05-01T12:00:00Z", "2026-05-01T12:00:31Z", False),
    # The same, read long after a since of 12:00:20: it may have ended after since, so announced.
    ("2026-05-01T12:00:20Z", "2026-05-01T12:00:00Z", "2026-05-01T12:05:00Z", True),
])
def test_an_end_in_since_s_own_minute_goes_to_the_likelier_side(since, finished, read_at, announced):
    assert _first_seen_ended(since, finished, read_at) == (["t-1"] if announced else [])


def test_event_shape():
    item = record("t-1", "Finished")
    assert event_for(item, "Processing", "cn-hangzhou") == {
        "ecs_task": item, "previous_status": "Processing", "region": "cn-hangzhou"}


# ---------------------------------------------------------------- poll rounds

def scripted_ecs(*tasks):
    """ScriptedEcs whose failed tasks carry error Oops with the secret in its message, and bucket b1."""
    return ScriptedEcs(tasks, details=operation_details("Oops", "secret-value-123 in a message", lambda task: {"OSSBucket": "b1"}))


def raw(task_id, status, created="2026-05-01T12:00:05Z"):
    return {"TaskId": task_id, "TaskAction": "ExportImage", "TaskStatus": status, "CreationTime": created,
            "FinishedTime": "2026-05-01T12:10:00Z" if status in ("Finished", "Failed") else ""}


def watcher_for(client, clock=None, **args):
    args.setdefault("region", "cn-hangzhou")
    args.setdefault("secret_key", "secret-value-123")
    checked = SourceConfig.from_args(args, env=ENV, now=NOW)
    log = logging.getLogger("test_task_events")
    return TaskWatcher(checked, client, log, clock=clock or NOW.timestamp)


def throttled():
    return ApiError("Throttling.User", "Request was denied due to user flow control.", http_status=400)


def test_an_end_whose_details_fail_is_announced_at_the_next_poll_once(caplog):
    client = scripted_ecs(raw("t-1", "Processing"))
    watcher = watcher_for(client, task_ids=["t-1"])
    assert [event["previous_status"] for event in watcher.poll()] == [None]
    client.put(raw("t-1", "Failed"))
    client.fail["DescribeTaskAttribute"] = [throttled()]
    with caplog.at_level(logging.WARNING):
        assert watcher.poll() == []
    assert "details of ended task t-1 could not be read" in caplog.text
    events = watcher.poll()
    assert len(events) == 1
    task = events[0]["ecs_task"]
    assert events[0]["previous_status"] == "Processing"
    assert task["error_code"] == "Oops" and task["related_items"] == {"OSSBucket": "b1"}
    assert watcher.poll() == []
    # The ended task is not asked for again; DescribeTaskAttribute ran for the end only (twice: one failed).
    assert client.called() == [
        "DescribeTasks", "DescribeTasks", "DescribeTaskAttribute", "DescribeTasks", "DescribeTaskAttribute"]


def test_a_transient_failure_is_logged_without_secrets_and_changes_nothing(caplog):
    client = scripted_ecs(raw("t-1", "Processing"))
    watcher = watcher_for(client, task_ids=["t-1"])
    client.fail["DescribeTasks"] = [ApiError("ServiceUnavailable", "down, key secret-value-123", http_status=503)]
    with caplog.at_level(logging.WARNING):
        assert watcher.poll() == []
    assert "poll failed, keeps watching" in caplog.text and "ServiceUnavailable" in caplog.text
    assert "secret-value-123" not in caplog.text
    assert len(watcher.poll()) == 1
    assert watcher.failed_polls == 1


def test_a_permanent_error_stops_the_source_only_before_a_poll_got_through(caplog):
    denied = ApiError("InvalidAccessKeyId.NotFound", "Specified access key secret-value-123 is not found.",
                      http_status=404)
    client = scripted_ecs(raw("t-1", "Processing"))
    client.fail["DescribeTasks"] = [denied]
    watcher = watcher_for(client, task_ids=["t-1"])
    with pytest.raises(ConfigError) as raised:
        watcher.poll()
    assert "before any poll got through" in str(raised.value) and "InvalidAccessKeyId.NotFound" in str(raised.value)
    assert "secret-value-123" not in str(raised.value)

    # A transient failure first does not hide a wrong key behind it.
    flaky = scripted_ecs(raw("t-1", "Processing"))
    flaky.fail["DescribeTasks"] = [throttled(), denied]
    flaky_watcher = watcher_for(flaky, task_ids=["t-1"])
    assert flaky_watcher.poll() == []
    with pytest.raises(ConfigError, match="InvalidAccessKeyId.NotFound"):
        flaky_watcher.poll()

    later = watcher_for(scripted_ecs(raw("t-1", "Processing")), task_ids=["t-1"])
    assert len(later.poll()) == 1
    later.client.fail["DescribeTasks"] = [denied]
    with caplog.at_level(logging.WARNING):
        assert later.poll() == []
    assert "InvalidAccessKeyId.NotFound" in caplog.text and "secret-value-123" not in caplog.text


def test_filters_search_a_sliding_window_and_oldest_first():
    client = scripted_ecs(raw("t-new", "Processing", created="2026-05-01T12:00:09Z"),
                          raw("t-older", "Processing", created="2026-05-01T12:00:01Z"))
    now = [NOW.timestamp()]
    watcher = watcher_for(client, clock=lambda: now[0], task_action="ExportImage", lookback="1h", since="-3h")
    assert [event["ecs_task"]["task_id"] for event in watcher.poll()] == ["t-older", "t-new"]
    assert client.calls[0][1]["StartTime"] == "2026-05-01T09:00:00Z"  # first search: back to since
    assert client.calls[0][1]["TaskAction"] == "ExportImage"
    now[0] += 7200
    assert watcher.poll() == []
    assert client.calls[1][1]["StartTime"] == "2026-05-01T13:00:00Z"  # then the last hour only
    assert "t-older" not in watcher.detector, "tasks the window left behind are forgotten"


def test_close_closes_the_client():
    client = scripted_ecs()
    watcher_for(client).close()
    assert client.closed
