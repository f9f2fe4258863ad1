# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_image_import and ecs_image_export's library against the emulator over real signed HTTP, on a virtual clock
that moves the emulator's with it: started / attached / none, reruns that start nothing (the emulator's
statistics), check mode's DryRun, diff, wait: false, and each explained error provoked through the control API."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients, Session
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start import image_export, image_import
from tests.unit.fakes import FakeClock

REGION = "cn-hangzhou"
BUCKET, SOURCE = "builds", "images/web.qcow2"


def run(emulator, kind, check_mode=False, diff=False, on_sleep=None, **options):
    """One run of the start module ``kind`` (a WaitKind) through a real Session; each sleep moves the emulator's
    clock as much."""
    clock = FakeClock()

    def sleep(seconds):
        clock.sleep(seconds)
        emulator.advance(seconds)
        if on_sleep is not None:
            on_sleep()

    params = {"region": REGION, "access_key": "testid", "secret_key": "testsecret", "endpoint": emulator.url,
              "oss_endpoint": emulator.url, "validate_certs": True, "signature_version": "v1", "request_timeout": 20,
              "poll_interval": 5, "wait": True}
    params.update(options)
    session = Session(params, {})
    lines = []
    try:
        result = kind.run(kind.prepare(params), Clients(session), check_mode=check_mode, clock=clock, sleep=sleep,
                          diff=diff, say=lines.append)
    finally:
        session.close()
    result["_lines"] = lines
    return result


def dry_runs(emulator, action):
    return emulator.stats().get("dry_runs", {}).get(action, 0)


def do_import(emulator, **options):
    options.setdefault("image_name", "web")
    options.setdefault("oss_bucket", BUCKET)
    options.setdefault("oss_object", SOURCE)
    return run(emulator, image_import.WAIT, **options)


def do_export(emulator, image_id, **options):
    options.setdefault("oss_bucket", "exports")
    options.setdefault("oss_prefix", "web")
    return run(emulator, image_export.WAIT, image_id=image_id, **options)


@pytest.fixture
def source(emulator):
    emulator.put_object(BUCKET, SOURCE, size=4096)
    return emulator


# ---------------------------------------------------------------- import

def test_import_starts_once_waits_until_usable_and_a_rerun_changes_nothing(source):
    source.set_actions(ImportImage={"duration": 30, "usable_after": 10})
    first = do_import(source, format="qcow2", platform="Ubuntu")
    assert first["wait_status"] == "succeeded", first["msg"]
    assert (first["changed"], first["action"]) == (True, "started") and first["task_id"].startswith("t-")
    image = source.image(first["image_id"])
    assert image["status"] == "Available" and image["usable"] is True and image["image_name"] == "web"
    assert first["image"]["usable"] is True and first["image"]["image_id"] == first["image_id"]
    assert first["_lines"] == ["started ImportImage in cn-hangzhou: task %s" % first["task_id"]]
    assert source.calls("ImportImage") == 1

    again = do_import(source, format="QCOW2", platform="Ubuntu")
    assert (again["changed"], again["action"], again["task_id"], again["failed"]) == (False, "none", None, False)
    assert again["image_id"] == first["image_id"] and again["image"]["status"] == "Available"
    assert source.calls("ImportImage") == 1 and again["api_calls"] == 1  # one DescribeImages, nothing started


def test_import_rerun_after_a_start_attaches_to_it_and_starts_nothing(source):
    source.set_actions(ImportImage={"duration": 120})
    started = do_import(source, wait=False)
    assert (started["action"], started["changed"]) == ("started", True) and "wait_status" not in started
    # wait: false returned as soon as the service answered: no read of the task.
    assert source.calls("DescribeTaskAttribute") == 0 and source.calls("DescribeTasks") == 0
    attached = do_import(source)
    assert (attached["changed"], attached["action"]) == (True, "attached"), attached["msg"]
    assert attached["task_id"] == started["task_id"] and attached["image_id"] == started["image_id"]
    assert attached["wait_status"] == "succeeded" and attached["image"]["status"] == "Available"
    assert source.calls("ImportImage") == 1


