# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ImageService, DiskService and Session.client_for against the emulator, over real signed HTTP.

Uses the ``emulator`` fixture of tests/conftest.py (the session emulator, reset before each test). Call counts
come from the emulator's own stats (``calls``, ``calls_by_region``, ``access_keys``).
"""
from __future__ import annotations

import json
import time

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, StaticCredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.records import disk_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.service import DiskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import image_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.service import ImageService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import KNOWN_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.options import COMMON_ARGUMENT_SPEC
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Session
from tests.standins.sts import StsStandin

HANGZHOU = "cn-hangzhou"


def client(emulator, region=HANGZHOU, signature_version="v1"):
    provider = StaticCredentialsProvider(Credentials("testid", "testsecret", source="test"))
    return EcsClient(region, provider, endpoint=emulator.url, signature_version=signature_version)


def session_params(emulator, **overrides):
    values = {name: spec.get("default") for name, spec in COMMON_ARGUMENT_SPEC.items()}
    values.update(region=HANGZHOU, endpoint=emulator.url)
    values.update(overrides)
    return values


# ---------------------------------------------------------------- images

@pytest.mark.parametrize("signature_version", ["v1", "v3"])
def test_250_images_in_one_region_take_3_calls_and_every_status_is_found(emulator, signature_version):
    ids = emulator.create_images(region=HANGZHOU, count=244, status="Available")
    # One image in each other status: DescribeImages' default (Available only) would hide them.
    for status in ("Creating", "Waiting"):
        ids += emulator.create_images(region=HANGZHOU, status=status, duration=3600)
    for status in ("UnAvailable", "CreateFailed", "Deprecated"):
        ids += emulator.create_images(region=HANGZHOU, status=status)
    ids += emulator.create_images(region=HANGZHOU, status="Available", usable_after=3600)
    assert len(ids) == 250
    service = ImageService(client(emulator, signature_version=signature_version))
    before = emulator.calls("DescribeImages")
    batch = service.describe(list(reversed(ids)) + ["m-doesnotexist0001", ids[0]])
    assert emulator.calls("DescribeImages") - before == 3 == service.requests
    assert list(batch.found) == list(reversed(ids))
    assert batch.missing == ["m-doesnotexist0001"] and batch.errors == {}
    records = dict((image_id, image_record(raw, service.region)) for image_id, raw in batch.found.items())
    assert set(record["status"] for record in records.values()) == set(KNOWN_STATES)
    creating = records[ids[244]]
    assert creating["status"] == "Creating" and 0 <= creating["progress"] < 100 and creating["usable"] is False
    not_yet_usable = records[ids[-1]]
    assert not_yet_usable["status"] == "Available" and not_yet_usable["usable"] is False
    assert records[ids[0]] == dict(records[ids[0]], region=HANGZHOU, status="Available", progress=100, usable=True,
                                   image_id=ids[0], image_name=ids[0], size=40)
    assert records[ids[0]]["creation_time"].endswith("Z")


def test_images_in_3_regions_take_one_call_per_region_through_one_session(emulator):
    regions = ("cn-hangzhou", "eu-central-1", "ap-southeast-1")
    by_region = dict((region, emulator.create_images(region=region, count=30, status="Available")) for region in regions)
    session = Session(session_params(emulator, access_key="testid", secret_key="testsecret"), {})
    try:
        found = {}
        for region in regions:
            # An id of another region is not listed here: it is missing, not an error.
            other = by_region[regions[(regions.index(region) + 1) % 3]][0]
            batch = ImageService(session.client_for(region)).describe(by_region[region] + [other])
            assert batch.missing == [other]
            found.update(batch.found)
        assert emulator.stats()["calls_by_region"]["DescribeImages"] == dict.fromkeys(regions, 1)
        assert len(found) == 90
    finally:
        session.close()


def test_find_by_name_matches_the_whole_name_in_every_status_and_pages(emulator):
    exact = emulator.create_images(region=HANGZHOU, image_name="web", status="Creating", duration=3600)
    exact += emulator.create_images(region=HANGZHOU, image_name="web", status="CreateFailed")
    for name in ("web-2", "my-web", "webx"):
        emulator.create_images(region=HANGZHOU, image_name=name, status="Available")
    emulator.create_images(region="cn-beijing", image_name="web", status="Available")
    service = ImageService(client(emulator), page_size=2)
    before = emulator.calls("DescribeImages")
    found = service.find_by_name("web")
    # Five names contain "web" in this region: three pages of two.
    assert emulator.calls("DescribeImages") - before == 3
    assert sorted(image["ImageId"] for image in found) == sorted(exact)
    assert service.find_by_name("nothing-named-so") == []


# ---------------------------------------------------------------- disks

def test_250_disks_take_3_calls_with_the_ids_as_a_json_array(emulator):
    ids = emulator.create_disks(region="cn-shanghai", count=200, category="cloud_essd", performance_level="PL2")
    ids += emulator.create_disks(region="cn-shanghai", count=50, category="cloud_efficiency", status="Available")
    service = DiskService(client(emulator, region="cn-shanghai"))
    before = emulator.calls("DescribeDisks")
    batch = service.describe(ids + ["d-doesnotexist0001"])
    assert emulator.calls("DescribeDisks") - before == 3
    assert list(batch.found) == ids and batch.missing == ["d-doesnotexist0001"]
    essd = disk_record(batch.found[ids[0]], service.region)
    assert essd == dict(essd, disk_id=ids[0], region="cn-shanghai", category="cloud_essd", performance_level="PL2",
                        status="In_use", size=40)
    assert essd["instance_id"] and essd["zone_id"].startswith("cn-shanghai")
    efficiency = disk_record(batch.found[ids[-1]], service.region)
    assert (efficiency["category"], efficiency["performance_level"], efficiency["status"], efficiency["instance_id"]) == (
        "cloud_efficiency", None, "Available", None)


def test_disks_page_when_the_answer_pages(emulator):
    ids = emulator.create_disks(region="cn-shanghai", count=25, category="cloud_ssd")
    service = DiskService(client(emulator, region="cn-shanghai"), page_size=10)
    before = emulator.calls("DescribeDisks")
    batch = service.describe(ids)
    assert emulator.calls("DescribeDisks") - before == 3 == service.requests
    assert sorted(batch.found) == sorted(ids) and batch.missing == []


def test_a_passed_deadline_stops_the_listing_before_any_call(emulator):
    ids = emulator.create_disks(region="cn-shanghai", count=3)
    service = DiskService(client(emulator, region="cn-shanghai"))
    before = emulator.calls("DescribeDisks")
    with pytest.raises(ApiError) as caught:
        service.describe(ids, Deadline(time.monotonic() - 5.0))
    assert caught.value.code == "DeadlineExceeded" and emulator.calls("DescribeDisks") == before


def test_a_disk_being_converted_reports_modifying_and_its_old_category(emulator):
    [disk_id] = emulator.create_disks(region=HANGZHOU, category="cloud_efficiency")
    emulator.create_tasks(region=HANGZHOU, action="ModifyDiskSpec", resource_id=disk_id, duration=3600,
                          product={"category": "cloud_essd", "performance_level": "PL1"})
    record = disk_record(DiskService(client(emulator)).describe([disk_id]).found[disk_id], HANGZHOU)
    assert (record["status"], record["category"]) == ("Modifying", "cloud_efficiency")


# ---------------------------------------------------------------- one session, every region

ISSUED = {"AccessKeyId": "STS.NUproducts0001", "AccessKeySecret": "issued-products-secret",
          "SecurityToken": "issued-products-token"}


def test_two_regions_clients_share_one_sts_assume_role(emulator, tmp_path):
    emulator.add_key(ISSUED["AccessKeyId"], ISSUED["AccessKeySecret"], ISSUED["SecurityToken"])
    config = tmp_path / ".aliyun" / "config.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"current": "deploy", "profiles": [{
        "name": "deploy", "mode": "RamRoleArn", "access_key_id": "LTAI5tProducts0001", "access_key_secret": "base-secret",
        "ram_role_arn": "acs:ram::1234567890:role/deployer", "ram_session_name": "products"}]}))
    hangzhou_image = emulator.create_images(region=HANGZHOU, status="Available")
    beijing_disk = emulator.create_disks(region="cn-beijing")
    with StsStandin({"LTAI5tProducts0001": ("base-secret", None)}, issued=ISSUED) as sts:
        env = {"HOME": str(tmp_path), "ALIBABA_CLOUD_STS_ENDPOINT": sts.url, "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
        session = Session(session_params(emulator), env)
        try:
            assert list(ImageService(session.client).describe(hangzhou_image).found) == hangzhou_image
            assert list(DiskService(session.client_for("cn-beijing")).describe(beijing_disk).found) == beijing_disk
            assert ImageService(session.client_for("cn-beijing")).describe(hangzhou_image).missing == hangzhou_image
        finally:
            session.close()
        assert len(sts.calls) == 1
    stats = emulator.stats()
    assert stats["access_keys"] == {ISSUED["AccessKeyId"]: 3}
    assert stats["calls_by_region"] == {"DescribeImages": {HANGZHOU: 1, "cn-beijing": 1}, "DescribeDisks": {"cn-beijing": 1}}
    assert {ISSUED["AccessKeySecret"], ISSUED["SecurityToken"]} <= session.secrets()
