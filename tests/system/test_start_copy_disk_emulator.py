# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_image_copy and ecs_disk_spec's library against the emulator over real signed HTTP, on a virtual clock that
moves the emulator's with it: started / attached / none, reruns that start nothing (the emulator's statistics),
check mode's DryRun, diff, wait: false, and each explained error provoked through the control API."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start import disk_spec, image_copy
from tests.system.test_start_images_emulator import REGION, dry_runs, run
DESTINATIONS = ["eu-central-1", "us-west-1"]


def look_up(emulator, start, **options):
    """What ``start`` finds now (its find alone, apart from a run)."""
    session = Session({"region": REGION, "access_key": "testid", "secret_key": "testsecret", "endpoint": emulator.url}, {})
    try:
        return start.find(start.prepare(options), Clients(session), None)
    finally:
        session.close()


def copy(emulator, image_id, **options):
    options.setdefault("destination_regions", DESTINATIONS)
    options.setdefault("destination_image_name", "web-copy")
    return run(emulator, image_copy.WAIT, image_id=image_id, **options)


def spec(emulator, disk_id, **options):
    return run(emulator, disk_spec.WAIT, disk_id=disk_id, **options)


@pytest.fixture
def source(emulator):
    """An Available image in cn-hangzhou, whose copies take 30 s and are usable 10 s later."""
    emulator.set_actions(CopyImage={"duration": 30, "usable_after": 10})
    return emulator.create_images(region=REGION, image_name="web", status="Available")[0]


# ---------------------------------------------------------------- copy

def test_copy_starts_one_per_region_waits_for_all_and_a_rerun_changes_nothing(emulator, source):
    first = copy(emulator, source)
    assert first["wait_status"] == "succeeded", first["msg"]
    assert (first["changed"], first["action"], first["task_id"], first["failed"]) == (True, "started", None, False)
    assert [record["region"] for record in first["images"]] == DESTINATIONS
    for record in first["images"]:
        truth = emulator.image(record["image_id"])
        assert (truth["region"], truth["image_name"], truth["status"], truth["usable"]) == \
            (record["region"], "web-copy", "Available", True)
        assert (record["action"], record["status"], record["usable"]) == ("started", "Available", True)
        assert record["elapsed"] >= 40
    assert first["images_by_region"]["us-west-1"] == first["images"][1]
    assert emulator.calls("CopyImage") == 2
    assert emulator.stats()["calls_by_region"]["CopyImage"] == {REGION: 2}
    # One line per start, naming the copy and its region (the call goes to the source's).
    assert first["_lines"] == ["started CopyImage in cn-hangzhou: %s in %s" % (record["image_id"], record["region"])
                               for record in first["images"]]

    again = copy(emulator, source)
    assert (again["changed"], again["action"], again["failed"]) == (False, "none", False), again["msg"]
    assert [record["image_id"] for record in again["images"]] == [record["image_id"] for record in first["images"]]
    assert all(record["action"] == "none" for record in again["images"])
    assert emulator.calls("CopyImage") == 2 and "wait_status" not in again
    # One DescribeImages per destination region, nothing else.
    assert again["api_calls"] == 2


def test_copy_attaches_in_one_region_starts_in_another_and_none_in_a_third(emulator, source):
    emulator.create_images(region="eu-central-1", image_name="web-copy", status="Creating", duration=20)
    emulator.create_images(region="ap-southeast-1", image_name="web-copy", status="Available")
    result = copy(emulator, source, destination_regions=["eu-central-1", "us-west-1", "ap-southeast-1"])
    assert result["wait_status"] == "succeeded", result["msg"]
    assert [record["action"] for record in result["images"]] == ["attached", "started", "none"]
    assert (result["action"], result["changed"]) == ("started", True)
    assert emulator.calls("CopyImage") == 1
    # Waited on the two copies under way, in their regions; the one that existed was only looked up.
    looked_up = emulator.stats()["calls_by_region"]["DescribeImages"]
    assert set(looked_up) == {"eu-central-1", "us-west-1", "ap-southeast-1"} and looked_up["ap-southeast-1"] == 1


