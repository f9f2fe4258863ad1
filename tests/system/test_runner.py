# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""examples/ci_pipeline.yml through ansible-runner, the executor AWX and Automation Platform use, against the emulator."""

from __future__ import annotations

import os
import shutil
import sys

import ansible_runner

from tests.system.ansible_run import COLLECTIONS, REPO_ROOT

BIN = os.path.dirname(sys.executable)
WAIT_TASK = "Wait for the ECS tasks"


def private_data_dir(root):
    """The layout ansible-runner reads: project/<playbook>, inventory/hosts."""
    os.makedirs(os.path.join(root, "project"))
    os.makedirs(os.path.join(root, "inventory"))
    shutil.copy(os.path.join(REPO_ROOT, "examples", "ci_pipeline.yml"), os.path.join(root, "project"))
    with open(os.path.join(root, "inventory", "hosts"), "w") as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n')
    return root


def run_pipeline(tmp_path, emulator, task_ids, **extravars):
    extravars.update({"ecs_task_ids": task_ids, "ci_report_dir": str(tmp_path / "reports"), "ecs_wait_timeout": 20})
    return ansible_runner.run(
        private_data_dir=private_data_dir(str(tmp_path / "runner")),
        playbook="ci_pipeline.yml",
        extravars=extravars,
        envvars={
            # This interpreter's ansible-playbook, the one runner starts by name.
            "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
            "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "testid",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "testsecret",
            "ALIBABA_CLOUD_REGION_ID": "cn-hangzhou",
            "ALIBABA_CLOUD_ECS_ENDPOINT": emulator.url,
            "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
        },
        quiet=True,
        timeout=180,
    )


def wait_events(runner, event):
    return [e for e in runner.events if e.get("event") == event and e.get("event_data", {}).get("task") == WAIT_TASK]


def test_ci_pipeline_under_ansible_runner_reports_the_wait_in_its_event_stream(tmp_path, emulator):
    ids = emulator.create_tasks(action="ExportImage", count=2, duration=1)
    runner = run_pipeline(tmp_path, emulator, ids)
    assert (runner.status, runner.rc) == ("successful", 0), runner.stdout.read()

    [ok] = wait_events(runner, "runner_on_ok")
    res = ok["event_data"]["res"]
    assert ok["event_data"]["role"] == "wait_for_tasks"
    assert [t["task_id"] for t in res["tasks"]] == ids
    assert [t["task_status"] for t in res["tasks"]] == ["Finished", "Finished"]
    assert res["succeeded"] == ids and res["pending"] == [] and res["timed_out"] is False
    assert all(t["related_items"]["OSSBucket"] for t in res["tasks"])
    assert runner.stats["ok"]["localhost"] >= 1 and not runner.stats["failures"]
    assert (tmp_path / "reports" / "ecs_tasks.xml").is_file()


def test_a_failed_task_fails_the_runner_job_with_the_summary(tmp_path, emulator):
    finished = emulator.create_tasks(action="ExportImage", duration=1)
    failed = emulator.create_tasks(action="ImportImage", duration=1, outcome="Failed", error_code="InvalidImage.Format",
                                   error_msg="bad format")
    runner = run_pipeline(tmp_path, emulator, finished + failed)
    assert (runner.status, runner.rc) == ("failed", 2)

    [ok] = wait_events(runner, "runner_on_ok")
    statuses = {t["task_id"]: t["task_status"] for t in ok["event_data"]["res"]["tasks"]}
    assert statuses == {finished[0]: "Finished", failed[0]: "Failed"}
    [failure] = [e for e in runner.events if e.get("event") == "runner_on_failed"]
    msg = failure["event_data"]["res"]["msg"]
    assert "1 succeeded, 1 failed" in msg and "InvalidImage.Format: bad format" in msg