def test_import_attaches_to_an_available_image_not_yet_usable(source):
    source.set_actions(ImportImage={"duration": 10, "usable_after": 60})
    started = do_import(source, wait=False)
    source.advance(20)
    assert source.image(started["image_id"])["status"] == "Available"
    attached = do_import(source)
    assert attached["action"] == "attached" and attached["task_id"] == started["task_id"]
    assert attached["wait_status"] == "succeeded" and attached["image"]["usable"] is True


def test_import_check_mode_sends_dry_run_and_creates_nothing(source):
    result = do_import(source, check_mode=True, diff=True)
    assert (result["changed"], result["action"], result["task_id"], result["image_id"]) == (True, "started", None, None)
    assert dry_runs(source, "ImportImage") == 1 and source.calls("ImportImage") == 0
    assert source.images() == [] and source.tasks() == []
    assert result["diff"]["before"] == {} and result["diff"]["after"]["imported_from"] == "oss://builds/images/web.qcow2"


def test_import_check_mode_of_an_existing_image_says_nothing_would_change(source):
    made = source.create_images(image_name="web", status="Available")[0]
    result = do_import(source, check_mode=True, diff=True)
    assert (result["changed"], result["action"], result["image_id"]) == (False, "none", made)
    assert dry_runs(source, "ImportImage") == 0
    assert result["diff"]["before"] == {"image_name": "web", "image_id": made, "status": "Available", "usable": True}
    assert result["diff"]["before"] == result["diff"]["after"]


def test_import_check_mode_proves_the_ram_role(source):
    source.set_actions(ImportImage={"error_code": "NoSetRoletoECSServiceAcount"})
    result = do_import(source, check_mode=True)
    assert result["failed"] and result["error_code"] == "NoSetRoletoECSServiceAcount"
    assert "AliyunECSImageImportDefaultRole" in result["msg"] and "https://ram.console.aliyun.com/" in result["msg"]
    assert "AliyunECSImageImportRolePolicy" in result["msg"]


def test_import_of_a_missing_object_names_it_and_the_region(emulator):
    emulator.put_object(BUCKET)  # the bucket, without the object
    result = do_import(emulator)
    assert result["failed"] and result["error_code"] == "InvalidOSSObject.NotFound"
    assert "there is no object oss://builds/images/web.qcow2 in region cn-hangzhou" in result["msg"]
    assert result["action"] == "none" and result["changed"] is False and emulator.images() == []


def test_import_of_a_name_taken_by_a_failed_image_fails_before_any_start(source):
    failed = source.create_images(image_name="web", status="CreateFailed")[0]
    result = do_import(source)
    assert result["failed"] and result["image_id"] == failed and result["image"]["status"] == "CreateFailed"
    assert "choose another image_name" in result["msg"] and source.calls("ImportImage") == 0


def test_import_whose_task_fails_fails_with_its_error_and_keeps_the_ids(source):
    source.set_actions(ImportImage={"duration": 20, "outcome": "Failed", "error_code": "InvalidImage.Format",
                                    "error_msg": "The image file is not a valid QCOW2 file."})
    result = do_import(source)
    assert result["failed"] and result["wait_status"] == "failed" and result["action"] == "started"
    assert result["task_id"] and result["image_id"] and "InvalidImage.Format" in result["msg"]


def test_import_name_duplicated_at_the_call_is_explained(source):
    source.set_actions(ImportImage={"error_code": "InvalidImageName.Duplicated"})
    result = do_import(source)
    assert result["failed"] and "run again to attach to it, or choose another name" in result["msg"]


def test_import_format_refused_by_the_service_names_the_formats(source):
    source.set_actions(ImportImage={"error_code": "InvalidImageFormat.Malformed"})
    result = do_import(source, format="raw")
    assert result["failed"] and "format 'RAW' is not a format ImportImage takes: use one of RAW, VHD, QCOW2" in result["msg"]


# ---------------------------------------------------------------- export

@pytest.fixture
def image(emulator):
    return emulator.create_images(status="Available", image_name="web")[0]


