# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EXAMPLES of ecs_task_wait run, as written, against the emulator, and every task succeeds.

The examples refer to variables a real playbook would have set earlier
(``export``, ``imports``, ``task_ids``) and to one placeholder task id; the
play supplies them from emulator tasks that fit what each example expects.
The connection (endpoint, keys) comes from the environment, as for a user.
"""

from __future__ import annotations

import re

from ansible_collections.alicloud.ecs.plugins.modules import ecs_task_wait
from tests.system.ansible_run import examples_playbook

PLACEHOLDER = re.compile(r"t-bp1hvgwromzv32iq(\d{4})")


def test_examples_run_against_the_emulator(ansible, emulator, tmp_path):
    export_id = emulator.create_tasks(action="ExportImage", duration=0, related_items={"OSSBucket": "example-bucket"})[0]
    imports = emulator.create_tasks(action="ImportImage", count=2, duration=0)
    failed_import = emulator.create_tasks(action="ImportImage", duration=0, outcome="Failed",
                                          error_code="InvalidImage.Format", error_msg="The image format is not supported.")
    # Runs for a few seconds, so "at least half done" is seen on the way, not only at the end.
    running = emulator.create_tasks(action="ExportImage", duration=6)[0]
    # Started by "an earlier run": found by the search of the re-attach example, with one ended export beside it.
    emulator.create_tasks(action="ExportImage", duration=0, resource_id="m-bp1g7004ksh0oeuc0001")
    earlier = emulator.create_tasks(action="ExportImage", duration=12, resource_id="m-bp1g7004ksh0oeuc0001")[0]
    text = PLACEHOLDER.sub(running, ecs_task_wait.EXAMPLES)
    playbook, names = examples_playbook(text, "ecs_task_wait EXAMPLES", vars={
        "export": {"task_id": export_id},
        "imports": [{"task_id": task_id} for task_id in imports + failed_import],
        "task_ids": imports,
    })
    # A host's own variable, as hostvars of every play host show it (play vars are not in hostvars).
    run = ansible.playbook(playbook, env={"ANSIBLE_ASYNC_DIR": str(tmp_path / "async")},
                           extra_vars={"export_task_id": export_id})

    assert run.rc == 0, run
    assert [entry["task"] for entry in run.results] == names, run
    for name in names:
        assert run.status(name) == "ok", (name, run.result(name).get("msg"))

    half = [name for name in names if name.startswith("Wait until a task is at least half done")]
    assert half, names
    record = run.result(half[0])["tasks"][0]
    assert record["task_id"] == running and record["progress"] >= 50, record

    truth = emulator.task(export_id)["related_items"]
    assert run.result("Show where the image went")["msg"] == "oss://example-bucket/%s" % truth["OSSObject"]

    imported = run.result("Wait for many imports, cancel whatever is still running after 2 hours")
    assert imported["succeeded"] == imports and imported["failed_task_ids"] == failed_import
    assert imported["tasks"][2]["error_code"] == "InvalidImage.Format"

    reattached = run.result("Wait on the export of this image started by an earlier run, whatever its task id")
    assert reattached["succeeded"] == [earlier] and reattached["search"]["found"] == [earlier], reattached
    assert reattached["tasks_by_id"][earlier]["found_by"] == ["task_action", "resource_ids", "task_status", "start_time"]
    assert run.result("One wait for every host's task; each host reads its own record")["tasks_by_id"][export_id]["task_status"] == "Finished"

    waited = run.result("Collect the result")
    assert waited["finished"] and sorted(waited["succeeded"]) == sorted(imports)
