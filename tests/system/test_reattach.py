# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The re-attach playbook of docs/after-a-restart.md, killed right after its start call and run again.

The playbook is the guide's own first example, as written: ecs_image_export. The first run is killed with SIGKILL
(ansible-playbook and its workers: the process group this test started) as soon as the emulator has counted its
ExportImage call; the rerun must find that export, start nothing, attach to it and wait for its file. The
emulator's statistics and task list are the judge.
"""

from __future__ import annotations

import os
import re
import signal

import pytest

from tests.emulator.harness import Emulator
from tests.system.ansible_run import REPO_ROOT, Ansible

GUIDE = os.path.join(REPO_ROOT, "docs", "after-a-restart.md")
IMAGE = "m-reattach0000000001"
BUCKET = "reattach-bucket"
EXPORT_TASK = "Export the image, or attach to the export an earlier run started"
# ExportImage tasks last 60 virtual seconds: 15 real seconds at this scale, time enough to kill the first run.
TIME_SCALE = 4


def guide_playbook():
    blocks = re.findall(r"^```yaml[ \t]*\n(.*?)^```[ \t]*$", open(GUIDE, encoding="utf-8").read(), re.M | re.S)
    assert blocks and "hosts:" in blocks[0], "the guide's first yaml block is the playbook"
    return blocks[0]


@pytest.fixture
def scaled_emulator():
    with Emulator(time_scale=TIME_SCALE) as emulator:
        emulator.create_images(image_id=IMAGE, status="Available")
        yield emulator


def test_a_killed_run_is_attached_to_by_the_rerun_without_a_second_export(scaled_emulator, tmp_path):
    emulator = scaled_emulator
    ansible = Ansible(emulator)
    env = {"ALIBABA_CLOUD_OSS_ENDPOINT": emulator.url}
    extra_vars = {"image_id": IMAGE, "export_bucket": BUCKET}
    playbook = tmp_path / "export.yml"
    playbook.write_text(guide_playbook())

    # First run: killed, with its workers, as soon as the emulator has counted its ExportImage.
    code, first_output = ansible.playbook_killed(str(playbook), lambda: emulator.stats()["calls"].get("ExportImage", 0) >= 1,
                                                 extra_vars=extra_vars, env=env)
    assert code == -signal.SIGKILL, first_output

    [task] = emulator.tasks()
    assert task["action"] == "ExportImage" and task["resource_id"] == IMAGE
    assert task["status"] in ("Waiting", "Processing"), "killed after the export ended: %s" % task

    # The rerun: finds the export under way, starts nothing, attaches and waits for its file.
    rerun = ansible.playbook(str(playbook), extra_vars=extra_vars, env=env, timeout=240)
    assert rerun.rc == 0, rerun
    exported = rerun.result(EXPORT_TASK)
    assert (exported["action"], exported["changed"], exported["task_id"]) == ("attached", True, task["task_id"])
    assert exported["wait_status"] == "succeeded" and exported["task"]["task_status"] == "Finished"
    [after] = emulator.tasks()
    assert after["task_id"] == task["task_id"] and after["status"] == "Finished"
    assert exported["objects"] == [{"bucket": BUCKET, "key": after["related_items"]["OSSObject"],
                                    "size": exported["objects"][0]["size"]}] and exported["objects"][0]["size"] > 0
    assert rerun.result("Where the image went")["msg"] == "attached: oss://%s/%s" % (
        BUCKET, after["related_items"]["OSSObject"])
    assert emulator.stats()["calls"]["ExportImage"] == 1

    # Once more: the export is done and its file is there, so nothing changes.
    third = ansible.playbook(str(playbook), extra_vars=extra_vars, env=env, timeout=240)
    assert third.rc == 0, third
    assert (third.result(EXPORT_TASK)["action"], third.result(EXPORT_TASK)["changed"]) == ("none", False)
    assert emulator.stats()["calls"]["ExportImage"] == 1


def test_the_first_run_alone_starts_one_export_and_waits_for_it(scaled_emulator):
    """Nothing under way: it starts the export and waits. A failed export of the same image to the same bucket is
    not one to reuse."""
    emulator = scaled_emulator
    emulator.create_tasks(action="ExportImage", duration=0, outcome="Failed", resource_id=IMAGE,
                          related_items={"OSSBucket": BUCKET, "OSSObject": "nightly_%s_old.qcow2" % IMAGE,
                                         "ImageFormat": "qcow2"})
    ansible = Ansible(emulator)
    run = ansible.playbook(guide_playbook(), extra_vars={"image_id": IMAGE, "export_bucket": BUCKET},
                           env={"ALIBABA_CLOUD_OSS_ENDPOINT": emulator.url}, timeout=240)
    assert run.rc == 0, run
    assert run.result(EXPORT_TASK)["action"] == "started"
    assert emulator.stats()["calls"]["ExportImage"] == 1
