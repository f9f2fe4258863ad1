# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source alicloud.ecs.ecs_tasks: its ``main(queue, args)`` against the emulator, with a fake queue.

The source file is loaded the way ansible-rulebook loads it (runpy.run_path
from inside an ansible_collections tree). The emulator's virtual clock is
moved on with ``advance`` instead of waiting for tasks to end.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import runpy
import time

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.watcher import TaskWatcher
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import RECORD_KEYS
from tests.emulator.harness import Emulator

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, ".build", "collections", "ansible_collections", "alicloud", "ecs",
                      "extensions", "eda", "plugins", "event_source", "ecs_tasks.py")
SECRET = "testsecret"
WAIT = 30.0  # seconds a test waits for an event it expects, at most


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No credentials or region from the machine running the tests; never a metadata service."""
    for name in list(os.environ):
        if name.startswith(("ALIBABA_CLOUD_", "ALICLOUD_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    monkeypatch.setenv("HOME", str(tmp_path))


class FakeQueue(object):
    """What the source puts on ansible-rulebook's queue, in order."""

    def __init__(self):
        self.events = []

    async def put(self, event):
        self.events.append(event)


def source_main():
    return runpy.run_path(SOURCE)["main"]


def args_for(emulator, **extra):
    args = {"region": "cn-hangzhou", "endpoint": emulator.url, "access_key": "testid", "secret_key": SECRET,
            "interval": 0.1}
    args.update(extra)
    return args


