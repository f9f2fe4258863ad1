# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Images, disks, OSS objects, product links, parameters and OSS signing pieces, without HTTP."""

from __future__ import annotations

import types

import pytest

from tests.emulator import disks, images, objects, oss_signing, params, products
from tests.emulator.errors import ApiError
from tests.emulator.state import Task


def _task(action="ImportImage", duration=100.0, outcome="Finished", wait=0.0, related_items=()):
    return Task("t-1", "cn-hangzhou", action, created=1000.0, wait=wait, duration=duration, outcome=outcome,
                related_items=related_items, resource_id="r-1")


def test_an_image_follows_its_task():
    image = images.Image("m-1", "cn-hangzhou", 1000.0)
    image.follow(_task(wait=10), usable_after=5)
    assert image.phase(1005)[0] == "Waiting"
    status, progress, settled = image.phase(1060)
    assert (status, settled) == ("Creating", None) and 40 <= progress <= 60
    assert image.phase(1110) == ("Available", 100, 1110.0)
    assert (image.usable(1114), image.usable(1115), image.usable_at(1200)) == (False, True, 1115.0)
    failed = images.Image("m-2", "cn-hangzhou", 1000.0)
    failed.follow(_task(outcome="Failed"))
    assert failed.phase(2000)[0] == "CreateFailed" and failed.usable_at(2000) is None
    cancelled = images.Image("m-3", "cn-hangzhou", 1000.0)
    task = _task()
    cancelled.follow(task)
    task.cancelled_at = 1010.0
    assert cancelled.phase(1020) == (None, 0, None) and not cancelled.exists(1020)


def test_an_image_on_its_own_timeline():
    image = images.Image("m-1", "cn-hangzhou", 1000.0, status="Creating", duration=100, outcome="UnAvailable",
                         progress_curve="slow_start")
    assert image.phase(1050) == ("Creating", 25, None)
    assert image.phase(1100) == ("UnAvailable", 100, 1100.0) and not image.usable(5000)
    assert images.Image("m-2", "r", 1000.0, status="Deprecated").phase(1000) == ("Deprecated", 100, 1000.0)
    instant = images.Image("m-3", "r", 1000.0, status="Creating", duration=0)
    assert instant.phase(1000)[0] == "Available"


def test_a_disk_change_and_a_failed_one():
    disk = disks.Disk("d-1", "cn-hangzhou", 1000.0, category="cloud_ssd", status="Available")
    assert disk.performance_level == ""
    disk.add_change(disks.DiskChange(1010.0, "cloud_essd", "PL2", settle_after=20, ends=1050.0))
    assert disk.view(1005) == ("cloud_ssd", "", "Available")
    assert disk.view(1060) == ("cloud_ssd", "", "Modifying")
    assert disk.view(1070) == ("cloud_essd", "PL2", "Available")
    failing = _task("ModifyDiskSpec", duration=10, outcome="Failed")
    disk.add_change(disks.DiskChange(failing.started, "cloud_auto", "", task=failing))
    assert disk.view(1080) == ("cloud_essd", "PL2", "Available")  # failed: the old category stays
    assert disks.level_for("cloud_essd", "") == "PL1" and disks.level_for("cloud_auto", "PL3") == ""


def test_objects_appear_replace_and_go():
    store = objects.ObjectStore()
    store.ensure_bucket("bkt", "cn-hangzhou")
    assert store.ensure_bucket("bkt", "cn-beijing").region == "cn-hangzhou"  # a bucket keeps its region
    store.add(objects.OssObject("bkt", "k", 5, 1000.0))
    task = _task("ExportImage", duration=10)
    store.add(objects.OssObject("bkt", "k", 9, 1000.0, task=task, object_after=30))
    assert store.current("bkt", "k", 1020).size == 5
    assert store.current("bkt", "k", 1040).size == 9  # the export's object replaced it
    assert store.delete("bkt", "k") and store.current("bkt", "k", 1040) is None
    assert objects.valid_bucket("my-bucket-1") and not objects.valid_bucket("-x-") and not objects.valid_bucket("ab")
    assert objects.valid_key("a/b c") and not objects.valid_key("/a") and not objects.valid_key("é" * 600)


def test_export_targets_read_related_items_and_operations():
    task = _task("ExportImage", related_items=[("OSSBucket", "b1"), ("OSSObject", "k1"), ("OSSObject", "k2")])
    assert products.export_targets(task) == [("b1", "k1"), ("b1", "k2")]
    # Tasks with `operations` (one related-item set per disk) name each set's objects too.
    with_operations = types.SimpleNamespace(related_items=task.related_items, operations=[
        {"OSSBucket": "b2", "OSSObject": "k3"}, [("OSSBucket", "b1"), ("OSSObject", "k1")]])
    assert products.export_targets(with_operations) == [("b1", "k1"), ("b1", "k2"), ("b2", "k3")]


def test_indexed_parameters_and_flags():
    found = params.indexed({"M.1.A": "x", "M.2.B": "y", "M.18.A": "z", "M.x.A": "w", "Other": "v"}, "M", 1, 17)
    assert found == {1: {"A": "x"}, 2: {"B": "y"}}
    assert params.flag({"F": "TRUE"}, "F") is True and params.flag({}, "F", None) is None
    with pytest.raises(ApiError) as caught:
        params.flag({"F": "yes"}, "F")
    assert caught.value.code == "InvalidParameter"
    with pytest.raises(ApiError) as caught:
        params.int_param({"S": "9"}, "S", 1, 1, 5, code="InvalidImageSize")
    assert caught.value.code == "InvalidImageSize"


@pytest.mark.parametrize("value", [
    "OSS4-HMAC-SHA256 Credential=ak/20260101/cn-hangzhou/oss,Signature=ab",
    "OSS4-HMAC-SHA256 Credential=ak/20260101/cn-hangzhou/oss/aliyun_v4_request",
    "OSS4-HMAC-SHA256 Credential=ak/20260101//oss/aliyun_v4_request,Signature=ab",
    "OSS4-HMAC-SHA256 garbage",
    "AWS4-HMAC-SHA256 Credential=ak/20260101/us-east-1/s3/aws4_request,Signature=ab",
])
def test_malformed_v4_authorizations(value):
    assert oss_signing.parse_v4_authorization(value) is None


def test_v4_authorization_parts_and_v1():
    parsed = oss_signing.parse_v4_authorization(
        "OSS4-HMAC-SHA256 Credential=ak/20260101/cn-hangzhou/oss/aliyun_v4_request, AdditionalHeaders=Host;x-y, Signature=AB")
    assert (parsed["key_id"], parsed["region"], parsed["additional"], parsed["signature"]) == ("ak", "cn-hangzhou", ["host", "x-y"], "AB")
    assert oss_signing.parse_v1_authorization("OSS ak:sig=") == ("ak", "sig=")
    assert oss_signing.parse_v1_authorization("OSS ak") is None
    assert oss_signing.v1_resource("b", "k", [("acl", ""), ("other", "1"), ("response-content-type", "a/b")]) == \
        "/b/k?acl&response-content-type=a/b"
    assert oss_signing.v4_canonical_uri("b", "a b/é+~") == "/b/a%20b/%C3%A9%2B~"
    assert oss_signing.v4_canonical_query([("b", "2"), ("a", ""), ("c d", "x/y")]) == "a&b=2&c%20d=x%2Fy"
