# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EXAMPLES of ecs_task_info run, as written, against the emulator and every task succeeds.

Only the placeholder task ids (t-bp1hvgwromzv32iq0001 ...) are replaced, by ids
of emulator tasks made to fit what each example expects; the connection
(endpoint, keys) comes from the environment, as it would for a user.
"""

from __future__ import annotations

import re

import yaml

from ansible_collections.alicloud.ecs.plugins.modules import ecs_task_info
from tests.system.ansible_run import examples_playbook

PLACEHOLDER = re.compile(r"t-bp1hvgwromzv32iq(\d{4})")
TASK_SPECS = {
    # Read, then asked where it put its file: a finished image export.
    "0001": {"action": "ExportImage", "duration": 0, "related_items": {"OSSBucket": "example-bucket"}},
    "0002": {"action": "ImportImage", "duration": 3600},
    # Found by "image exports that failed in the last day".
    "0003": {"action": "ExportImage", "duration": 0, "outcome": "Failed",
             "error_code": "InvalidOSSBucket.NotFound", "error_msg": "The specified OSS bucket does not exist."},
}


def example_tasks():
    tasks = yaml.safe_load(ecs_task_info.EXAMPLES)
    assert isinstance(tasks, list) and tasks, "EXAMPLES must be a YAML list of tasks"
    return tasks


def test_examples_parse_and_use_known_placeholders():
    placeholders = set(PLACEHOLDER.findall(ecs_task_info.EXAMPLES))
    assert placeholders and placeholders <= set(TASK_SPECS), placeholders
    modules = [name for task in example_tasks() for name in task if "." in name]
    assert "alicloud.ecs.ecs_task_info" in modules


IMAGE = "m-bp1g7004ksh0oeuc0001"


def test_examples_run_against_the_emulator(ansible, emulator):
    ids = {key: emulator.create_tasks(**spec)[0] for key, spec in TASK_SPECS.items()}
    # The image of "is an export of this image still running": one export of it ended, one runs.
    emulator.create_tasks(action="ExportImage", duration=0, resource_id=IMAGE)
    running_export = emulator.create_tasks(action="ExportImage", duration=3600, resource_id=IMAGE)[0]
    text = PLACEHOLDER.sub(lambda match: ids[match.group(1)], ecs_task_info.EXAMPLES)
    playbook, names = examples_playbook(text, "ecs_task_info EXAMPLES")
    run = ansible.playbook(playbook)

    assert run.rc == 0, run
    assert [entry["task"] for entry in run.results] == names, run
    for entry in run.results:
        assert entry["status"] == "ok", (entry["task"], entry["result"].get("msg"))
        assert entry["result"].get("changed") is False, entry

    # What the examples show is what the emulator holds.
    states = run.result("Show the state of each")["msg"]
    assert states == {ids["0001"]: "Finished", ids["0002"]: "Processing", ids["0003"]: "Failed"}
    failed = run.result("Image exports that failed in the last day, with their errors")["tasks"]
    assert [(task["task_id"], task["error_code"]) for task in failed] == [(ids["0003"], "InvalidOSSBucket.NotFound")]
    assert run.result("Its unfinished exports")["msg"] == [running_export]
    assert len(run.result("Is an export of this image still running (to wait on it instead of starting another)?")["tasks"]) == 2
    truth = emulator.task(ids["0001"])["related_items"]
    assert run.result("Print the OSS object")["msg"] == "oss://example-bucket/%s" % truth["OSSObject"]
