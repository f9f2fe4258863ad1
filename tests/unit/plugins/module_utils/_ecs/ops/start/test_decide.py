# -*- coding: utf-8 -*-
"""The import and export modules' requests (every check before any call) and their decide functions (pure: what
was found -> none | attached | started), without any call."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start import image_export, image_import
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import ATTACHED, NONE, STARTED, Refused

IMAGE = "m-bp1g7004ksh0oeuc0001"


def import_request(**options):
    params = {"image_name": "web", "oss_bucket": "builds", "oss_object": "web.raw"}
    params.update(options)
    return image_import.prepare_import(params)


def export_request(**options):
    params = {"image_id": IMAGE, "oss_bucket": "exports", "oss_prefix": "web", "image_format": "qcow2"}
    params.update(options)
    return image_export.prepare_export(params)


# ---------------------------------------------------------------- requests

def test_import_choices_are_read_in_any_case():
    request = import_request(format="qcow2", architecture="ARM64", os_type="Linux", boot_mode="uefi",
                             license_type="byol")
    assert (request.format, request.architecture, request.os_type, request.boot_mode, request.license_type) == \
        ("QCOW2", "arm64", "linux", "UEFI", "BYOL")


@pytest.mark.parametrize("options, option, words", [
    ({"format": "iso"}, "format", "RAW, VHD, QCOW2"),
    ({"format": "qcow"}, "format", "did you mean QCOW2?"),
    ({"image_name": "1web"}, "image_name", "a letter first"),
    ({"image_name": "aliyun-web"}, "image_name", "not starting with 'aliyun'"),
    ({"oss_bucket": "oss://builds"}, "oss_bucket", "no oss://"),
    ({"oss_object": " "}, "oss_object", "non-empty"),
    ({"disk_image_size": 0}, "disk_image_size", "above 0"),
    ({"timeout": "soon"}, "timeout", "timeout"),
])
def test_import_input_is_refused_before_any_call_naming_the_option(options, option, words):
    with pytest.raises(ConfigError) as error:
        import_request(**options)
    assert error.value.option == option and words in error.value.message


def test_export_format_in_any_case_and_raw_by_default():
    assert export_request(image_format="VHD").format == "vhd"
    assert export_request(image_format=None).format == "raw"
    with pytest.raises(ConfigError) as error:
        export_request(oss_prefix="web_1")
    assert error.value.option == "oss_prefix" and "1 to 30 letters or digits" in error.value.message
    with pytest.raises(ConfigError) as error:
        export_request(image_format="iso")
    assert "raw, vhd, qcow2, vmdk, vdi" in error.value.message


# ---------------------------------------------------------------- import: decide

def image(status, usable=True, image_id="m-1", name="web"):
    return {"ImageId": image_id, "ImageName": name, "Status": status, "Usable": usable}


@pytest.mark.parametrize("images, task, action, task_id", [
    ([], None, STARTED, None),
    ([image("Available")], None, NONE, None),
    ([image("Deprecated", usable=False)], None, NONE, None),
    ([image("Creating", usable=False)], {"TaskId": "t-1"}, ATTACHED, "t-1"),
    ([image("Waiting", usable=False)], None, ATTACHED, None),
    ([image("Available", usable=False)], {"TaskId": "t-1"}, ATTACHED, "t-1"),
    # A usable image of the name wins over another being made.
    ([image("Creating", usable=False, image_id="m-2"), image("Available")], None, NONE, None),
])
def test_import_decides_by_the_images_of_its_name(images, task, action, task_id):
    decision, = image_import.decide_import(import_request(), image_import.Found("cn-hangzhou", images, task))
    assert (decision.action, decision.task_id) == (action, task_id)
    assert decision.resource_id == (images[-1]["ImageId"] if action == NONE else images[0]["ImageId"] if images else None)


@pytest.mark.parametrize("status", ["CreateFailed", "UnAvailable"])
def test_import_refuses_a_name_held_by_a_failed_image(status):
    with pytest.raises(Refused) as refused:
        image_import.decide_import(import_request(), image_import.Found("cn-hangzhou", [image(status, usable=False)]))
    assert "taken in cn-hangzhou by image m-1, which is %s" % status in refused.value.message
    assert "choose another image_name" in refused.value.message and refused.value.fields["image_id"] == "m-1"


# ---------------------------------------------------------------- export: decide

def export(task_id, status, prefix="web", bucket="exports", fmt="qcow2", keys=None):
    keys = keys or ["%s_%s_%s.%s" % (prefix, IMAGE, task_id, fmt) if prefix else "%s_%s.%s" % (IMAGE, task_id, fmt)]
    return {"task_id": task_id, "task_status": status, "resource_id": IMAGE,
            "related_items": {"OSSBucket": bucket, "OSSObject": keys[0], "ImageFormat": fmt},
            "related_item_values": {"OSSBucket": [bucket], "OSSObject": keys}, "operation_progress": []}


def present(record, size=10):
    return dict(("oss://%s/%s" % (record["related_items"]["OSSBucket"], key), {"ContentLength": size})
                for key in record["related_item_values"]["OSSObject"])


def found(exports, objects=None, status="Available"):
    return image_export.Found("cn-hangzhou", {"ImageId": IMAGE, "Status": status}, exports, objects or {})


def decide_export(found_, **options):
    decision, = image_export.decide_export(export_request(**options), found_)
    return decision


def test_export_none_when_a_finished_export_of_it_still_has_its_objects():
    done = export("t-1", "Finished")
    decision = decide_export(found([done], present(done)))
    assert (decision.action, decision.task_id) == (NONE, None) and "by task t-1" in decision.why


def test_export_attaches_to_a_running_export_of_it():
    decision = decide_export(found([export("t-2", "Processing"), export("t-1", "Finished")]))
    assert (decision.action, decision.task_id) == (ATTACHED, "t-2")


@pytest.mark.parametrize("why, exports, objects", [
    ("none yet", [], {}),
    ("objects gone", [export("t-1", "Finished")], {"oss://exports/web_%s_t-1.qcow2" % IMAGE: None}),
    ("object empty", [export("t-1", "Finished")], present(export("t-1", "Finished"), size=0)),
    ("it failed", [export("t-1", "Failed")], {}),
    ("another prefix", [export("t-1", "Finished", prefix="db")], present(export("t-1", "Finished", prefix="db"))),
    ("no prefix", [export("t-1", "Finished", prefix="")], present(export("t-1", "Finished", prefix=""))),
    ("another bucket", [export("t-1", "Finished", bucket="b2")], present(export("t-1", "Finished", bucket="b2"))),
    ("another format", [export("t-1", "Finished", fmt="raw")], present(export("t-1", "Finished", fmt="raw"))),
])
def test_export_starts_when_no_export_of_it_is_running_or_complete(why, exports, objects):
    decision = decide_export(found(exports, objects))
    assert decision.action == STARTED, why
    if why == "objects gone":
        assert "objects are gone (oss://exports/web_" in decision.why


def test_export_without_prefix_is_the_export_whose_keys_start_with_the_image():
    done = export("t-1", "Finished", prefix="")
    assert decide_export(found([done], present(done)), oss_prefix=None).action == NONE
    other = export("t-1", "Finished")
    assert decide_export(found([other], present(other)), oss_prefix=None).action == STARTED


def test_export_of_an_image_with_data_disks_needs_every_object():
    keys = ["web_%s_t-1_system.qcow2" % IMAGE, "web_%s_t-1_data1.qcow2" % IMAGE]
    done = export("t-1", "Finished", keys=keys)
    objects = present(done)
    assert decide_export(found([done], objects)).action == NONE
    objects["oss://exports/" + keys[1]] = None
    assert decide_export(found([done], objects)).action == STARTED


@pytest.mark.parametrize("found_, code", [
    (image_export.Found("cn-hangzhou", None, [], {}), "InvalidImageId.NotFound"),
    (found([export("t-9", "Processing", prefix="db")]), "ImageIsExporting"),
    (found([], status="Creating"), "IncorrectImageStatus"),
])
def test_export_refuses_what_exportimage_would_refuse_with_the_fix(found_, code):
    with pytest.raises(Refused) as refused:
        decide_export(found_)
    assert refused.value.fields["error_code"] == code and "To fix: " in refused.value.message
    assert "\n" not in refused.value.message
