# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The window ECS leaves without a client token (docs/after-a-restart.md): a rerun whose look-up does not yet see
the first run's work. The emulator hides it the way a RAM denial of the old style does (a 200 with an empty list,
``PUT /_emulator/permissions``); the rerun's start call must then be refused by the service, explained, and the
emulator must hold the work once."""
from __future__ import annotations

from tests.system.test_start_images_emulator import BUCKET, SOURCE, do_export, do_import


def hide(emulator, action):
    emulator.permissions({"testid": {"deny": [action], "style": "empty"}})


def test_an_import_the_rerun_cannot_see_yet_is_refused_by_its_name_not_made_twice(emulator):
    emulator.put_object(BUCKET, SOURCE, size=4096)
    emulator.set_actions(ImportImage={"duration": 600})
    first = do_import(emulator, wait=False)
    hide(emulator, "DescribeImages")
    rerun = do_import(emulator)
    assert rerun["failed"] and rerun["error_code"] == "InvalidImageName.Duplicated", rerun["msg"]
    assert "run again to attach to it" in rerun["msg"]
    assert [image["image_id"] for image in emulator.images()] == [first["image_id"]]
    emulator.permissions({})
    again = do_import(emulator, wait=False)
    assert (again["action"], again["task_id"]) == ("attached", first["task_id"])
    assert emulator.calls("ImportImage") == 2  # the refused one and the first: one image, one task


def test_an_export_the_rerun_cannot_see_yet_is_refused_as_exporting_not_made_twice(emulator):
    image = emulator.create_images(status="Available")[0]
    emulator.set_actions(ExportImage={"duration": 600})
    first = do_export(emulator, image, wait=False)
    hide(emulator, "DescribeTasks")
    rerun = do_export(emulator, image)
    assert rerun["failed"] and rerun["error_code"] == "ImageIsExporting", rerun["msg"]
    assert [task["task_id"] for task in emulator.tasks()] == [first["task_id"]]
    emulator.permissions({})
    assert do_export(emulator, image, wait=False)["task_id"] == first["task_id"]