class Running(object):
    """The source running as an asyncio task; helpers to wait for what it sent."""

    def __init__(self, args):
        self.queue = FakeQueue()
        self.task = asyncio.ensure_future(source_main()(self.queue, args))

    @property
    def events(self):
        return self.queue.events

    async def until(self, predicate, what, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while not predicate(self.events):
            if self.task.done():
                self.task.result()  # raises what stopped the source
                raise AssertionError("the source stopped before %s" % what)
            if time.monotonic() > deadline:
                raise AssertionError("no %s within %ss; events: %r" % (what, timeout, self.events))
            await asyncio.sleep(0.05)

    async def count(self, number, what="events"):
        await self.until(lambda events: len(events) >= number, "%d %s" % (number, what))

    async def settle(self, polls=10, interval=0.1):
        """Let a few more polls happen (to catch a duplicate)."""
        await asyncio.sleep(polls * interval)
        assert not self.task.done(), "the source stopped: %r" % (self.task.exception(),)

    async def stop(self):
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await self.task


def statuses(events, task_id):
    return [(event["previous_status"], event["ecs_task"]["task_status"]) for event in events
            if event["ecs_task"]["task_id"] == task_id]


def later(api_time, seconds):
    moment = datetime.datetime.strptime(api_time, "%Y-%m-%dT%H:%M:%SZ") + datetime.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_first_seen_each_status_change_and_the_end_once(emulator):
    # Queued for 1000 s: DescribeTasks does not list a Waiting task, so the first event is its start.
    task_id = emulator.create_tasks(action="ExportImage", wait=1000, duration=1000)[0]

    async def scenario():
        source = Running(args_for(emulator, task_ids=[task_id]))
        await source.settle()
        queued_events = list(source.events)
        emulator.advance(1000)
        await source.count(1, "first-seen event")
        emulator.advance(500)
        await source.settle()
        emulator.advance(500)
        await source.count(2, "end event")
        await source.settle()
        calls_after_end = emulator.stats()["calls"]
        await source.settle()
        await source.stop()
        return queued_events, source.events, calls_after_end

    queued_events, events, calls_after_end = asyncio.run(scenario())
    assert queued_events == []
    # Progress alone (50% after 500 s) is no event.
    assert statuses(events, task_id) == [(None, "Processing"), ("Processing", "Finished")]
    for event in events:
        assert set(event) == {"ecs_task", "previous_status", "region"}
        assert set(event["ecs_task"]) == set(RECORD_KEYS)
        assert event["region"] == "cn-hangzhou"
    end = events[-1]["ecs_task"]
    truth = emulator.task(task_id)
    assert end["related_items"] == truth["related_items"]
    assert end["related_items"]["OSSObject"].endswith("_%s.raw" % task_id)
    # The service gives the minute; the record writes it with :00 seconds.
    assert end["progress"] == 100 and end["finished_time"] == truth["finished_time"][:17] + "00Z"
    assert end["operation_progress"][0]["operation_status"] == "Success"
    calls = emulator.stats()["calls"]
    # DescribeTaskAttribute once, for the end; an ended task named by id is not polled again.
    assert calls["DescribeTaskAttribute"] == 1
    assert calls == calls_after_end


def test_a_failed_task_ends_with_its_own_error(emulator):
    task_id = emulator.create_tasks(action="ImportImage", duration=1000, outcome="Failed",
                                    error_code="InvalidImage.Format", error_msg="The image file is not a qcow2 image.")[0]

    async def scenario():
        source = Running(args_for(emulator, task_ids=task_id))  # one id as a string works too
        await source.count(1)
        emulator.advance(2000)
        await source.count(2)
        await source.settle()
        await source.stop()
        return source.events

    events = asyncio.run(scenario())
    assert statuses(events, task_id) == [(None, "Processing"), ("Processing", "Failed")]
    failed = events[-1]["ecs_task"]
    assert failed["error_code"] == "InvalidImage.Format"
    assert failed["error_msg"] == "The image file is not a qcow2 image."
    assert failed["operation_progress"][0]["error_code"] == "InvalidImage.Format"
    assert failed["related_items"] == emulator.task(task_id)["related_items"]


def test_filters_and_since(emulator):
    old = emulator.create_tasks(action="ExportImage", duration=1)[0]
    emulator.advance(90)
    # A minute after its end: the service gives the minute, and an end in since's own minute read long after
    # since (this emulator's clock runs ahead of the source's) may have come after it, so it is announced.
    since = later(emulator.task(old)["finished_time"], 61)
    export = emulator.create_tasks(action="ExportImage", duration=100)[0]
    other_action = emulator.create_tasks(action="ImportImage", duration=100)[0]
    watched = emulator.create_tasks(action="ExportImage", duration=100, resource_id="m-watched0000000001")[0]

    async def scenario():
        by_action = Running(args_for(emulator, task_action="EXPORT_IMAGE", since=since))
        by_resource = Running(args_for(emulator, resource_ids=["m-watched0000000001"], since=since))
        failed_only = Running(args_for(emulator, task_status="Finished", since=since))
        await by_action.count(2)
        await by_resource.count(1)
        emulator.advance(200)
        await by_action.count(4)
        await by_resource.count(2)
        await failed_only.count(3)
        for source in (by_action, by_resource, failed_only):
            await source.settle()
            await source.stop()
        return by_action.events, by_resource.events, failed_only.events

    by_action, by_resource, finished_only = asyncio.run(scenario())
    assert statuses(by_action, old) == [], "a task that ended before since was announced"
    assert statuses(by_action, other_action) == []
    assert statuses(by_action, export) == [(None, "Processing"), ("Processing", "Finished")]
    assert statuses(by_action, watched) == [(None, "Processing"), ("Processing", "Finished")]
    assert len(by_action) == 4
    assert [event["ecs_task"]["task_id"] for event in by_resource] == [watched, watched]
    # With task_status=Finished the running tasks are not listed: each is first seen when it ends.
    assert sorted(event["ecs_task"]["task_id"] for event in finished_only) == sorted([export, other_action, watched])
    assert all(event["previous_status"] is None for event in finished_only)
    assert all(event["ecs_task"]["related_items"] for event in finished_only)


def test_minute_times_give_no_second_first_seen_event():
    # Its own emulator: its clock is the wall clock, like the source's window (the session one has been
    # moved on). It answers CreationTime to the minute, as the service does (its default).
    with Emulator() as fresh:
        second = datetime.datetime.now(datetime.timezone.utc).second
        if not 3 <= second <= 50:
            # The task must be created some seconds into its minute for a 2 s window to pass that minute's start.
            time.sleep((63 - second) % 60)
        task_id = fresh.create_tasks(action="ExportImage", duration=1000)[0]

        async def scenario():
            source = Running(args_for(fresh, task_action="ExportImage", lookback="2s"))
            await source.count(1, "first-seen event")
            # 3 s of polls: the window's start passes the task's minute (02:13:00), then its true second.
            await source.settle(polls=30)
            await source.stop()
            return source.events

        events = asyncio.run(scenario())
    # Before: forgotten as soon as the window started after 02:13:00, returned again, "first seen" again.
    assert statuses(events, task_id) == [(None, "Processing")]


def test_since_defaults_to_when_the_source_starts():
    # A fresh emulator whose clock is never moved, so its times are the real ones.
    with Emulator() as emulator:
        old = emulator.create_tasks(action="ExportImage", duration=0.2)[0]
        time.sleep(1.5)
        assert emulator.task(old)["status"] == "Finished"

        async def scenario():
            source = Running(args_for(emulator, task_action="ExportImage"))
            await source.settle()
            new = emulator.create_tasks(action="ExportImage", duration=0.3)[0]
            await source.count(1)
            await source.until(lambda events: statuses(events, new)[-1][1] == "Finished", "end of the new task")
            await source.settle()
            await source.stop()
            return source.events, new

        events, new = asyncio.run(scenario())
    assert statuses(events, old) == []
    assert statuses(events, new)[-1][1] == "Finished"
    assert len(statuses(events, new)) in (1, 2)  # first seen while running, or already ended: once each
    assert len(events) == len(statuses(events, new))


def test_many_ids_are_batched_100_per_call(emulator):
    ids = emulator.create_tasks(action="ExportImage", count=250, duration=100)
    watcher = TaskWatcher.from_args(args_for(emulator, task_ids=ids), logging.getLogger("test"))
    try:
        first = watcher.poll()
        assert emulator.stats()["calls"] == {"DescribeTasks": 3}
        assert len(first) == 250 and all(event["previous_status"] is None for event in first)
        assert watcher.poll() == []
        emulator.advance(200)
        ended = watcher.poll()
        assert len(ended) == 250 and {event["ecs_task"]["task_status"] for event in ended} == {"Finished"}
        assert all(event["ecs_task"]["related_items"]["OSSBucket"] for event in ended)
        assert watcher.poll() == []
        assert emulator.stats()["calls"] == {"DescribeTasks": 9, "DescribeTaskAttribute": 250}
    finally:
        watcher.close()


def test_transient_faults_are_logged_and_the_source_keeps_running(emulator, caplog):
    caplog.set_level(logging.DEBUG)
    emulator.faults(error_rate=1.0)
    task_id = emulator.create_tasks(action="ExportImage", duration=100)[0]

    async def scenario():
        source = Running(args_for(emulator, task_action="ExportImage", since="-1h", security_token=None))
        await source.until(lambda events: "poll failed" in caplog.text, "log line for the failed poll")
        assert source.events == []
        emulator.faults(error_rate=0, throttle_rate=0.5)
        await source.count(1)
        emulator.advance(200)
        await source.count(2)
        emulator.faults(throttle_rate=0)
        await source.settle()
        await source.stop()
        return source.events

    events = asyncio.run(scenario())
    assert statuses(events, task_id) == [(None, "Processing"), ("Processing", "Finished")]
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any("poll failed, keeps watching" in line and "(HTTP 5" in line for line in warnings), warnings
    assert sum(emulator.stats()["errors"].values()) >= 5
    assert SECRET not in caplog.text


def test_no_secret_in_logs_or_errors_with_temporary_keys(caplog):
    caplog.set_level(logging.DEBUG)
    token = "sts-token-value-0123456789"
    with Emulator(access_keys=["STS.testid:stssecret-abcdef:%s" % token]) as emulator:
        task_id = emulator.create_tasks(action="ExportImage", duration=100)[0]

        async def scenario():
            source = Running(args_for(emulator, task_ids=[task_id], access_key="STS.testid",
                                      secret_key="stssecret-abcdef", security_token=token, signature_version="v3"))
            await source.count(1)
            # Resets only once a poll got through: before that, an endpoint that resets every
            # attempt is a wrong endpoint and stops the source (tested elsewhere), which 50% resets
            # would do now and then.
            emulator.faults(reset_rate=0.5)
            emulator.advance(200)
            await source.count(2)
            await source.stop()
            emulator.faults(reset_rate=0)

            # A wrong secret is permanent: the source stops at start, and says why without the secrets.
            wrong = Running(args_for(emulator, task_ids=[task_id], access_key="STS.testid",
                                     secret_key="wrong-secret-value", security_token=token))
            with pytest.raises(ConfigError) as raised:
                await wrong.task
            return str(raised.value)

        message = asyncio.run(scenario())
    assert "SignatureDoesNotMatch" in message and "before any poll got through" in message
    for secret in ("stssecret-abcdef", token, "wrong-secret-value"):
        assert secret not in message
        assert secret not in caplog.text


@pytest.mark.parametrize("args, option, words", [
    ({"task_ids": ["t-1"]}, "region", "No region given"),
    ({"region": "cn-hangzhou", "task_id": ["t-1"]}, "task_id", "unknown option"),
    ({"region": "cn-hangzhou", "task_ids": ["t-1"], "task_action": "ExportImage"}, "task_ids", "not both"),
    ({"region": "cn-hangzhou", "interval": "soon"}, "interval", "not a duration"),
    ({"region": "cn-hangzhou", "task_status": "Done"}, "task_status", "not a task status"),
    ({"region": "cn-hangzhou", "since": "yesterday-ish"}, "since", "not a time"),
    ({"region": "cn-hangzhou", "secret_key": 12345678}, "secret_key", "must be a string"),
])
def test_bad_config_stops_the_source_at_start_with_a_clear_message(args, option, words):
    with pytest.raises(ConfigError) as raised:
        asyncio.run(source_main()(FakeQueue(), args))
    assert raised.value.option == option
    assert words in str(raised.value)
    assert "12345678" not in str(raised.value)


def test_credentials_and_region_from_the_environment(emulator, monkeypatch):
    monkeypatch.setenv("ALICLOUD_REGION", "cn-hangzhou")
    monkeypatch.setenv("ALICLOUD_ACCESS_KEY", "testid")
    monkeypatch.setenv("ALICLOUD_SECRET_KEY", SECRET)
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_ENDPOINT", emulator.url)
    task_id = emulator.create_tasks(action="ExportImage", duration=100)[0]

    async def scenario():
        source = Running({"task_ids": [task_id], "interval": "100ms"})
        await source.count(1)
        await source.stop()
        return source.events

    assert statuses(asyncio.run(scenario()), task_id) == [(None, "Processing")]


def test_http_calls_do_not_block_the_event_loop(emulator):
    emulator.faults(delay_ms=500)
    task_id = emulator.create_tasks(action="ExportImage", duration=100)[0]

    async def scenario():
        ticks = []

        async def ticker():
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.05)

        beat = asyncio.ensure_future(ticker())
        source = Running(args_for(emulator, task_ids=[task_id]))
        await source.count(1)
        started = len(ticks)
        await asyncio.sleep(2.0)
        ticked = len(ticks) - started
        beat.cancel()
        await source.stop()
        return ticked

    # Every poll waits 0.5 s on the server: a loop blocked by HTTP would tick a few times, not ~40.
    assert asyncio.run(scenario()) >= 15
