# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Images, disks and OSS objects over real HTTP: their control API, DescribeImages / DescribeDisks,
and what tasks produce (the image an import makes, an export's objects, a disk conversion)."""

from __future__ import annotations

import json

import pytest

from tests.emulator.client import SignedClient
from tests.emulator.harness import EmulatorError


@pytest.fixture
def client(emulator):
    c = SignedClient(emulator.url)
    yield c
    c.close()


def _error(answer, status, code):
    assert (answer.status, answer.code) == (status, code), answer


def _images(client, version="v1", **params):
    answer = client.call("DescribeImages", params, version=version)
    assert answer.status == 200, answer
    return answer.json


def _image(client, image_id, region="cn-hangzhou"):
    found = _images(client, ImageId=image_id, Status="ALL", RegionId=region)["Images"]["Image"]
    return found[0] if found else None


def _disk(client, disk_id, region="cn-hangzhou"):
    answer = client.call("DescribeDisks", {"DiskIds": json.dumps([disk_id]), "RegionId": region})
    assert answer.status == 200, answer
    found = answer.json["Disks"]["Disk"]
    return found[0] if found else None


# -- control API ----------------------------------------------------------------------------------
def test_images_control_defaults_and_true_state(emulator):
    ready, creating = emulator.create_images(), emulator.create_images(image_name="web", duration=600)[0]
    assert len(ready) == 1 and ready[0].startswith("m-")
    truth = {i["image_id"]: i for i in emulator.images()}
    assert (truth[ready[0]]["status"], truth[ready[0]]["progress"], truth[ready[0]]["usable"]) == ("Available", 100, True)
    assert (truth[creating]["status"], truth[creating]["image_name"], truth[creating]["usable"]) == ("Creating", "web", False)
    chosen = emulator.create_images(image_id="m-chosen000000000001", region="eu-central-1", status="Deprecated")
    assert chosen == ["m-chosen000000000001"]
    assert emulator.image(chosen[0])["status"] == "Deprecated" and emulator.images(region="eu-central-1")[0]["region"] == "eu-central-1"
    assert len(emulator.create_images(count=3)) == 3


@pytest.mark.parametrize("body, fragment", [
    ({"colour": "red"}, "unknown field(s): colour"),
    ({"status": "Sleeping"}, "status must be one of"),
    ({"status": "Available", "duration": 5}, "duration applies to a Creating or Waiting image"),
    ({"outcome": "Finished"}, "outcome must be one of Available, CreateFailed, UnAvailable"),
    ({"progress_curve": "steep"}, "progress_curve must be one of linear"),
    ({"image_id": "m-x", "count": 2}, "count must be 1"),
    ({"region": "mars-1"}, "unknown region"),
    ({"usable_after": -1}, "usable_after must be a number"),
])
def test_images_control_refuses_bad_bodies(emulator, body, fragment):
    with pytest.raises(EmulatorError) as caught:
        emulator.create_images(**body)
    assert "400" in str(caught.value) and fragment in str(caught.value)


def test_image_ids_are_unique(emulator):
    emulator.create_images(image_id="m-once")
    with pytest.raises(EmulatorError, match="exists already"):
        emulator.create_images(image_id="m-once")


def test_image_timeline_curve_and_usable_after(emulator, client):
    image_id = emulator.create_images(duration=600, usable_after=300, progress_curve="plateau")[0]
    start = _image(client, image_id)
    assert (start["Status"], start["Usable"]) == ("Creating", False) and start["Progress"].endswith("%")
    emulator.advance(300)
    assert _image(client, image_id)["Progress"] == "80%"  # on the plateau
    emulator.advance(310)
    done = _image(client, image_id)
    assert (done["Status"], done["Progress"], done["Usable"]) == ("Available", "100%", False)
    emulator.advance(300)
    assert _image(client, image_id)["Usable"] is True
    assert emulator.image(image_id)["usable"] is True


def test_waiting_image_and_failed_outcome(emulator, client):
    waiting = emulator.create_images(status="Waiting", duration=100, outcome="CreateFailed")[0]
    assert _image(client, waiting)["Status"] == "Waiting"
    emulator.advance(101)
    failed = _image(client, waiting)
    assert (failed["Status"], failed["Usable"]) == ("CreateFailed", False)


def test_disks_control(emulator):
    essd, ssd = emulator.create_disks()[0], emulator.create_disks(category="cloud_ssd", status="Available")[0]
    truth = {d["disk_id"]: d for d in emulator.disks()}
    assert (truth[essd]["category"], truth[essd]["performance_level"], truth[essd]["status"]) == ("cloud_essd", "PL1", "In_use")
    assert (truth[ssd]["category"], truth[ssd]["performance_level"], truth[ssd]["status"]) == ("cloud_ssd", "", "Available")
    assert emulator.create_disks(disk_id="d-mine", performance_level="PL3") == ["d-mine"]
    assert emulator.disk("d-mine")["performance_level"] == "PL3"
    for body, fragment in (({"category": "cloud_ssd", "performance_level": "PL2"}, "cloud_essd disks only"),
                           ({"category": "floppy"}, "category must be one of"), ({"size": 40}, "unknown field")):
        with pytest.raises(EmulatorError, match=fragment):
            emulator.create_disks(**body)


def test_oss_control(emulator):
    made = emulator.put_object("ctl-bucket", "a/b,c.raw", size=7, region="cn-beijing")
    assert (made["bucket"], made["key"], made["size"], made["region"], made["exists"]) == ("ctl-bucket", "a/b,c.raw", 7, "cn-beijing", True)
    assert made["etag"].startswith('"') and made["task_id"] is None
    assert emulator.put_object("ctl-bucket", deny=["someone"]) == {"bucket": "ctl-bucket", "region": "cn-beijing", "deny": ["someone"]}
    assert [(o["key"], o["size"]) for o in emulator.objects("ctl-bucket")] == [("a/b,c.raw", 7)]
    with pytest.raises(EmulatorError, match="is in cn-beijing already"):
        emulator.put_object("ctl-bucket", "x", region="cn-shanghai")
    for bucket, key, fragment in (("UP", "k", "bucket must be 3-63"), ("ok-bucket", "/abs", "key must be")):
        with pytest.raises(EmulatorError, match=fragment):
            emulator.put_object(bucket, key)
    assert emulator.delete_object("ctl-bucket", "a/b,c.raw") is True
    assert emulator.delete_object("ctl-bucket", "a/b,c.raw") is False
    assert emulator.objects("ctl-bucket") == []


def test_actions_control_merges_per_action(emulator):
    assert emulator.set_actions(ImportImage={"duration": 30}) == {"ImportImage": {"duration": 30.0}}
    now = emulator.set_actions(ImportImage={"error_code": "NoSetRoletoECSServiceAcount"}, CopyImage={"outcome": "UnAvailable"})
    assert now == {"ImportImage": {"duration": 30.0, "error_code": "NoSetRoletoECSServiceAcount"},
                   "CopyImage": {"outcome": "UnAvailable"}}
    for body, fragment in (({"RunInstances": {}}, "unknown action"), ({"ExportImage": {"speed": 1}}, "unknown field"),
                           ({"ExportImage": {"outcome": "UnAvailable"}}, "outcome must be one of Finished, Failed"),
                           ({"ModifyDiskSpec": {"object_missing": "yes"}}, "true or false")):
        with pytest.raises(EmulatorError, match=fragment):
            emulator.set_actions(**body)
    emulator.reset()
    assert emulator.set_actions() == {}


# -- DescribeImages ---------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["v1", "v3"])
def test_describe_images_default_status_is_available_only(emulator, client, version):
    ready = emulator.create_images(image_name="ready-one")[0]
    creating = emulator.create_images(image_name="creating-one", duration=600)[0]
    failed = emulator.create_images(status="CreateFailed")[0]
    default = _images(client, version)
    assert [i["ImageId"] for i in default["Images"]["Image"]] == [ready] and default["TotalCount"] == 1
    two = _images(client, version, Status="Creating,Available")["Images"]["Image"]
    assert {i["ImageId"] for i in two} == {ready, creating}
    every = _images(client, version, Status="ALL")
    assert every["TotalCount"] == 3 and {i["ImageId"] for i in every["Images"]["Image"]} == {ready, creating, failed}
    _error(client.call("DescribeImages", {"Status": "ALL,Available"}, version=version), 400, "InvalidParameter")


def test_describe_images_usable_filter_has_no_status_default(emulator, client):
    usable = emulator.create_images()[0]
    late = emulator.create_images(usable_after=600)[0]
    creating = emulator.create_images(duration=600)[0]
    not_usable = {i["ImageId"] for i in _images(client, Usable="false")["Images"]["Image"]}
    assert not_usable == {late, creating}
    assert [i["ImageId"] for i in _images(client, Usable="true")["Images"]["Image"]] == [usable]
    _error(client.call("DescribeImages", {"Usable": "maybe"}), 400, "InvalidParameter")


def test_describe_images_ids_names_paging_regions(emulator, client):
    ids = emulator.create_images(count=5, image_name="batch")
    other = emulator.create_images(region="cn-beijing", image_name="batch-far")[0]
    named = emulator.create_images(image_name="web-server-7")[0]
    page = _images(client, ImageId=",".join(ids + [other]), PageSize=2, PageNumber=2)
    assert (page["TotalCount"], page["PageNumber"], page["PageSize"], len(page["Images"]["Image"])) == (5, 2, 2, 2)
    assert [i["ImageId"] for i in _images(client, ImageName="server")["Images"]["Image"]] == [named]  # fuzzy
    assert [i["ImageId"] for i in _images(client, RegionId="cn-beijing")["Images"]["Image"]] == [other]
    assert _images(client, ImageOwnerAlias="system")["TotalCount"] == 0
    _error(client.call("DescribeImages", {"ImageId": ",".join("m-%d" % n for n in range(101))}), 400, "InvalidParameter")
    _error(client.call("DescribeImages", {"PageSize": "101"}), 400, "InvalidParameter")
    _error(client.call("DescribeImages", {"RegionId": "mars-1"}), 400, "InvalidRegionId.NotFound")
    _error(client.call("DescribeImages", {"RegionId": None}), 400, "MissingParameter")


def test_describe_images_shape(emulator, client):
    image_id = emulator.create_images(image_name="shape", duration=100)[0]
    image = _image(client, image_id)
    assert isinstance(image["Usable"], bool) and isinstance(image["Size"], int) and image["Size"] == 40
    assert image["CreationTime"].endswith("Z") and image["ImageOwnerAlias"] == "self" and image["IsCopied"] is False
    mapping = image["DiskDeviceMappings"]["DiskDeviceMapping"][0]
    assert (mapping["Type"], mapping["Size"], mapping["Device"]) == ("system", "40", "/dev/xvda")
    xml = client.call("DescribeImages", {"Status": "ALL", "Format": "XML"})
    assert xml.status == 200 and b"<Images><Image><ImageId>%s</ImageId>" % image_id.encode() in xml.raw
    assert b"<Usable>false</Usable>" in xml.raw


# -- DescribeDisks -----------------------------------------------------------------------------------
def test_describe_disks(emulator, client):
    essd = emulator.create_disks(count=3)
    ssd = emulator.create_disks(category="cloud_ssd")[0]
    far = emulator.create_disks(region="ap-southeast-1")[0]
    answer = client.call("DescribeDisks", {"DiskIds": json.dumps(essd + [ssd, far]), "PageSize": 3}, version="v3")
    assert answer.status == 200, answer
    assert answer.json["TotalCount"] == 4 and len(answer.json["Disks"]["Disk"]) == 3
    disk = answer.json["Disks"]["Disk"][0]
    assert {"DiskId", "Category", "PerformanceLevel", "Status", "Size", "RegionId", "ZoneId", "InstanceId"} <= set(disk)
    assert isinstance(disk["Size"], int) and disk["RegionId"] == "cn-hangzhou"
    ssds = client.call("DescribeDisks", {"Category": "cloud_ssd"}).json
    assert [d["DiskId"] for d in ssds["Disks"]["Disk"]] == [ssd] and ssds["Disks"]["Disk"][0]["PerformanceLevel"] == ""
    assert client.call("DescribeDisks", {"Status": "Available"}).json["TotalCount"] == 0
    assert client.call("DescribeDisks", {"RegionId": "ap-southeast-1"}).json["Disks"]["Disk"][0]["DiskId"] == far
    for bad in ("d-1,d-2", json.dumps({"d": 1}), json.dumps(["d-%d" % n for n in range(101)])):
        _error(client.call("DescribeDisks", {"DiskIds": bad}), 400, "InvalidDiskIds.Malformed")


# -- products of tasks (POST /_emulator/tasks "product") ------------------------------------------------
def test_import_task_makes_its_image(emulator, client):
    task_id = emulator.create_tasks(action="ImportImage", duration=600, product={"usable_after": 120})[0]
    image_id = emulator.task(task_id)["resource_id"]
    image = _image(client, image_id)
    assert (image["Status"], image["Usable"]) == ("Creating", False)
    assert _images(client)["TotalCount"] == 0  # the default filter hides it
    emulator.advance(601)
    assert (_image(client, image_id)["Status"], _image(client, image_id)["Usable"]) == ("Available", False)
    emulator.advance(120)
    assert _image(client, image_id)["Usable"] is True
    assert emulator.image(image_id)["task_id"] == task_id


def test_import_task_follows_a_named_image_and_its_outcomes(emulator, client):
    named = emulator.create_images(image_name="named")[0]
    task_id = emulator.create_tasks(action="ImportImage", duration=10, resource_id=named,
                                    product={"outcome": "UnAvailable"})[0]
    assert _image(client, named)["Status"] == "Creating"
    failed_task = emulator.create_tasks(action="ImportImage", duration=10, outcome="Failed")[0]
    waiting_task = emulator.create_tasks(action="ImportImage", duration=10, wait=100)[0]
    cancelled_task = emulator.create_tasks(action="ImportImage", duration=600)[0]
    assert _image(client, emulator.task(waiting_task)["resource_id"])["Status"] == "Waiting"
    assert client.call("CancelTask", {"TaskId": cancelled_task}).status == 200
    emulator.advance(11)
    assert emulator.task(task_id)["status"] == "Finished"
    assert _image(client, named)["Status"] == "UnAvailable"
    assert _image(client, emulator.task(failed_task)["resource_id"])["Status"] == "CreateFailed"
    assert _image(client, emulator.task(cancelled_task)["resource_id"]) is None  # a cancelled import leaves nothing


def test_export_task_objects_appear_after_the_end(emulator):
    task_id = emulator.create_tasks(action="ExportImage", duration=60, region="cn-beijing",
                                    product={"object_after": 30})[0]
    missing = emulator.create_tasks(action="ExportImage", duration=0, product={"object_missing": True},
                                    related_items={"OSSBucket": "never-bucket"})[0]
    failed = emulator.create_tasks(action="ExportImage", duration=0, outcome="Failed",
                                   related_items={"OSSBucket": "failed-bucket"})[0]
    [obj] = emulator.objects("emulator-bucket-cn-beijing")
    key = emulator.task(task_id)["related_items"]["OSSObject"]
    assert (obj["key"], obj["exists"], obj["appears_at"], obj["region"]) == (key, False, None, "cn-beijing")
    emulator.advance(61)
    [obj] = emulator.objects("emulator-bucket-cn-beijing")
    assert obj["exists"] is False and obj["appears_at"] is not None and obj["size"] == 40 * 1024 ** 3
    emulator.advance(30)
    assert emulator.objects("emulator-bucket-cn-beijing")[0]["exists"] is True
    assert [o["exists"] for o in emulator.objects("never-bucket")] == [False]
    assert [o["exists"] for o in emulator.objects("failed-bucket")] == [False]
    assert emulator.task(missing)["status"] == "Finished" and emulator.task(failed)["status"] == "Failed"


def test_modify_disk_task_shows_modifying_then_the_new_category(emulator, client):
    disk_id = emulator.create_disks(category="cloud_efficiency", status="Available")[0]
    task_id = emulator.create_tasks(action="ModifyDiskSpec", duration=100, resource_id=disk_id,
                                    product={"settle_after": 50, "category": "cloud_essd", "performance_level": "PL2"})[0]
    during = _disk(client, disk_id)
    assert (during["Status"], during["Category"], during["PerformanceLevel"]) == ("Modifying", "cloud_efficiency", "")
    emulator.advance(101)
    assert emulator.task(task_id)["status"] == "Finished"
    assert (_disk(client, disk_id)["Status"], _disk(client, disk_id)["Category"]) == ("Modifying", "cloud_efficiency")
    assert emulator.disk(disk_id)["settles_at"] is not None
    emulator.advance(50)
    after = _disk(client, disk_id)
    assert (after["Status"], after["Category"], after["PerformanceLevel"]) == ("Available", "cloud_essd", "PL2")
    made = emulator.create_tasks(action="ModifyDiskSpec", duration=0)[0]  # names no disk: one is made
    assert _disk(client, emulator.task(made)["resource_id"])["Category"] == "cloud_essd"


@pytest.mark.parametrize("product, fragment", [
    ({"usable": 1}, r"unknown field\(s\) in product: usable"),
    ({"outcome": "Finished"}, "outcome must be one of Available"),
    ({"category": "tape"}, "category must be one of"),
    ({"settle_after": "soon"}, "settle_after must be a number"),
    ("fast", "product must be a JSON object"),
])
def test_task_product_is_checked(emulator, product, fragment):
    with pytest.raises(EmulatorError, match=fragment):
        emulator.create_tasks(action="ImportImage", product=product)
    assert emulator.tasks() == []


def test_reset_clears_products(emulator):
    emulator.create_images()
    emulator.create_disks()
    emulator.put_object("reset-bucket", "k")
    emulator.set_actions(CopyImage={"duration": 1})
    emulator.reset()
    assert (emulator.images(), emulator.disks(), emulator.objects(), emulator.set_actions()) == ([], [], [], {})


def test_readme_names_every_field_code_and_route():
    import os
    import re

    from tests.emulator import action_settings, control_resources, oss, products
    from tests.emulator.start_actions import StartActions

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(here, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    codes = []
    for name in ("start_actions.py", "product_reads.py"):
        with open(os.path.join(here, name), encoding="utf-8") as handle:
            codes += re.findall(r'ApiError\("([^"]+)"', handle.read())
    fields = (control_resources.IMAGE_FIELDS + control_resources.DISK_FIELDS + control_resources.OBJECT_FIELDS
              + action_settings.FIELDS + products.FIELDS)
    actions = list(StartActions(*[None] * 7).actions()) + ["DescribeImages", "DescribeDisks"]
    assert len(codes) > 20
    for word in list(fields) + codes + list(oss.ERRORS) + actions:
        assert "`%s" % word in readme or '"%s"' % word in readme or "**%s**" % word in readme, word
    for method, route in (("POST", "images"), ("GET", "images"), ("POST", "disks"), ("GET", "disks"), ("POST", "oss"),
                          ("GET", "oss"), ("DELETE", "oss"), ("PUT", "actions")):
        assert "`%s /_emulator/%s" % (method, route) in readme, (method, route)