def test_export_starts_once_waits_for_its_objects_and_a_rerun_changes_nothing(emulator, image):
    emulator.set_actions(ExportImage={"duration": 30, "object_after": 15})
    first = do_export(emulator, image, image_format="QCOW2")
    assert first["wait_status"] == "succeeded", first["msg"]
    assert (first["changed"], first["action"]) == (True, "started")
    objects = first["objects"]
    assert len(objects) == 1 and objects[0]["bucket"] == "exports" and objects[0]["key"].startswith("web_%s" % image)
    assert objects[0]["key"].endswith(".qcow2") and objects[0]["size"] > 0
    assert first["task"]["task_id"] == first["task_id"] and first["task"]["task_status"] == "Finished"

    again = do_export(emulator, image, image_format="qcow2")
    assert (again["changed"], again["action"], again["task_id"], again["failed"]) == (False, "none", None, False)
    assert again["objects"] == objects and again["task"]["task_id"] == first["task_id"]
    assert emulator.calls("ExportImage") == 1


def test_export_whose_objects_are_gone_is_started_again(emulator, image):
    first = do_export(emulator, image)
    key = first["objects"][0]["key"]
    assert emulator.delete_object("exports", key)
    again = do_export(emulator, image)
    assert again["action"] == "started" and "objects are gone (oss://exports/%s)" % key in again["msg"]
    assert emulator.calls("ExportImage") == 2 and again["objects"][0]["key"] != key


def test_export_rerun_attaches_to_the_running_export(emulator, image):
    emulator.set_actions(ExportImage={"duration": 120})
    started = do_export(emulator, image, wait=False)
    assert started["task_id"] and started["objects"] == [] and "wait_status" not in started
    attached = do_export(emulator, image)
    assert (attached["action"], attached["task_id"], attached["changed"]) == ("attached", started["task_id"], True)
    assert attached["wait_status"] == "succeeded" and attached["objects"][0]["size"] > 0
    assert emulator.calls("ExportImage") == 1


def test_export_to_another_prefix_while_one_runs_is_refused_before_the_call(emulator, image):
    emulator.set_actions(ExportImage={"duration": 120})
    running = do_export(emulator, image, wait=False)
    other = do_export(emulator, image, oss_prefix="db")
    assert other["failed"] and other["error_code"] == "ImageIsExporting" and other["task_id"] == running["task_id"]
    assert "resource_ids [%s]" % image in other["msg"] and emulator.calls("ExportImage") == 1


def test_export_check_mode_sends_dry_run_and_starts_nothing(emulator, image):
    result = do_export(emulator, image, check_mode=True, diff=True)
    assert (result["changed"], result["action"], result["task_id"]) == (True, "started", None)
    assert dry_runs(emulator, "ExportImage") == 1 and emulator.calls("ExportImage") == 0 and emulator.tasks() == []
    assert result["diff"] == {"before": {"image_id": image, "objects": []},
                              "after": {"image_id": image, "objects": ["oss://exports/web_%s (raw, named by ECS)" % image]}}


def test_export_of_an_image_not_in_the_region_names_it_without_any_start(emulator):
    elsewhere = emulator.create_images(region="cn-beijing", status="Available")[0]
    result = do_export(emulator, elsewhere)
    assert result["failed"] and result["error_code"] == "InvalidImageId.NotFound"
    assert "image %s does not exist in region cn-hangzhou" % elsewhere in result["msg"]
    assert emulator.calls("ExportImage") == 0 and dry_runs(emulator, "ExportImage") == 0


def test_export_without_the_ram_role_says_which_role_to_make(emulator, image):
    emulator.set_actions(ExportImage={"error_code": "NoSetRoletoECSServiceAcount"})
    result = do_export(emulator, image)
    assert result["failed"] and "AliyunECSImageExportDefaultRole" in result["msg"]
    assert "api-exportimage" in result["msg"] and "write to your OSS buckets" in result["msg"]
    named = do_export(emulator, image, role_name="BuildExports")
    assert "the role BuildExports given as role_name must exist" in named["msg"]


def test_export_of_an_image_not_yet_available_says_to_wait_for_it(emulator):
    making = emulator.create_images(status="Creating", duration=600)[0]
    result = do_export(emulator, making)
    assert result["failed"] and result["error_code"] == "IncorrectImageStatus" and "ecs_image_wait" in result["msg"]
