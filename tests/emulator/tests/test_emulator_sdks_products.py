# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official ECS SDKs as oracles of the 0.3 actions: they call DescribeImages, DescribeDisks and
the start actions on the emulator, parse its answers into their models and its errors into their
exceptions.

- alibabacloud-ecs20140526 (tea): V3 by default, V1 with signature_algorithm="v2";
- aliyun-python-sdk-core + aliyun-python-sdk-ecs: V1, generated requests.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("aliyunsdkcore")
pytest.importorskip("aliyunsdkecs")
pytest.importorskip("alibabacloud_ecs20140526")

from aliyunsdkcore.acs_exception.exceptions import ServerException  # noqa: E402
from aliyunsdkecs.request.v20140526.CopyImageRequest import CopyImageRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.DescribeDisksRequest import DescribeDisksRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.DescribeImagesRequest import DescribeImagesRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.ExportImageRequest import ExportImageRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.ImportImageRequest import ImportImageRequest  # noqa: E402
from aliyunsdkecs.request.v20140526.ModifyDiskSpecRequest import ModifyDiskSpecRequest  # noqa: E402
from alibabacloud_ecs20140526 import models as tea  # noqa: E402
from alibabacloud_tea_openapi.exceptions import ClientException as TeaClientException  # noqa: E402
from darabonba.runtime import RuntimeOptions  # noqa: E402

from tests.emulator.tests.test_emulator_sdks import _old, _old_client, _tea_client  # noqa: E402

NO_RETRY = RuntimeOptions(autoretry=False)


pytestmark = pytest.mark.usefixtures("no_proxy")


@pytest.fixture
def world(emulator):
    emulator.put_object("sdk-source", "disk.raw", size=2 << 30)
    return {
        "ready": emulator.create_images(image_name="ready-image")[0],
        "creating": emulator.create_images(image_name="creating-image", duration=600, usable_after=60)[0],
        "disk": emulator.create_disks(category="cloud_efficiency", status="Available")[0],
        "essd": emulator.create_disks(performance_level="PL0")[0],
    }


# -- tea --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", [None, "v2"], ids=["v3-default", "v1-signature-algorithm-v2"])
def test_tea_sdk_reads_images_and_disks(emulator, world, algorithm):
    client = _tea_client(emulator, algorithm)
    listed = client.describe_images_with_options(tea.DescribeImagesRequest(
        region_id="cn-hangzhou", image_id="%s,%s" % (world["ready"], world["creating"]),
        status="Creating,Available", page_size=100), NO_RETRY).body
    assert listed.total_count == 2 and listed.page_size == 100
    images = {i.image_id: i for i in listed.images.image}
    ready, creating = images[world["ready"]], images[world["creating"]]
    assert (ready.status, ready.usable, ready.progress, ready.size, ready.image_name) == ("Available", True, "100%", 40, "ready-image")
    assert (creating.status, creating.usable) == ("Creating", False) and creating.progress.endswith("%")
    assert ready.disk_device_mappings.disk_device_mapping[0].size == "40"
    only_available = client.describe_images(tea.DescribeImagesRequest(region_id="cn-hangzhou")).body
    assert [i.image_id for i in only_available.images.image] == [world["ready"]]

    disks = client.describe_disks_with_options(tea.DescribeDisksRequest(
        region_id="cn-hangzhou", disk_ids=json.dumps([world["disk"], world["essd"]])), NO_RETRY).body
    parsed = {d.disk_id: d for d in disks.disks.disk}
    assert disks.total_count == 2
    assert (parsed[world["disk"]].category, parsed[world["disk"]].performance_level, parsed[world["disk"]].status) == (
        "cloud_efficiency", "", "Available")
    assert (parsed[world["essd"]].category, parsed[world["essd"]].performance_level, parsed[world["essd"]].size) == ("cloud_essd", "PL0", 40)


@pytest.mark.parametrize("algorithm", [None, "v2"], ids=["v3-default", "v1-signature-algorithm-v2"])
def test_tea_sdk_start_actions(emulator, world, algorithm):
    client = _tea_client(emulator, algorithm)
    imported = client.import_image_with_options(tea.ImportImageRequest(
        region_id="cn-hangzhou", image_name="tea-import", architecture="x86_64", platform="Ubuntu",
        disk_device_mapping=[tea.ImportImageRequestDiskDeviceMapping(ossbucket="sdk-source", ossobject="disk.raw",
                                                                     format="RAW", disk_image_size=50)]), NO_RETRY).body
    assert imported.image_id.startswith("m-") and imported.task_id and imported.region_id == "cn-hangzhou"
    assert emulator.image(imported.image_id)["image_name"] == "tea-import"

    exported = client.export_image_with_options(tea.ExportImageRequest(
        region_id="cn-hangzhou", image_id=world["ready"], ossbucket="sdk-out", ossprefix="Tea", image_format="vhd"), NO_RETRY).body
    assert emulator.task(exported.task_id)["related_items"]["OSSObject"].startswith("Tea_%s_" % world["ready"])

    copied = client.copy_image_with_options(tea.CopyImageRequest(
        region_id="cn-hangzhou", image_id=world["ready"], destination_region_id="ap-southeast-1",
        destination_image_name="tea-copy"), NO_RETRY).body
    assert copied.image_id.startswith("m-") and emulator.image(copied.image_id)["region"] == "ap-southeast-1"

    converted = client.modify_disk_spec_with_options(tea.ModifyDiskSpecRequest(
        disk_id=world["disk"], disk_category="cloud_essd", performance_level="PL2"), NO_RETRY).body
    assert converted.task_id and converted.order_id is None
    level_only = client.modify_disk_spec_with_options(tea.ModifyDiskSpecRequest(
        disk_id=world["essd"], performance_level="PL3"), NO_RETRY).body
    assert level_only.task_id is None and level_only.request_id


