# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_image_copy and ecs_disk_spec in real ansible-playbook runs against the emulator: on the controller and on an
SSH target (tests/system/sshtarget.py), with module_defaults for the action group, --check --diff, and a
SIGKILL of ansible-playbook right after the start call was seen in the emulator's statistics, then a rerun that must
start nothing. The emulator's statistics are the judge of what was started."""

from __future__ import annotations

import signal

import pytest
import yaml

from ansible_collections.alicloud.ecs.plugins.modules import ecs_disk_spec, ecs_image_copy
from tests.system.test_docs_match_runs import ANSIBLE_KEYS
from tests.system.ssh_site import progress_lines, site_fixtures
from tests.system.test_start_playbooks import KILL_PLAY

# The SSH target's fixtures, for users of this module's own (pytest finds fixtures among a module's names).
site, fresh = site_fixtures("ecscopybuilder", "ecscopyother")

PLAY = """
- name: Copy the image and convert the disk
  hosts: %(hosts)s
  gather_facts: false
  module_defaults:
    group/alicloud.ecs.ecs:
      region: cn-hangzhou
      # Unused by these two modules, set for the group's others: accepted.
      oss_endpoint: https://oss-cn-hangzhou.aliyuncs.com
      poll_interval: 1s
      display_interval: 1s
  tasks:
    - name: Copy the image
      alicloud.ecs.ecs_image_copy:
        image_id: "{{ image_id }}"
        destination_regions: [eu-central-1, us-west-1]
        destination_image_name: web-copy
      register: copied

    - name: Convert the disk
      alicloud.ecs.ecs_disk_spec:
        disk_id: "{{ disk_id }}"
        disk_category: CLOUD_ESSD
        performance_level: pl2
      register: converted
"""


def play(hosts="localhost"):
    return PLAY % {"hosts": hosts}


def start_calls(emulator):
    return emulator.calls("CopyImage"), emulator.calls("ModifyDiskSpec")


def returns_what_its_docs_say(result, records, returned):
    """Every key of the result and of its records is in RETURN, and every key documented as always returned is there."""
    keys = set(result) - ANSIBLE_KEYS
    assert keys <= set(returned), sorted(keys - set(returned))
    always = set(name for name, doc in returned.items() if doc.get("returned") == "always") - ANSIBLE_KEYS
    assert always <= set(result), sorted(always - set(result))
    contains = returned["images" if "images" in returned else "disk"]["contains"]
    for record in records:
        assert set(record) == set(contains), sorted(set(record) ^ set(contains))


def resources(emulator, duration=3):
    """The image to copy and the disk to convert; copies and conversions that take ``duration`` seconds."""
    emulator.set_actions(CopyImage={"duration": duration}, ModifyDiskSpec={"duration": duration})
    return {"image_id": emulator.create_images(image_name="web", status="Available")[0],
            "disk_id": emulator.create_disks(category="cloud_efficiency")[0]}


def test_on_the_controller_with_module_defaults_then_a_rerun_changes_nothing(emulator, ansible):
    ids = resources(emulator)
    first = ansible.playbook(play(), extra_vars=ids)
    assert first.rc == 0, first
    copied, converted = first.result("Copy the image"), first.result("Convert the disk")
    assert (copied["changed"], copied["action"], converted["action"]) == (True, "started", "started")
    assert [(record["region"], record["status"], record["usable"]) for record in copied["images"]] == \
        [("eu-central-1", "Available", True), ("us-west-1", "Available", True)]
    assert (converted["disk"]["category"], converted["disk"]["performance_level"]) == ("cloud_essd", "PL2")
    assert start_calls(emulator) == (2, 1)
    lines = progress_lines(first, "localhost", "ecs_image_copy")
    assert lines[0].startswith("[localhost] ecs_image_copy: started CopyImage in cn-hangzhou: m-"), first.stdout
    assert lines[0].endswith(" in eu-central-1") and lines[1].endswith(" in us-west-1"), lines
    assert lines[-1].startswith("[localhost] ecs_image_copy: started, succeeded ["), lines
    assert progress_lines(first, "localhost", "ecs_disk_spec")[-1].startswith(
        "[localhost] ecs_disk_spec: started (task %s), succeeded [" % converted["task_id"])

    for result, module, records in ((copied, ecs_image_copy, copied["images"]), (converted, ecs_disk_spec, [converted["disk"]])):
        returns_what_its_docs_say(result, records, yaml.safe_load(module.RETURN))

    again = ansible.playbook(play(), extra_vars=ids)
    assert again.rc == 0, again
    for name in ("Copy the image", "Convert the disk"):
        assert (again.result(name)["changed"], again.result(name)["action"]) == (False, "none"), again.result(name)
        assert again.status(name) == "ok"
    assert [record["image_id"] for record in again.result("Copy the image")["images"]] == \
        [record["image_id"] for record in copied["images"]]
    assert start_calls(emulator) == (2, 1)  # the rerun started nothing
    assert progress_lines(again, "localhost", "ecs_disk_spec")[-1] == "[localhost] ecs_disk_spec: nothing to start, already there"


