# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_image_wait and ecs_disk_wait's library against the emulator over real signed HTTP, on a virtual clock that
moves the emulator's with it; call counts from the emulator's statistics (per action and region)."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.disk_wait import prepare_disk_wait, run_disk_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.image_wait import prepare_image_wait, run_image_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from tests.unit.fakes import FakeClock

REGION = "cn-hangzhou"


def run(emulator, prepare, wait, **options):
    """A wait through a real Session; each sleep moves the emulator's clock as much."""
    clock = FakeClock()

    def sleep(seconds):
        clock.sleep(seconds)
        emulator.advance(seconds)

    params = {"region": REGION, "access_key": "testid", "secret_key": "testsecret", "endpoint": emulator.url,
              "validate_certs": True, "signature_version": "v1", "request_timeout": 20, "poll_interval": 5}
    params.update(options)
    session = Session(params, {})
    try:
        return wait(prepare(params), Clients(session), clock=clock, sleep=sleep)
    finally:
        session.close()


def by_region(emulator, action):
    return emulator.stats().get("calls_by_region", {}).get(action, {})


def test_images_in_three_regions_take_one_call_per_region_per_round(emulator):
    copies = [(region, emulator.create_images(region=region, count=30, status="Creating", duration=20,
                                              usable_after=10)) for region in ("cn-hangzhou", "eu-central-1", "us-west-1")]
    images = [{"region": region, "image_id": image_id} for region, ids in copies for image_id in ids]
    result = run(emulator, prepare_image_wait, run_image_wait, images=images)
    assert result["wait_status"] == "succeeded", result["msg"]
    assert len(result["images"]) == 90 and len(result["succeeded"]) == 90
    record = result["images_by_id"][copies[1][1][0]]
    assert record["region"] == "eu-central-1" and record["status"] == "Available" and record["usable"] is True
    assert set(record) >= {"image_id", "region", "image_name", "status", "progress", "usable", "size", "creation_time",
                           "elapsed", "predicted_end"}
    # Usable at 30 s, a poll every 5 s: 7 rounds, one DescribeImages per region each.
    calls = by_region(emulator, "DescribeImages")
    assert set(calls) == {"cn-hangzhou", "eu-central-1", "us-west-1"} and len(set(calls.values())) == 1
    assert 6 <= calls["cn-hangzhou"] <= 8


def test_image_ids_in_the_options_region_and_a_failure_at_once(emulator):
    good = emulator.create_images(status="Creating", duration=60)[0]
    bad = emulator.create_images(status="Creating", duration=10, outcome="CreateFailed")[0]
    result = run(emulator, prepare_image_wait, run_image_wait, image_ids=[good, bad], timeout="10m")
    assert result["wait_status"] == "failed" and result["failed"] is True
    assert result["failed_image_ids"] == [bad] and result["pending"] == [good]
    assert "image %s ended in state 'CreateFailed'" % bad in result["msg"]


def test_an_image_in_another_region_is_not_found(emulator):
    image = emulator.create_images(region="cn-beijing", status="Available")[0]
    result = run(emulator, prepare_image_wait, run_image_wait, image_ids=[image], not_found_checks=1)
    assert result["wait_status"] == "failed"
    assert "image %s was never found in region cn-hangzhou in 2 polls" % image in result["msg"]


def test_usable_false_and_a_condition(emulator):
    image = emulator.create_images(status="Available", usable_after=600)[0]
    result = run(emulator, prepare_image_wait, run_image_wait, image_ids=[image], usable=False,
                 condition="Size > `10`")
    assert result["wait_status"] == "succeeded" and result["images"][0]["usable"] is False


def test_a_disk_waits_until_converted_to_the_category_asked_for(emulator):
    disk = emulator.create_disks(category="cloud_efficiency")[0]
    emulator.create_tasks(action="ModifyDiskSpec", resource_id=disk, duration=10,
                          product={"settle_after": 20, "category": "cloud_essd", "performance_level": "PL1"})
    result = run(emulator, prepare_disk_wait, run_disk_wait, disk_ids=[disk], disk_category="Cloud_ESSD",
                 performance_level="pl1")
    assert result["wait_status"] == "succeeded", result["msg"]
    record = result["disks_by_id"][disk]
    assert (record["category"], record["performance_level"]) == ("cloud_essd", "PL1") and record["status"] != "Modifying"
    assert 30 <= record["elapsed"] <= 35


def test_a_disk_that_keeps_its_old_category_times_out_naming_what_it_waited_for(emulator):
    disk = emulator.create_disks(category="cloud_efficiency")[0]
    result = run(emulator, prepare_disk_wait, run_disk_wait, disk_ids=[disk], disk_category="cloud_essd", timeout=20)
    assert result["wait_status"] == "timed_out"
    assert "to settle (not Modifying) as cloud_essd" in result["msg"] and "In_use, cloud_efficiency" in result["msg"]


@pytest.mark.parametrize("prepare, options, option", [
    (prepare_image_wait, {}, "image_ids"),
    (prepare_image_wait, {"image_ids": ["m-1"], "target_states": ["Availble"]}, "target_states"),
    (prepare_image_wait, {"images": [{"region": "cn-hangzhou"}]}, "images"),
    (prepare_image_wait, {"image_ids": ["m-1"], "condition": "Status =="}, "condition"),
    (prepare_disk_wait, {"disk_ids": ["d-1"], "disk_category": "cloud_esd"}, "disk_category"),
    (prepare_disk_wait, {"disk_ids": ["d-1"], "performance_level": "PL9"}, "performance_level"),
    (prepare_disk_wait, {}, "disk_ids"),
])
def test_bad_input_is_named_before_any_call(prepare, options, option):
    with pytest.raises(ConfigError) as info:
        prepare(options)
    assert info.value.option == option, str(info.value)