def test_copy_rerun_after_wait_false_attaches_and_starts_nothing(emulator, source):
    started = copy(emulator, source, wait=False)
    assert (started["action"], started["changed"]) == ("started", True) and "wait_status" not in started
    assert all(record["image_id"].startswith("m-") for record in started["images"])
    # wait: false returned as soon as the service answered: no read of the copies after the look-up.
    assert emulator.calls("DescribeImages") == 2
    attached = copy(emulator, source)
    assert (attached["changed"], attached["action"]) == (True, "attached"), attached["msg"]
    assert [record["image_id"] for record in attached["images"]] == [record["image_id"] for record in started["images"]]
    assert attached["wait_status"] == "succeeded" and emulator.calls("CopyImage") == 2


def test_copy_check_mode_sends_dry_runs_creates_nothing_and_shows_the_diff(emulator, source):
    emulator.create_images(region="us-west-1", image_name="web-copy", status="Creating", duration=60)
    before = len(emulator.images())
    result = copy(emulator, source, check_mode=True, diff=True)
    assert (result["changed"], result["action"], result["failed"]) == (True, "started", False), result["msg"]
    assert [record["action"] for record in result["images"]] == ["started", "attached"]
    assert result["images"][0]["image_id"] is None
    assert dry_runs(emulator, "CopyImage") == 1 and emulator.calls("CopyImage") == 0
    assert len(emulator.images()) == before and "wait_status" not in result
    diff = result["diff"]
    assert list(diff["before"]) == ["us-west-1"] and diff["before"]["us-west-1"]["status"] == "Creating"
    assert diff["after"]["eu-central-1"] == {"image_name": "web-copy", "image_id": "(CopyImage names it)",
                                             "status": "Available", "usable": True,
                                             "copied_from": "%s (cn-hangzhou)" % source}
    assert result["msg"].startswith("check mode, nothing was changed: ")


def test_copy_refuses_a_name_held_by_a_failed_image_before_any_copy(emulator, source):
    failed = emulator.create_images(region="us-west-1", image_name="web-copy", status="CreateFailed")[0]
    result = copy(emulator, source)
    assert result["failed"] and (result["changed"], result["action"]) == (False, "none")
    assert "the name 'web-copy' is taken in us-west-1 by image %s, which is CreateFailed" % failed in result["msg"]
    assert "choose another destination_image_name" in result["msg"]
    assert emulator.calls("CopyImage") == 0 and dry_runs(emulator, "CopyImage") == 0
    assert result["images_by_region"]["us-west-1"]["image_id"] == failed


def test_a_copy_that_fails_fails_the_run_at_once_naming_it(emulator, source):
    emulator.set_actions(CopyImage={"duration": 30, "outcome": "CreateFailed"})
    result = copy(emulator, source, destination_regions=["eu-central-1"], timeout="1h")
    assert result["failed"] and result["wait_status"] == "failed"
    assert "ended in state 'CreateFailed'" in result["msg"] and result["elapsed"] < 60
    assert result["images"][0]["status"] == "CreateFailed" and result["images"][0]["action"] == "started"


@pytest.mark.parametrize("case, words", [
    ("missing", "does not exist in region cn-hangzhou: check image_id and region"),
    ("creating", "is not Available yet (or failed): wait for it with alicloud.ecs.ecs_image_wait"),
])
def test_copy_of_a_source_that_is_missing_or_not_available_is_explained(emulator, case, words):
    image = "m-bp1nothere00000001" if case == "missing" else emulator.create_images(status="Creating", duration=600)[0]
    result = copy(emulator, image)
    assert result["failed"] and image in result["msg"] and words in result["msg"], result["msg"]
    assert result["error_code"] == ("InvalidImageId.NotFound" if case == "missing" else "IncorrectImageStatus")
    # The first region's call failed: the second was not started, and says so.
    assert emulator.calls("CopyImage") == 1 and [record["action"] for record in result["images"]] == ["none", "none"]
    assert "not started: CopyImage failed first" in result["msg"]


def test_a_failed_call_keeps_what_was_started_before_it(emulator, source, monkeypatch):
    # The name is free when looked up, then taken in the second region before its call: InvalidImageName.Duplicated.
    original = image_copy.COPY.call

    def call(request, found, decision):
        if decision.region == "us-west-1":
            emulator.create_images(region="us-west-1", image_name="web-copy", status="Creating", duration=60)
        return original(request, found, decision)

    monkeypatch.setattr(image_copy.COPY, "call", call)
    result = copy(emulator, source)
    assert result["failed"] and result["error_code"] == "InvalidImageName.Duplicated"
    assert "already exists in region us-west-1" in result["msg"] and "run again to attach to it" in result["msg"]
    eu = result["images_by_region"]["eu-central-1"]
    assert eu["action"] == "started" and eu["image_id"].startswith("m-")
    assert (result["action"], result["changed"]) == ("started", True) and "wait_status" not in result
    assert emulator.calls("CopyImage") == 2


