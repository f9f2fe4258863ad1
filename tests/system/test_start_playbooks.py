# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_image_import and ecs_image_export in real ansible-playbook runs against the emulator: on the controller and
on an SSH target (tests/system/sshtarget.py), with module_defaults for the action group, --check --diff, and a
SIGKILL of ansible-playbook right after the start call was seen in the emulator's statistics, then a rerun that must
start nothing. The emulator's statistics are the judge of what was started."""

from __future__ import annotations

import json
import signal

import pytest

from tests.system.ssh_site import progress_lines, site_fixtures

# The SSH target's fixtures, for users of this module's own (pytest finds fixtures among a module's names).
site, fresh = site_fixtures("ecsstartbuilder", "ecsstartother")
BUCKET, SOURCE = "builds", "images/web.qcow2"

PLAY = """
- name: Make the image and its export
  hosts: %(hosts)s
  gather_facts: false
  module_defaults:
    group/alicloud.ecs.ecs:
      region: cn-hangzhou
      oss_endpoint: "{{ emulator_url }}"
      poll_interval: 1s
      display_interval: 1s
  tasks:
    - name: Import the image
      alicloud.ecs.ecs_image_import:
        image_name: web
        oss_bucket: builds
        oss_object: images/web.qcow2
        format: qcow2
      register: imported

    - name: Export it
      alicloud.ecs.ecs_image_export:
        image_id: "{{ imported.image_id | default('m-checkmode0000000001', true) }}"
        oss_bucket: exports
        oss_prefix: web
        image_format: QCOW2
      register: exported
      # In check mode nothing was imported, so there is nothing to export: the look-up says so.
      ignore_errors: "{{ ansible_check_mode }}"
"""


def play(hosts="localhost"):
    return PLAY % {"hosts": hosts}


def start_calls(emulator):
    return emulator.calls("ImportImage"), emulator.calls("ExportImage")


@pytest.fixture
def quick(emulator):
    emulator.put_object(BUCKET, SOURCE, size=4096)
    emulator.set_actions(ImportImage={"duration": 3}, ExportImage={"duration": 3})
    return emulator


def test_on_the_controller_with_module_defaults_then_a_rerun_changes_nothing(quick, ansible):
    first = ansible.playbook(play(), extra_vars={"emulator_url": quick.url})
    assert first.rc == 0, first
    imported, exported = first.result("Import the image"), first.result("Export it")
    assert (imported["changed"], imported["action"], exported["action"]) == (True, "started", "started")
    assert imported["image"]["usable"] is True and exported["objects"][0]["size"] > 0
    assert start_calls(quick) == (1, 1)
    lines = progress_lines(first, "localhost", "ecs_image_import")
    assert lines[0] == "[localhost] ecs_image_import: started ImportImage in cn-hangzhou: task %s" % imported["task_id"]
    assert lines[-1].startswith("[localhost] ecs_image_import: started (task %s), succeeded [" % imported["task_id"])

    again = ansible.playbook(play(), extra_vars={"emulator_url": quick.url})
    assert again.rc == 0, again
    for name in ("Import the image", "Export it"):
        assert (again.result(name)["changed"], again.result(name)["action"]) == (False, "none"), again.result(name)
        assert again.status(name) == "ok"
    assert again.result("Import the image")["image_id"] == imported["image_id"]
    assert again.result("Export it")["objects"] == exported["objects"]
    assert start_calls(quick) == (1, 1)  # the rerun started nothing
    assert progress_lines(again, "localhost", "ecs_image_export")[-1] == \
        "[localhost] ecs_image_export: nothing to start, already there"


def test_check_mode_with_diff_sends_dry_runs_and_creates_nothing(quick, ansible):
    run = ansible.playbook(play(), extra_vars={"emulator_url": quick.url}, check=True, args=("--diff",))
    assert run.rc == 0, run
    imported = run.result("Import the image")
    assert (imported["changed"], imported["action"], imported["image_id"]) == (True, "started", None)
    assert imported["diff"]["after"]["imported_from"] == "oss://builds/images/web.qcow2"
    # The diff Ansible prints: the image's fields after, none before.
    assert '+    "imported_from": "oss://builds/images/web.qcow2"' in run.stdout, run.stdout
    assert quick.stats().get("dry_runs", {}).get("ImportImage") == 1 and start_calls(quick) == (0, 0)
    assert quick.images() == [] and quick.tasks() == []
    # The export of an image that does not exist yet is refused in its look-up, naming it.
    assert run.result("Export it")["error_code"] == "InvalidImageId.NotFound"


def test_on_an_ssh_target_with_its_own_credentials(fresh):
    emulator = fresh.emulator
    emulator.put_object(BUCKET, SOURCE, size=4096)
    emulator.set_actions(ImportImage={"duration": 3}, ExportImage={"duration": 3})
    run = fresh.play(play("builder1"), {"emulator_url": emulator.url})
    assert run.rc == 0, run.results
    assert run.result("Import the image")["action"] == "started" and run.result("Export it")["action"] == "started"
    assert fresh.keys_seen().keys() == {"builderid"}, fresh.keys_seen()
    assert progress_lines(run, "builder1", "ecs_image_export")[0].startswith(
        "[builder1] ecs_image_export: started ExportImage in cn-hangzhou: task t-"), run.stdout
    again = fresh.play(play("builder1"), {"emulator_url": emulator.url})
    assert again.rc == 0, again
    assert [again.result(name)["action"] for name in ("Import the image", "Export it")] == ["none", "none"]
    assert start_calls(emulator) == (1, 1)


KILL_PLAY = """
- name: One start module
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Start it
      %(module)s:
        region: cn-hangzhou
        oss_endpoint: "%(url)s"
        poll_interval: 1s
%(args)s
      register: started
"""


@pytest.mark.parametrize("module, action, args", [
    ("alicloud.ecs.ecs_image_import", "ImportImage",
     "        image_name: killed\n        oss_bucket: builds\n        oss_object: images/web.qcow2"),
    ("alicloud.ecs.ecs_image_export", "ExportImage",
     "        image_id: m-killed000000000001\n        oss_bucket: exports\n        oss_prefix: killed"),
], ids=["import", "export"])
def test_a_run_killed_after_its_start_call_is_attached_to_by_the_rerun(emulator, ansible, tmp_path, module, action,
                                                                       args):
    emulator.put_object(BUCKET, SOURCE, size=4096)
    emulator.create_images(image_id="m-killed000000000001", status="Available")
    emulator.set_actions(**{action: {"duration": 8}})
    playbook = tmp_path / "start.yml"
    playbook.write_text(KILL_PLAY % {"module": module, "url": emulator.url, "args": args})

    code, output = ansible.playbook_killed(str(playbook), lambda: emulator.stats()["calls"].get(action, 0) >= 1)
    assert code == -signal.SIGKILL, output
    [task] = [task for task in emulator.tasks() if task["action"] == action]
    assert task["status"] in ("Waiting", "Processing"), "killed after the work ended: %s" % task

    rerun = ansible.playbook(str(playbook))
    assert rerun.rc == 0, rerun
    result = rerun.result("Start it")
    assert result["action"] in ("attached", "none") and result["task_id"] in (task["task_id"], None), result
    assert result["action"] == "attached" and result["changed"] is True, result  # 8 s of work outlive the rerun's look-up
    assert result["wait_status"] == "succeeded"
    assert emulator.stats()["calls"][action] == 1  # the rerun started nothing
    assert json.dumps(result).count(task["task_id"]) >= 1
