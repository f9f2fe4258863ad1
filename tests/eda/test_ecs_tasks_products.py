# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source with ``wait_for: product``: after a task's end event, one event per thing it produced once that
is ready (or failed, or given up on at ``product_timeout``), through the source's ``main(queue, args)`` against the
emulator (ECS and its OSS stand-in), its virtual clock moved on with ``advance``. Call counts from its statistics."""

from __future__ import annotations

import asyncio

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from tests.eda.test_ecs_tasks_source import FakeQueue, Running, args_for, source_main
# An autouse fixture: no keys or region from the machine, never a metadata service.
from tests.eda.test_ecs_tasks_source import clean_environment  # noqa: F401  pylint: disable=unused-import

PRODUCT_KEYS = {"kind", "region", "id", "status", "ready", "details", "wait_outcome"}


def product_args(emulator, **extra):
    return args_for(emulator, wait_for="product", oss_endpoint=emulator.url, **extra)


def product_events(events):
    return [event for event in events if "product" in event]


def test_an_import_gives_its_end_then_one_event_when_its_image_is_usable(emulator):
    task_id = emulator.create_tasks(action="ImportImage", duration=100, product={"usable_after": 300})[0]

    async def scenario():
        source = Running(product_args(emulator, task_ids=[task_id]))
        await source.count(1, "first-seen event")
        emulator.advance(100)
        await source.count(2, "end event")
        await source.settle()
        # The image is Available, not usable yet: no product event; it is read at every poll.
        assert product_events(source.events) == []
        emulator.advance(300)
        await source.count(3, "product event")
        await source.settle()
        read_until_ready = emulator.calls("DescribeImages")
        await source.settle()  # more polls: the image, decided, is read no more
        assert emulator.calls("DescribeImages") == read_until_ready
        await source.stop()
        return source.events

    events = asyncio.run(scenario())
    assert len(events) == 3 and [event["ecs_task"]["task_status"] for event in events] == ["Processing", "Finished", "Finished"]
    event = events[-1]
    assert set(event) == {"ecs_task", "previous_status", "region", "product"} and event["previous_status"] == "Finished"
    product = event["product"]
    assert set(product) == PRODUCT_KEYS
    image = emulator.task(task_id)["resource_id"]
    assert (product["kind"], product["id"], product["region"], product["status"]) == ("image", image, "cn-hangzhou", "Available")
    assert product["ready"] is True and product["wait_outcome"] == "succeeded" and product["details"]["usable"] is True
    # The task's record as its end event carried it (related items read once, at the end).
    assert event["ecs_task"] == events[1]["ecs_task"]
    stats = emulator.stats()["calls"]
    # DescribeImages from the end on (at least once before and once after it was usable; never after: above).
    assert stats["DescribeImages"] >= 2 and stats.get("DescribeTaskAttribute") == 1, stats


def test_an_export_gives_one_event_per_object_each_headed_until_present(emulator):
    task_id = emulator.create_tasks(action="ExportImage", duration=50, product={"object_after": 100},
                                    operations=[{"OSSObject": "{task_id}_system.raw"}, {"OSSObject": "{task_id}_data1.raw"}])[0]

    async def scenario():
        source = Running(product_args(emulator, task_ids=[task_id]))
        await source.count(1)
        await source.settle()
        assert emulator.calls("HeadObject") == 0  # nothing read before the task ended
        emulator.advance(50)
        await source.count(2)
        await source.settle()
        emulator.advance(100)
        await source.count(4, "two product events")
        await source.settle()
        await source.stop()
        return source.events

    events = asyncio.run(scenario())
    products = [event["product"] for event in product_events(events)]
    assert len(events) == 4 and [p["id"] for p in products] == [
        "oss://emulator-bucket/%s_%s.raw" % (task_id, disk) for disk in ("system", "data1")]
    assert all(p["kind"] == "oss_object" and p["status"] == "present" and p["ready"] for p in products), products
    assert all(p["details"]["ContentLength"] > 0 for p in products)
    stats = emulator.stats()
    # Every HEAD but the two that found the objects answered NoSuchKey: none after an object was there.
    assert stats["calls"]["HeadObject"] - stats["errors"]["NoSuchKey"] == 2, stats


def test_a_failed_image_and_an_object_given_up_on(emulator):
    failed = emulator.create_tasks(action="ImportImage", duration=10, product={"outcome": "CreateFailed"})[0]
    lost = emulator.create_tasks(action="ExportImage", duration=10, product={"object_missing": True})[0]

    async def scenario():
        source = Running(product_args(emulator, task_ids=[failed, lost], product_timeout="1s"))
        await source.count(2)
        emulator.advance(10)
        await source.count(6, "two end events and two product events")
        heads = emulator.stats()["calls"]["HeadObject"]
        await source.settle()
        await source.stop()
        return source.events, heads

    events, heads = asyncio.run(scenario())
    products = dict((event["ecs_task"]["task_id"], event["product"]) for event in product_events(events))
    assert len(events) == 6
    image = products[failed]
    assert (image["kind"], image["status"], image["ready"], image["wait_outcome"]) == ("image", "CreateFailed", False, "failed")
    gone = products[lost]
    # Not there after product_timeout (real seconds after the end event): one event, not ready, and no more HEADs.
    assert (gone["kind"], gone["status"], gone["ready"], gone["wait_outcome"]) == ("oss_object", "absent", False, "pending")
    assert emulator.stats()["calls"]["HeadObject"] == heads


def test_wait_for_task_reads_no_product(emulator):
    task_id = emulator.create_tasks(action="ImportImage", duration=10)[0]

    async def scenario():
        source = Running(args_for(emulator, task_ids=[task_id]))
        await source.count(1)
        emulator.advance(10)
        await source.count(2)
        await source.settle()
        await source.stop()
        return source.events

    events = asyncio.run(scenario())
    assert product_events(events) == [] and "DescribeImages" not in emulator.stats()["calls"]


@pytest.mark.parametrize("args, option, words", [
    ({"wait_for": "products"}, "wait_for", "wait_for must be task"),
    ({"wait_for": "product", "product_condition": "Category =="}, "product_condition", "not valid JMESPath"),
    ({"product_condition": "Category == 'cloud_essd'"}, "product_condition", "set wait_for: product"),
    ({"wait_for": "product", "oss_endpoint": "oss.example.com"}, "oss_endpoint", "oss_endpoint"),
    ({"wait_for": "product", "product_timeout": "0s"}, "product_timeout", "more than 0"),
])
def test_bad_product_args_stop_the_source_at_start(args, option, words):
    with pytest.raises(ConfigError) as raised:
        asyncio.run(source_main()(FakeQueue(), dict({"region": "cn-hangzhou"}, **args)))
    assert raised.value.option == option and words in str(raised.value), str(raised.value)