def test_copy_to_a_region_ecs_does_not_know_is_explained_before_any_copy(emulator, source):
    # Raised from the look-up: every path that runs a module makes it a failed result (ops/running.run_wait_safely).
    with pytest.raises(ApiError) as error:
        copy(emulator, source, destination_regions=["eu-central-1", "xx-nowhere-9"])
    assert error.value.code == "InvalidRegionId.NotFound"
    assert "ECS knows no region xx-nowhere-9: check destination_regions" in error.value.message
    assert emulator.calls("CopyImage") == 0


def test_copy_refused_by_the_service_for_its_destination_is_explained(emulator, source):
    # Provoked (PUT /_emulator/actions): the service's own answer to the call, the look-ups having passed.
    emulator.set_actions(CopyImage={"error_code": "DestinationRegion.NotFound"})
    result = copy(emulator, source, destination_regions=["eu-central-1"])
    assert result["failed"] and result["error_code"] == "DestinationRegion.NotFound"
    assert "ECS knows no region eu-central-1: check destination_regions" in result["msg"]


def test_copy_bad_input_is_named_before_any_call(emulator):
    for options, option in [({"destination_regions": []}, "destination_regions"),
                            ({"destination_regions": ["EU Central"]}, "destination_regions"),
                            ({"destination_image_name": "1copy"}, "destination_image_name"),
                            ({"description": "x"}, "description"),
                            ({"image_id": "m bad"}, "image_id")]:
        params = dict({"image_id": "m-1", "destination_regions": ["eu-central-1"], "destination_image_name": "web"},
                      **options)
        with pytest.raises(ConfigError) as error:
            image_copy.WAIT.prepare(params)
        assert error.value.option == option, (options, str(error.value))
    assert emulator.stats()["calls"] == {}


# ---------------------------------------------------------------- disk spec

def test_disk_conversion_starts_once_waits_for_task_and_disk_and_a_rerun_changes_nothing(emulator):
    disk = emulator.create_disks(category="cloud_efficiency")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 30, "settle_after": 10})
    first = spec(emulator, disk, disk_category="Cloud-ESSD", performance_level="pl2")
    assert first["wait_status"] == "succeeded", first["msg"]
    assert (first["changed"], first["action"]) == (True, "started") and first["task_id"].startswith("t-")
    assert emulator.task(first["task_id"])["action"] == "ModifyDiskSpec"
    truth = emulator.disk(disk)
    assert (truth["category"], truth["performance_level"]) == ("cloud_essd", "PL2")
    record = first["disk"]
    assert (record["disk_id"], record["category"], record["performance_level"]) == (disk, "cloud_essd", "PL2")
    assert record["status"] != "Modifying" and record["elapsed"] >= 40
    assert first["_lines"] == ["started ModifyDiskSpec in cn-hangzhou: task %s" % first["task_id"]]
    assert emulator.calls("ModifyDiskSpec") == 1

    again = spec(emulator, disk, disk_category="cloud_essd", performance_level="PL2")
    assert (again["changed"], again["action"], again["task_id"], again["failed"]) == (False, "none", None, False)
    assert again["disk"]["category"] == "cloud_essd" and emulator.calls("ModifyDiskSpec") == 1
    assert again["api_calls"] == 1  # one DescribeDisks, nothing else


def test_a_level_alone_has_no_task_and_the_disk_is_waited_on(emulator):
    disk = emulator.create_disks(category="cloud_essd", performance_level="PL1")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 20})
    result = spec(emulator, disk, performance_level="PL3")
    assert result["wait_status"] == "succeeded", result["msg"]
    assert (result["action"], result["task_id"]) == ("started", None)
    assert result["disk"]["performance_level"] == "PL3" and result["disk"]["elapsed"] >= 20
    assert "no task (a change of the performance level alone has none)" in result["msg"]
    assert emulator.calls("DescribeTaskAttribute") == 0 and emulator.calls("DescribeTasks") == 1  # the look-up


