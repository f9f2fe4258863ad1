# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EXAMPLES of ecs_image_copy and ecs_disk_spec run, as written, against the emulator, and every task succeeds.

The examples name the image m-bp1g7004ksh0oeuc0001 and the disk d-bp1g7004ksh0oeuc0001 of cn-hangzhou: the emulator
holds them under those very ids. The connection (endpoint, keys) comes from the environment, as for a user.
"""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.modules import ecs_disk_spec, ecs_image_copy
from tests.system.ansible_run import examples_playbook

IMAGE = "m-bp1g7004ksh0oeuc0001"
DISK = "d-bp1g7004ksh0oeuc0001"


def run_examples(ansible, module):
    playbook, names = examples_playbook(module.EXAMPLES)
    run = ansible.playbook(playbook)
    assert run.rc == 0, run
    assert [entry["task"] for entry in run.results] == names, run
    for entry in run.results:
        assert entry["status"] in ("ok", "changed"), (entry["task"], entry["result"].get("msg"))
    return run


@pytest.fixture
def quick(emulator):
    emulator.set_actions(CopyImage={"duration": 3}, ModifyDiskSpec={"duration": 3})
    emulator.create_images(image_id=IMAGE, image_name="web", status="Available")
    emulator.create_disks(disk_id=DISK, category="cloud_efficiency")
    return emulator


def test_copy_examples_run(ansible, quick):
    run = run_examples(ansible, ecs_image_copy)
    copied = run.result("Copy an image to two regions, once, and wait until both copies are usable")
    assert [(record["region"], record["action"], record["status"]) for record in copied["images"]] == [
        ("eu-central-1", "started", "Available"), ("ap-southeast-1", "started", "Available")]
    frankfurt = copied["images_by_region"]["eu-central-1"]["image_id"]
    assert run.result("The copy in Frankfurt")["msg"] == "%s is Available" % frankfurt
    started = run.result("Start a copy and go on; wait for it later with ecs_image_wait")
    assert started["action"] == "started" and "wait_status" not in started
    waited = run.result("Wait for that copy where convenient")
    assert waited["succeeded"] == [started["images_by_region"]["us-west-1"]["image_id"]]
    assert quick.stats()["calls"]["CopyImage"] == 3


def test_disk_spec_examples_run(ansible, quick):
    run = run_examples(ansible, ecs_disk_spec)
    converted = run.result("Convert a disk to an enterprise SSD at PL1, once, and wait until it shows it")
    assert converted["action"] == "started" and converted["task_id"]
    assert run.result("What was done")["msg"] == "started: %s is cloud_essd PL1" % DISK
    raised = run.result("Raise its performance level later (no task; the disk is waited on)")
    assert (raised["action"], raised["task_id"], raised["disk"]["performance_level"]) == ("started", None, "PL2")
    assert quick.disk(DISK)["performance_level"] == "PL2"
