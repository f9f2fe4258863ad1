# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ImportImage, ExportImage, CopyImage and ModifyDiskSpec over real signed HTTP: their checks and
errors, DryRun, the actions control, and what each leaves behind."""

from __future__ import annotations

import json

import pytest

from tests.emulator.client import SignedClient

MAPPING = {"DiskDeviceMapping.1.OSSBucket": "src-bucket", "DiskDeviceMapping.1.OSSObject": "disk.qcow2",
           "DiskDeviceMapping.1.Format": "qcow2", "DiskDeviceMapping.1.DiskImageSize": "60"}


@pytest.fixture
def client(emulator):
    c = SignedClient(emulator.url)
    yield c
    c.close()


@pytest.fixture
def source(emulator):
    return emulator.put_object("src-bucket", "disk.qcow2", size=3 << 30)


def _error(answer, status, code):
    assert (answer.status, answer.code) == (status, code), answer


def _ok(answer):
    assert answer.status == 200, answer
    return answer.json


def _image(client, image_id, region="cn-hangzhou"):
    found = _ok(client.call("DescribeImages", {"ImageId": image_id, "Status": "ALL", "RegionId": region}))
    return (found["Images"]["Image"] or [None])[0]


def _disk(client, disk_id):
    return _ok(client.call("DescribeDisks", {"DiskIds": json.dumps([disk_id])}))["Disks"]["Disk"][0]


# -- ImportImage ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["v1", "v3"])
def test_import_image_starts_a_task_and_its_image(emulator, client, source, version):
    answer = _ok(client.call("ImportImage", dict(MAPPING, ImageName="imported-1", Architecture="arm64",
                                                 Platform="Ubuntu", Description="from a test"), version=version))
    assert set(answer) == {"RequestId", "RegionId", "ImageId", "TaskId"}
    task = emulator.task(answer["TaskId"])
    assert (task["action"], task["resource_id"], task["related_items"]) == ("ImportImage", answer["ImageId"], {"ImageId": answer["ImageId"]})
    image = _image(client, answer["ImageId"])
    assert (image["ImageName"], image["Status"], image["Size"], image["Architecture"], image["BootMode"]) == (
        "imported-1", "Creating", 60, "arm64", "UEFI")
    mapping = image["DiskDeviceMappings"]["DiskDeviceMapping"][0]
    assert (mapping["ImportOSSBucket"], mapping["ImportOSSObject"], mapping["Format"]) == ("src-bucket", "disk.qcow2", "QCOW2")
    emulator.advance(61)
    assert (_image(client, answer["ImageId"])["Status"], _image(client, answer["ImageId"])["Usable"]) == ("Available", True)


@pytest.mark.parametrize("params, status, code", [
    ({}, 403, "MissingParameter.DiskDeviceMapping"),
    ({"DiskDeviceMapping.1.OSSBucket": "src-bucket"}, 400, "MissingParameter"),
    (dict(MAPPING, **{"DiskDeviceMapping.1.OSSObject": "nothing.raw"}), 400, "InvalidOSSObject.NotFound"),
    (dict(MAPPING, **{"DiskDeviceMapping.1.OSSObject": "empty.raw"}), 400, "InvalidOSSObject.Size"),
    (dict(MAPPING, **{"DiskDeviceMapping.1.OSSBucket": "far-bucket"}), 400, "InvalidOSSBucket.NotFound"),
    (dict(MAPPING, **{"DiskDeviceMapping.1.OSSBucket": "No_Such"}), 400, "InvalidOSSBucket.Malformed"),
    (dict(MAPPING, **{"DiskDeviceMapping.1.Format": "iso"}), 400, "InvalidImageFormat.Malformed"),
    (dict(MAPPING, **{"DiskDeviceMapping.1.DiskImageSize": "4096"}), 400, "InvalidImageSize"),
    (dict(MAPPING, **{"DiskDeviceMapping.2.OSSBucket": "src-bucket", "DiskDeviceMapping.2.OSSObject": "disk.qcow2",
                      "DiskDeviceMapping.2.DiskImageSize": "0"}), 400, "InvalidDataDiskSize"),
    (dict(MAPPING, ImageName="1starts-with-digit"), 400, "InvalidImageName.Malformed"),
    (dict(MAPPING, ImageName="aliyun-name"), 400, "InvalidImageName.Malformed"),
    (dict(MAPPING, Description="http://x"), 400, "InvalidDescription.Malformed"),
    (dict(MAPPING, Architecture="mips"), 400, "InvalidArchitecture.Malformed"),
    (dict(MAPPING, LicenseType="Free"), 400, "InvalidLicenseType.NotSupported"),
    (dict(MAPPING, BootMode="Legacy"), 400, "InvalidBootMode.Malformed"),
    (dict(MAPPING, RegionId="mars-1"), 400, "InvalidRegionId.NotFound"),
])
def test_import_image_checks(emulator, client, source, params, status, code):
    emulator.put_object("src-bucket", "empty.raw", size=0)
    emulator.put_object("far-bucket", "disk.qcow2", region="cn-beijing")
    _error(client.call("ImportImage", params), status, code)
    assert emulator.tasks() == [] and emulator.images() == []


def test_import_image_refuses_a_name_in_use_and_the_provoked_role_error(emulator, client, source):
    _ok(client.call("ImportImage", dict(MAPPING, ImageName="taken")))
    _error(client.call("ImportImage", dict(MAPPING, ImageName="taken")), 400, "InvalidImageName.Duplicated")
    emulator.set_actions(ImportImage={"error_code": "NoSetRoletoECSServiceAcount"})
    answer = client.call("ImportImage", dict(MAPPING, ImageName="other"))
    _error(answer, 403, "NoSetRoletoECSServiceAcount")
    assert "ECS service account Have no right to access your OSS" in answer.json["Message"]
    _error(client.call("ImportImage", dict(MAPPING, ImageName="other", DryRun="true")), 403, "NoSetRoletoECSServiceAcount")
    emulator.set_actions(ImportImage={"error_code": ""})
    assert _ok(client.call("ImportImage", dict(MAPPING, ImageName="other")))["ImageId"]


def test_import_image_outcomes_from_the_actions_control(emulator, client, source):
    emulator.set_actions(ImportImage={"duration": 10, "usable_after": 20})
    late = _ok(client.call("ImportImage", MAPPING))
    emulator.set_actions(ImportImage={"outcome": "Failed", "error_code": "ImportImageFailed", "error_msg": "bad disk"})
    failed = _ok(client.call("ImportImage", MAPPING))
    emulator.set_actions(ImportImage={"outcome": "CreateFailed", "error_code": ""})
    broken = _ok(client.call("ImportImage", MAPPING))
    emulator.advance(11)
    assert (_image(client, late["ImageId"])["Status"], _image(client, late["ImageId"])["Usable"]) == ("Available", False)
    truth = emulator.task(failed["TaskId"])
    assert (truth["status"], truth["error_code"], truth["error_msg"]) == ("Failed", "ImportImageFailed", "bad disk")
    assert _image(client, failed["ImageId"])["Status"] == "CreateFailed"
    assert emulator.task(broken["TaskId"])["status"] == "Finished" and _image(client, broken["ImageId"])["Status"] == "CreateFailed"
    emulator.advance(20)
    assert _image(client, late["ImageId"])["Usable"] is True


# -- DryRun and statistics ---------------------------------------------------------------------------------
def test_dry_run_of_every_start_action_creates_nothing_and_counts_apart(emulator, client, source):
    image_id = emulator.create_images()[0]
    disk_id = emulator.create_disks(category="cloud_ssd")[0]
    calls = {
        "ImportImage": MAPPING,
        "ExportImage": {"ImageId": image_id, "OSSBucket": "out-bucket"},
        "CopyImage": {"ImageId": image_id, "DestinationRegionId": "cn-beijing"},
        "ModifyDiskSpec": {"DiskId": disk_id, "DiskCategory": "cloud_essd"},
    }
    for action, params in calls.items():
        _error(client.call(action, dict(params, DryRun="true"), version="v3"), 400, "DryRunOperation")
    assert (emulator.tasks(), len(emulator.images()), emulator.disk(disk_id)["status"]) == ([], 1, "In_use")
    stats = emulator.stats()
    assert stats["dry_runs"] == dict.fromkeys(calls, 1)
    assert not set(calls) & set(stats["calls"]) and not set(calls) & set(stats["calls_by_region"])
    for action, params in calls.items():
        _ok(client.call(action, dict(params, DryRun="false")))
    stats = emulator.stats()
    assert {a: stats["calls"][a] for a in calls} == dict.fromkeys(calls, 1)
    assert stats["calls_by_region"]["CopyImage"] == {"cn-hangzhou": 1}


def test_calls_by_region(emulator):
    clients = [SignedClient(emulator.url, region=r) for r in ("cn-hangzhou", "cn-beijing", "cn-beijing")]
    try:
        for c in clients:
            assert c.call("DescribeImages").status == 200
        clients[0].call("DescribeTasks")
        clients[0].call("DescribeTasks", {"RegionId": "mars-1"})
    finally:
        for c in clients:
            c.close()
    by_region = emulator.stats()["calls_by_region"]
    assert by_region["DescribeImages"] == {"cn-hangzhou": 1, "cn-beijing": 2}
    assert by_region["DescribeTasks"] == {"cn-hangzhou": 1, "mars-1": 1}


# -- ExportImage -----------------------------------------------------------------------------------------------
def test_export_image_objects_follow_the_action_settings(emulator, client):
    image_id = emulator.create_images(image_id="m-exportme")[0]
    emulator.set_actions(ExportImage={"duration": 30, "object_after": 20})
    answer = _ok(client.call("ExportImage", {"ImageId": image_id, "OSSBucket": "out-bucket", "OSSPrefix": "Nightly",
                                             "ImageFormat": "QCOW2"}))
    assert set(answer) == {"RequestId", "RegionId", "TaskId"}
    items = emulator.task(answer["TaskId"])["related_items"]
    assert items == {"OSSBucket": "out-bucket", "OSSObject": "Nightly_m-exportme_%s.qcow2" % answer["TaskId"],
                     "ImageFormat": "qcow2"}
    _error(client.call("ExportImage", {"ImageId": image_id, "OSSBucket": "out-bucket"}), 403, "ImageIsExporting")
    [obj] = emulator.objects("out-bucket")
    assert (obj["region"], obj["exists"]) == ("cn-hangzhou", False)
    emulator.advance(31)
    assert emulator.objects("out-bucket")[0]["exists"] is False
    emulator.advance(20)
    assert emulator.objects("out-bucket")[0]["exists"] is True
    emulator.set_actions(ExportImage={"object_missing": True})
    missing = _ok(client.call("ExportImage", {"ImageId": image_id, "OSSBucket": "out-bucket", "OSSPrefix": "Gone"}))
    emulator.advance(600)
    assert emulator.task(missing["TaskId"])["status"] == "Finished"
    assert [o["exists"] for o in emulator.objects("out-bucket") if o["task_id"] == missing["TaskId"]] == [False]


def test_export_of_an_image_with_data_disks_names_one_object_per_disk(emulator, client, source):
    mapping = dict(MAPPING, **{"DiskDeviceMapping.2.OSSBucket": "src-bucket", "DiskDeviceMapping.2.OSSObject": "disk.qcow2"})
    image_id = _ok(client.call("ImportImage", mapping))["ImageId"]
    emulator.advance(61)
    task_id = _ok(client.call("ExportImage", {"ImageId": image_id, "OSSBucket": "src-bucket"}))["TaskId"]
    attribute = _ok(client.call("DescribeTaskAttribute", {"TaskId": task_id}))
    names = [i["Name"] for i in attribute["OperationProgressSet"]["OperationProgress"][0]["RelatedItemSet"]["RelatedItem"]]
    assert names == ["OSSBucket", "OSSObject", "OSSObject", "ImageFormat"]
    sizes = sorted(o["size"] for o in emulator.objects("src-bucket") if o["task_id"] == task_id)
    assert sizes == [40 << 30, 60 << 30]


@pytest.mark.parametrize("params, status, code", [
    ({"ImageId": "m-nowhere", "OSSBucket": "out-bucket"}, 404, "InvalidImageId.NotFound"),
    ({"ImageId": "m-creating", "OSSBucket": "out-bucket"}, 400, "IncorrectImageStatus"),
    ({"ImageId": "m-ready", "OSSBucket": "far-bucket"}, 400, "InvalidOSSBucket.NotFound"),
    ({"ImageId": "m-ready", "OSSBucket": "out-bucket", "OSSPrefix": "no-dash"}, 400, "InvalidOSSPrefix.Malformed"),
    ({"ImageId": "m-ready", "OSSBucket": "out-bucket", "ImageFormat": "iso"}, 400, "InvalidImageFormat.Malformed"),
    ({"ImageId": "m-ready"}, 400, "MissingParameter"),
    ({"ImageId": "m-ready", "OSSBucket": "out-bucket", "RegionId": "cn-beijing"}, 404, "InvalidImageId.NotFound"),
])
def test_export_image_checks(emulator, client, params, status, code):
    emulator.create_images(image_id="m-ready")
    emulator.create_images(image_id="m-creating", duration=600)
    emulator.put_object("far-bucket", region="eu-central-1")
    _error(client.call("ExportImage", params), status, code)
    assert emulator.tasks() == []


# -- CopyImage ---------------------------------------------------------------------------------------------------
def test_copy_image_answers_the_new_image_only(emulator, client):
    source_id = emulator.create_images(image_name="golden")[0]
    emulator.set_actions(CopyImage={"duration": 100, "usable_after": 10})
    answer = _ok(client.call("CopyImage", {"ImageId": source_id, "DestinationRegionId": "eu-central-1",
                                           "DestinationImageName": "golden-eu", "DestinationDescription": "copied"}))
    assert set(answer) == {"RequestId", "ImageId"} and answer["ImageId"] != source_id
    assert emulator.tasks() == []  # a copy has no task
    copy = _image(client, answer["ImageId"], "eu-central-1")
    assert (copy["Status"], copy["ImageName"], copy["IsCopied"], copy["Description"]) == ("Creating", "golden-eu", True, "copied")
    assert _image(client, answer["ImageId"]) is None  # not in the source region
    emulator.advance(101)
    assert (_image(client, answer["ImageId"], "eu-central-1")["Status"], _image(client, answer["ImageId"], "eu-central-1")["Usable"]) == ("Available", False)
    emulator.advance(10)
    assert _image(client, answer["ImageId"], "eu-central-1")["Usable"] is True
    _error(client.call("CopyImage", {"ImageId": source_id, "DestinationRegionId": "eu-central-1",
                                     "DestinationImageName": "golden-eu"}), 400, "InvalidImageName.Duplicated")
    emulator.set_actions(CopyImage={"outcome": "Failed"})
    failed = _ok(client.call("CopyImage", {"ImageId": source_id, "DestinationRegionId": "us-west-1"}))
    emulator.advance(101)
    assert _image(client, failed["ImageId"], "us-west-1")["Status"] == "CreateFailed"


@pytest.mark.parametrize("params, status, code", [
    ({"ImageId": "m-src", "DestinationRegionId": "mars-1"}, 400, "DestinationRegion.NotFound"),
    ({"ImageId": "m-src"}, 400, "MissingParameter"),
    ({"ImageId": "m-gone", "DestinationRegionId": "cn-beijing"}, 404, "InvalidImageId.NotFound"),
    ({"ImageId": "m-busy", "DestinationRegionId": "cn-beijing"}, 400, "IncorrectImageStatus"),
    ({"ImageId": "m-src", "DestinationRegionId": "cn-beijing", "DestinationImageName": "x"}, 400, "InvalidImageName.Malformed"),
])
def test_copy_image_checks(emulator, client, params, status, code):
    emulator.create_images(image_id="m-src")
    emulator.create_images(image_id="m-busy", duration=600)
    _error(client.call("CopyImage", params), status, code)
    assert len(emulator.images()) == 2


# -- ModifyDiskSpec --------------------------------------------------------------------------------------------
def test_modify_disk_spec_category_change_has_a_task(emulator, client):
    disk_id = emulator.create_disks(category="cloud_efficiency", status="Available")[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 100, "settle_after": 40})
    answer = _ok(client.call("ModifyDiskSpec", {"DiskId": disk_id, "DiskCategory": "cloud_essd", "RegionId": None}))
    assert set(answer) == {"RequestId", "TaskId"}
    task = emulator.task(answer["TaskId"])
    assert (task["action"], task["resource_id"], task["region"]) == ("ModifyDiskSpec", disk_id, "cn-hangzhou")
    assert (_disk(client, disk_id)["Status"], _disk(client, disk_id)["Category"]) == ("Modifying", "cloud_efficiency")
    _error(client.call("ModifyDiskSpec", {"DiskId": disk_id, "DiskCategory": "cloud_ssd"}), 403, "InvalidStatus.DiskNotReady")
    emulator.advance(125)
    assert _disk(client, disk_id)["Status"] == "Modifying"
    emulator.advance(20)
    after = _disk(client, disk_id)
    assert (after["Status"], after["Category"], after["PerformanceLevel"]) == ("Available", "cloud_essd", "PL1")


def test_modify_disk_spec_level_alone_has_no_task(emulator, client):
    disk_id = emulator.create_disks()[0]
    emulator.set_actions(ModifyDiskSpec={"duration": 30})
    answer = _ok(client.call("ModifyDiskSpec", {"DiskId": disk_id, "PerformanceLevel": "PL3"}))
    assert set(answer) == {"RequestId"} and emulator.tasks() == []
    assert (_disk(client, disk_id)["Status"], _disk(client, disk_id)["PerformanceLevel"]) == ("Modifying", "PL1")
    emulator.advance(31)
    assert (_disk(client, disk_id)["Status"], _disk(client, disk_id)["PerformanceLevel"]) == ("In_use", "PL3")
    _error(client.call("ModifyDiskSpec", {"DiskId": disk_id, "PerformanceLevel": "PL3"}), 403,
           "NoChangeInDiskCategoryAndPerformanceLevel")


@pytest.mark.parametrize("params, status, code", [
    ({"DiskId": "d-none", "DiskCategory": "cloud_essd"}, 404, "InvalidDiskId.NotFound"),
    ({"DiskId": "d-ssd", "DiskCategory": "cloud_essd", "RegionId": "cn-beijing"}, 404, "InvalidDiskId.NotFound"),
    ({"DiskId": "d-ssd", "DiskCategory": "floppy"}, 400, "InvalidDiskCategory.ValueNotSupported"),
    ({"DiskId": "d-ssd", "DiskCategory": "cloud_essd", "PerformanceLevel": "PL9"}, 400, "InvalidPerformanceLevel.Malformed"),
    ({"DiskId": "d-ssd", "PerformanceLevel": "PL2"}, 400, "InvalidPerformanceLevelParam.Mismatch"),
    ({"DiskId": "d-ssd", "DiskCategory": "cloud_ssd"}, 403, "NoChangeInDiskCategoryAndPerformanceLevel"),
    ({"DiskId": "d-busy", "DiskCategory": "cloud_essd"}, 403, "InvalidStatus.DiskNotReady"),
    ({"DiskCategory": "cloud_essd"}, 400, "MissingParameter"),
])
def test_modify_disk_spec_checks(emulator, client, params, status, code):
    emulator.create_disks(disk_id="d-ssd", category="cloud_ssd")
    emulator.create_disks(disk_id="d-busy", status="ReIniting")
    _error(client.call("ModifyDiskSpec", dict({"RegionId": None}, **params)), status, code)
    assert emulator.tasks() == []


def test_modify_disk_spec_cooling_period_is_provoked(emulator, client):
    disk_id = emulator.create_disks(category="cloud_ssd")[0]
    emulator.set_actions(ModifyDiskSpec={"error_code": "DiskInCoolingPeriod"})
    answer = client.call("ModifyDiskSpec", {"DiskId": disk_id, "DiskCategory": "cloud_essd"})
    _error(answer, 403, "DiskInCoolingPeriod")
    assert answer.json["Message"] == "There is a cooling period after the disk is successfully modified."
    emulator.set_actions(ModifyDiskSpec={"error_code": "Throttling.ConcurrentLimitExceeded", "error_msg": "busy"})
    answer = client.call("ModifyDiskSpec", {"DiskId": disk_id, "DiskCategory": "cloud_essd"})
    assert (answer.status, answer.code, answer.json["Message"]) == (400, "Throttling.ConcurrentLimitExceeded", "busy")
    assert emulator.tasks() == [] and _disk(client, disk_id)["Category"] == "cloud_ssd"