def test_disk_rerun_attaches_to_the_change_under_way_with_its_task(emulator):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 60})
    started = spec(emulator, disk, disk_category="cloud_essd", wait=False)
    assert (started["action"], started["changed"]) == ("started", True) and "wait_status" not in started
    assert started["disk"]["category"] == "cloud_ssd"  # as found: wait: false reads nothing after the call
    assert started["task_id"].startswith("t-") and emulator.calls("DescribeTaskAttribute") == 0
    assert emulator.disk(disk)["status"] == "Modifying"
    attached = spec(emulator, disk, disk_category="cloud_essd")
    assert (attached["changed"], attached["action"]) == (True, "attached"), attached["msg"]
    assert attached["task_id"] == started["task_id"] and attached["wait_status"] == "succeeded"
    assert attached["disk"]["category"] == "cloud_essd" and emulator.calls("ModifyDiskSpec") == 1


def test_disk_check_mode_sends_a_dry_run_changes_nothing_and_shows_the_diff(emulator):
    disk = emulator.create_disks(category="cloud_efficiency")[0]
    result = spec(emulator, disk, disk_category="cloud_essd", performance_level="PL1", check_mode=True, diff=True)
    assert (result["changed"], result["action"], result["task_id"]) == (True, "started", None), result["msg"]
    assert dry_runs(emulator, "ModifyDiskSpec") == 1 and emulator.calls("ModifyDiskSpec") == 0
    assert emulator.disk(disk)["category"] == "cloud_efficiency" and emulator.tasks() == []
    assert result["diff"] == {"before": {"disk_id": disk, "category": "cloud_efficiency", "performance_level": None},
                              "after": {"disk_id": disk, "category": "cloud_essd", "performance_level": "PL1"}}


def test_disk_check_mode_of_a_disk_already_so_sends_nothing(emulator):
    disk = emulator.create_disks(category="cloud_essd", performance_level="PL1")[0]
    result = spec(emulator, disk, disk_category="cloud_essd", check_mode=True, diff=True)
    assert (result["changed"], result["action"]) == (False, "none")
    assert result["diff"]["before"] == result["diff"]["after"]
    assert dry_runs(emulator, "ModifyDiskSpec") == 0 and emulator.calls("DescribeTasks") == 0


def test_a_cooling_period_is_waited_out_within_the_deadline(emulator, monkeypatch):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 10, "error_code": "DiskInCoolingPeriod"})
    sleeps = []
    original = emulator.advance

    def advance(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 3:  # the cooling period ends after the third refusal
            emulator.set_actions(ModifyDiskSpec={"error_code": ""})
        return original(seconds)

    monkeypatch.setattr(emulator, "advance", advance)
    result = spec(emulator, disk, disk_category="cloud_essd")
    assert result["wait_status"] == "succeeded", result["msg"]
    assert result["action"] == "started" and emulator.stats()["errors"]["DiskInCoolingPeriod"] == 3
    assert emulator.calls("ModifyDiskSpec") == 4


def test_a_cooling_period_past_the_deadline_is_explained(emulator):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"error_code": "DiskInCoolingPeriod"})
    result = spec(emulator, disk, disk_category="cloud_essd", timeout=60)
    assert result["failed"] and result["error_code"] == "DiskInCoolingPeriod"
    assert "was changed recently and ECS refuses another change until its cooling period ends" in result["msg"]
    assert "still refused after" in result["msg"] and emulator.calls("ModifyDiskSpec") >= 2
    assert result["disk"]["category"] == "cloud_ssd"


# Throttling.ConcurrentLimitExceeded is sent again as DiskInCoolingPeriod is (plan.send), and the client itself retries
# throttling with real pauses: the cooling period tests above stand for both.
@pytest.mark.parametrize("code, words, action", [
    ("InvalidStatus.DiskNotReady", "is neither In_use nor Available", "none"),
    ("NoChangeInDiskCategoryAndPerformanceLevel", "already has this category and performance level", "none"),
])
def test_disk_spec_errors_of_the_service(emulator, code, words, action):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"error_code": code})
    result = spec(emulator, disk, disk_category="cloud_essd", timeout=30)
    if code == "NoChangeInDiskCategoryAndPerformanceLevel":
        # The service says there is nothing to do: not a failure.
        assert (result["failed"], result["changed"], result["action"]) == (False, False, "none"), result["msg"]
        assert words in result["msg"]
        return
    assert result["failed"] and result["error_code"] == code and disk in result["msg"]
    assert words in result["msg"] and emulator.calls("ModifyDiskSpec") == 1