def test_check_mode_with_diff_sends_dry_runs_and_changes_nothing(emulator, ansible):
    ids = resources(emulator)
    run = ansible.playbook(play(), extra_vars=ids, check=True, args=("--diff",))
    assert run.rc == 0, run
    copied, converted = run.result("Copy the image"), run.result("Convert the disk")
    assert (copied["changed"], copied["action"], converted["changed"], converted["action"]) == \
        (True, "started", True, "started")
    assert [record["image_id"] for record in copied["images"]] == [None, None]
    # The diffs Ansible prints: the disk's category before and after, the copies after.
    assert '-    "category": "cloud_efficiency",' in run.stdout and '+    "category": "cloud_essd",' in run.stdout, run.stdout
    assert '+    "performance_level": "PL2"' in run.stdout and '"copied_from": "%s (cn-hangzhou)"' % ids["image_id"] in run.stdout
    assert emulator.stats().get("dry_runs", {}) == {"CopyImage": 2, "ModifyDiskSpec": 1}
    assert start_calls(emulator) == (0, 0) and len(emulator.images()) == 1 and emulator.tasks() == []
    assert emulator.disk(ids["disk_id"])["category"] == "cloud_efficiency"


def test_on_an_ssh_target_with_its_own_credentials(fresh):
    emulator = fresh.emulator
    ids = resources(emulator)
    run = fresh.play(play("builder1"), ids)
    assert run.rc == 0, run.results
    assert run.result("Copy the image")["action"] == "started" and run.result("Convert the disk")["action"] == "started"
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    assert progress_lines(run, "builder1", "ecs_disk_spec")[0].startswith(
        "[builder1] ecs_disk_spec: started ModifyDiskSpec in cn-hangzhou: task t-"), run.stdout
    again = fresh.play(play("builder1"), ids)
    assert again.rc == 0, again
    assert [again.result(name)["action"] for name in ("Copy the image", "Convert the disk")] == ["none", "none"]
    assert start_calls(emulator) == (2, 1)


@pytest.mark.parametrize("module, action, args", [
    ("alicloud.ecs.ecs_image_copy", "CopyImage",
     "        image_id: m-killed000000000001\n        destination_regions: [eu-central-1]\n"
     "        destination_image_name: killed"),
    ("alicloud.ecs.ecs_disk_spec", "ModifyDiskSpec",
     "        disk_id: d-killed000000000001\n        disk_category: cloud_essd"),
], ids=["copy", "disk_spec"])
def test_a_run_killed_after_its_start_call_is_attached_to_by_the_rerun(emulator, ansible, tmp_path, module, action,
                                                                       args):
    emulator.create_images(image_id="m-killed000000000001", status="Available")
    emulator.create_disks(disk_id="d-killed000000000001", category="cloud_ssd")
    emulator.set_actions(**{action: {"duration": 8}})
    playbook = tmp_path / "start.yml"
    playbook.write_text(KILL_PLAY % {"module": module, "url": emulator.url, "args": args})

    code, output = ansible.playbook_killed(str(playbook), lambda: emulator.stats()["calls"].get(action, 0) >= 1)
    assert code == -signal.SIGKILL, output
    if action == "CopyImage":
        [copy] = emulator.images(region="eu-central-1")
        assert copy["status"] == "Creating", "killed after the copy ended: %s" % copy
    else:
        [task] = emulator.tasks()
        assert task["status"] in ("Waiting", "Processing"), "killed after the work ended: %s" % task

    rerun = ansible.playbook(str(playbook))
    assert rerun.rc == 0, rerun
    result = rerun.result("Start it")
    # 8 s of work outlive the rerun's look-up: it attaches, and waits for what the first run started.
    assert (result["action"], result["changed"], result["wait_status"]) == ("attached", True, "succeeded"), result
    assert emulator.stats()["calls"][action] == 1  # the rerun started nothing
    if action == "CopyImage":
        assert result["images"][0]["image_id"] == copy["image_id"] and result["images"][0]["status"] == "Available"
    else:
        assert result["task_id"] == task["task_id"] and result["disk"]["category"] == "cloud_essd"
