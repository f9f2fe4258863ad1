# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait's wait_for: product against the emulator, over real signed HTTP (ECS and OSS): the wait goes on
from the task's end until what it made is ready, on a virtual clock that moves the emulator's with it.
Call counts come from the emulator's statistics."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait
from tests.unit.fakes import FakeClock

REGION = "cn-hangzhou"


def wait(emulator, task_ids, **options):
    """run_wait with wait_for: product through a real Session; each sleep moves the emulator's clock as much."""
    clock = FakeClock(on_sleep=None)

    def sleep(seconds):
        clock.sleep(seconds)
        emulator.advance(seconds)

    params = {"region": REGION, "access_key": "testid", "secret_key": "testsecret", "endpoint": emulator.url,
              "oss_endpoint": emulator.url, "validate_certs": True, "signature_version": "v1", "request_timeout": 20,
              "task_ids": task_ids, "wait_for": "product", "poll_interval": 5}
    params.update(options)
    session = Session(params, {})
    try:
        plan = prepare_wait(params)
        return run_wait(plan, Clients(session), clock=clock, sleep=sleep)
    finally:
        session.close()


def test_an_import_waits_until_its_image_is_usable(emulator):
    ids = emulator.create_tasks(action="ImportImage", duration=20, product={"usable_after": 30})
    result = wait(emulator, ids)
    assert result["wait_status"] == "succeeded", result["msg"]
    record = result["tasks"][0]
    # The task ended at 20 s; its image became usable 30 s later, seen at the next poll.
    assert 50 <= record["elapsed"] <= 55
    product = record["products"][0]
    assert (product["kind"], product["region"], product["status"], product["ready"]) == ("image", REGION, "Available", True)
    assert product["id"] == record["resource_id"] and product["details"]["usable"] is True
    # One DescribeImages per poll from the task's end on (no earlier), and never again once ready.
    assert 6 <= emulator.calls("DescribeImages") <= 8


def test_an_import_whose_image_fails_fails_at_once_naming_its_status(emulator):
    ids = emulator.create_tasks(action="ImportImage", duration=10, product={"outcome": "CreateFailed"})
    result = wait(emulator, ids, timeout="10m")
    assert result["wait_status"] == "failed" and result["failed"] is True
    assert "reached state 'Finished', but its image" in result["msg"] and "'CreateFailed'" in result["msg"]
    assert result["tasks"][0]["elapsed"] <= 15


def test_an_export_waits_for_its_object_in_oss(emulator):
    ids = emulator.create_tasks(action="ExportImage", duration=10, product={"object_after": 20})
    result = wait(emulator, ids)
    assert result["wait_status"] == "succeeded", result["msg"]
    product = result["tasks"][0]["products"][0]
    assert product["kind"] == "oss_object" and product["id"].startswith("oss://")
    assert product["status"] == "present" and product["details"]["ContentLength"] > 0
    assert 30 <= result["tasks"][0]["elapsed"] <= 35
    # HEADs from the task's end until the object is there: about 20 s at a 5 s interval.
    assert 4 <= emulator.stats()["calls"].get("HeadObject", 0) <= 6


def test_an_export_whose_object_never_comes_times_out_naming_it(emulator):
    ids = emulator.create_tasks(action="ExportImage", duration=5, product={"object_missing": True})
    result = wait(emulator, ids, timeout=60)
    assert result["wait_status"] == "timed_out" and result["timed_out"] is True
    assert "waiting for OSS object oss://" in result["msg"] and "'absent'" in result["msg"]
    assert result["tasks"][0]["products"][0]["ready"] is False


def test_a_disk_conversion_waits_until_the_disk_settles(emulator):
    disk = emulator.create_disks(category="cloud_efficiency")[0]
    ids = emulator.create_tasks(action="ModifyDiskSpec", resource_id=disk, duration=10,
                                product={"settle_after": 25, "category": "cloud_essd"})
    result = wait(emulator, ids, product_condition="Category == 'cloud_essd'")
    assert result["wait_status"] == "succeeded", result["msg"]
    product = result["tasks"][0]["products"][0]
    assert product["details"]["category"] == "cloud_essd" and product["status"] != "Modifying"
    assert 35 <= result["tasks"][0]["elapsed"] <= 40


def test_wait_for_task_reads_no_product(emulator):
    ids = emulator.create_tasks(action="ImportImage", duration=5, product={"usable_after": 300})
    result = wait(emulator, ids, wait_for="task")
    assert result["wait_status"] == "succeeded" and result["tasks"][0]["products"] == []
    assert emulator.calls("DescribeImages") == 0


@pytest.mark.parametrize("options, text", [
    ({"product_condition": "Category =="}, "product_condition"),
    ({"oss_endpoint": "oss.example.com"}, "oss_endpoint"),
])
def test_bad_product_options_fail_before_any_call(emulator, options, text):
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
    ids = emulator.create_tasks(action="ExportImage", duration=5)
    with pytest.raises(ConfigError) as info:
        wait(emulator, ids, **options)
    assert info.value.option == text
    assert sum(emulator.stats()["calls"].values()) == 0


def test_exports_polled_together_wait_for_their_objects(emulator):
    """Several tasks are polled with DescribeTasks, whose entries carry no related items: an export's objects are
    read from its DescribeTaskAttribute once it ended (before: 'names no OSS object', succeeded with no HEAD)."""
    exports = emulator.create_tasks(action="ExportImage", duration=10, count=2, product={"object_after": 20})
    imports = emulator.create_tasks(action="ImportImage", duration=10, product={"usable_after": 5})
    result = wait(emulator, exports + imports)
    assert result["wait_status"] == "succeeded", result["msg"]
    assert not result.get("warnings"), result["warnings"]
    for task_id in exports:
        record = result["tasks_by_id"][task_id]
        assert [(p["kind"], p["status"], p["ready"]) for p in record["products"]] == [("oss_object", "present", True)]
        assert 30 <= record["elapsed"] <= 35
    # Each object HEADed from its task's end until present (20 s at a 5 s interval), not before, not after.
    assert 8 <= emulator.calls("HeadObject") <= 12