def test_a_disk_gone_between_the_look_up_and_the_call_is_explained(emulator):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"error_code": "InvalidDiskId.NotFound"})
    result = spec(emulator, disk, disk_category="cloud_essd")
    assert result["failed"] and result["error_code"] == "InvalidDiskId.NotFound"
    assert "disk %s does not exist in region cn-hangzhou: check disk_id and region" % disk in result["msg"]


def test_a_missing_disk_is_refused_naming_the_region_before_any_start(emulator):
    other = emulator.create_disks(region="cn-beijing", category="cloud_ssd")[0]
    result = spec(emulator, other, disk_category="cloud_essd")
    assert result["failed"] and result["disk"] is None and result["action"] == "none"
    assert "disk %s does not exist in region cn-hangzhou" % other in result["msg"]
    assert emulator.calls("ModifyDiskSpec") == 0 and dry_runs(emulator, "ModifyDiskSpec") == 0


def test_a_level_for_a_disk_that_has_none_is_refused_after_the_look_up(emulator):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    result = spec(emulator, disk, performance_level="PL2")
    assert result["failed"] and "performance_level PL2 is for cloud_essd disks only" in result["msg"]
    assert "would be cloud_ssd" in result["msg"] and emulator.calls("ModifyDiskSpec") == 0


def test_a_failed_conversion_fails_at_once(emulator):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 20, "outcome": "Failed", "error_code": "OperationFailed",
                                         "error_msg": "The disk cannot be converted."})
    result = spec(emulator, disk, disk_category="cloud_essd", timeout="1h")
    assert result["failed"] and result["wait_status"] == "failed" and result["elapsed"] < 60, result["msg"]
    assert "OperationFailed" in result["msg"]


# ---------------------------------------------------------------- the window without a client token

def test_a_copy_the_rerun_cannot_see_yet_is_refused_by_its_name_not_made_twice(emulator, source):
    first = copy(emulator, source, destination_regions=["eu-central-1"], wait=False)
    # The rerun's look-up does not see the copy (a RAM denial of the old style: a 200 with an empty list).
    emulator.permissions({"testid": {"deny": ["DescribeImages"], "style": "empty"}})
    rerun = copy(emulator, source, destination_regions=["eu-central-1"])
    assert rerun["failed"] and rerun["error_code"] == "InvalidImageName.Duplicated", rerun["msg"]
    assert "already exists in region eu-central-1" in rerun["msg"] and "run again to attach to it" in rerun["msg"]
    assert [image["image_id"] for image in emulator.images(region="eu-central-1")] == [first["images"][0]["image_id"]]
    emulator.permissions({})
    again = copy(emulator, source, destination_regions=["eu-central-1"], wait=False)
    assert (again["action"], again["images"][0]["image_id"]) == ("attached", first["images"][0]["image_id"])


def test_a_disk_change_whose_task_the_rerun_cannot_see_is_attached_to_by_the_disk(emulator):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 60})
    first = spec(emulator, disk, disk_category="cloud_essd", wait=False)
    emulator.permissions({"testid": {"deny": ["DescribeTasks"], "style": "empty"}})
    rerun = spec(emulator, disk, disk_category="cloud_essd")
    # Modifying is enough to attach; without its task the disk is what is waited on.
    assert (rerun["action"], rerun["task_id"], rerun["wait_status"]) == ("attached", None, "succeeded"), rerun["msg"]
    assert rerun["disk"]["category"] == "cloud_essd" and emulator.calls("ModifyDiskSpec") == 1
    assert [task["task_id"] for task in emulator.tasks()] == [first["task_id"]]


def test_a_disk_change_the_rerun_cannot_see_at_all_is_refused_by_the_service_not_made_twice(emulator, monkeypatch):
    disk = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 60})
    stale = look_up(emulator, disk_spec.SPEC, disk_id=disk, disk_category="cloud_essd")
    first = spec(emulator, disk, disk_category="cloud_essd", wait=False)
    # The worst case: the rerun's look-up still shows the disk as it was (not Modifying, no task listed).
    monkeypatch.setattr(disk_spec.SPEC, "find", lambda request, clients, deadline: stale)
    rerun = spec(emulator, disk, disk_category="cloud_essd")
    assert rerun["failed"] and rerun["error_code"] == "InvalidStatus.DiskNotReady", rerun["msg"]
    assert "wait for it with alicloud.ecs.ecs_disk_wait" in rerun["msg"]
    assert [task["task_id"] for task in emulator.tasks()] == [first["task_id"]]