def test_tea_sdk_errors_and_dry_run(emulator, world):
    client = _tea_client(emulator)
    with pytest.raises(TeaClientException) as caught:
        client.export_image_with_options(tea.ExportImageRequest(region_id="cn-hangzhou", image_id="m-missing",
                                                                ossbucket="sdk-out"), NO_RETRY)
    assert (caught.value.code, caught.value.status_code) == ("InvalidImageId.NotFound", 404)
    with pytest.raises(TeaClientException) as caught:
        client.copy_image_with_options(tea.CopyImageRequest(region_id="cn-hangzhou", image_id=world["ready"],
                                                            destination_region_id="cn-beijing", dry_run=True), NO_RETRY)
    assert (caught.value.code, caught.value.status_code) == ("DryRunOperation", 400)
    with pytest.raises(TeaClientException) as caught:
        client.modify_disk_spec_with_options(tea.ModifyDiskSpecRequest(disk_id="d-missing", disk_category="cloud_essd"), NO_RETRY)
    assert (caught.value.code, caught.value.status_code) == ("InvalidDiskId.NotFound", 404)
    with pytest.raises(TeaClientException) as caught:
        client.import_image_with_options(tea.ImportImageRequest(
            region_id="cn-hangzhou", disk_device_mapping=[tea.ImportImageRequestDiskDeviceMapping(
                ossbucket="sdk-source", ossobject="not-there.raw")]), NO_RETRY)
    assert caught.value.code == "InvalidOSSObject.NotFound"
    assert emulator.stats()["dry_runs"] == {"CopyImage": 1}


# -- core SDK (V1) --------------------------------------------------------------------------------------------
def _do(client, emulator, request):
    return json.loads(client.do_action_with_exception(_old(request, emulator)))


def test_core_sdk_reads_and_starts(emulator, world):
    client = _old_client(emulator)
    images = DescribeImagesRequest()
    images.set_Status("ALL")
    images.set_ImageName("image")
    images.set_PageSize(10)
    listed = _do(client, emulator, images)
    assert listed["TotalCount"] == 2 and {i["Status"] for i in listed["Images"]["Image"]} == {"Available", "Creating"}

    disks = DescribeDisksRequest()
    disks.set_DiskIds(json.dumps([world["disk"]]))
    assert _do(client, emulator, disks)["Disks"]["Disk"][0]["Category"] == "cloud_efficiency"

    imported = ImportImageRequest()
    imported.set_ImageName("core-import")
    imported.set_DiskDeviceMappings([{"OSSBucket": "sdk-source", "OSSObject": "disk.raw", "Format": "RAW", "DiskImageSize": 60}])
    answer = _do(client, emulator, imported)
    assert answer["ImageId"] and answer["TaskId"]
    assert emulator.image(answer["ImageId"])["size"] == 60

    exported = ExportImageRequest()
    exported.set_ImageId(world["ready"])
    exported.set_OSSBucket("core-out")
    assert _do(client, emulator, exported)["TaskId"]

    copied = CopyImageRequest()
    copied.set_ImageId(world["ready"])
    copied.set_DestinationRegionId("cn-shenzhen")
    copied.set_DestinationImageName("core-copy")
    assert set(_do(client, emulator, copied)) == {"RequestId", "ImageId"}

    converted = ModifyDiskSpecRequest()
    converted.set_DiskId(world["disk"])
    converted.set_DiskCategory("cloud_ssd")
    assert _do(client, emulator, converted)["TaskId"]

    dry = ModifyDiskSpecRequest()
    dry.set_DiskId(world["essd"])
    dry.set_PerformanceLevel("PL1")
    dry.set_DryRun(True)
    with pytest.raises(ServerException) as caught:
        client.do_action_with_exception(_old(dry, emulator))
    assert (caught.value.get_error_code(), caught.value.get_http_status()) == ("DryRunOperation", 400)

    busy = ExportImageRequest()
    busy.set_ImageId(world["ready"])
    busy.set_OSSBucket("core-out")
    with pytest.raises(ServerException) as caught:
        client.do_action_with_exception(_old(busy, emulator))
    assert (caught.value.get_error_code(), caught.value.get_http_status()) == ("ImageIsExporting", 403)
    stats = emulator.stats()
    assert stats["calls_by_region"]["ModifyDiskSpec"] == {"cn-hangzhou": 1}
    assert stats["dry_runs"] == {"ModifyDiskSpec": 1}
