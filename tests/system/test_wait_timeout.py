# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait timing out with cancel_on_timeout, for real and in check mode, checked against the emulator."""

from __future__ import annotations

import pytest

TASK = "Wait, then cancel on timeout"


def start(emulator):
    running = emulator.create_tasks(action="ExportImage", duration=3600)[0]
    fixed = emulator.create_tasks(action="ModifyDiskSpec", duration=3600)[0]
    assert emulator.task(running)["support_cancel"] is True
    assert emulator.task(fixed)["support_cancel"] is False
    return running, fixed


def record(result, task_id):
    return [entry for entry in result["tasks"] if entry["task_id"] == task_id][0]


def test_cancel_on_timeout_cancels_the_running_task(ansible, emulator):
    running, fixed = start(emulator)

    run = ansible.playbook("playbooks/wait_cancel.yml", extra_vars={"running": running, "fixed": fixed})
    assert run.rc == 0, run

    result = run.result(TASK)
    assert run.status(TASK) == "ignored"
    assert result["timed_out"] is True
    assert result["changed"] is True
    assert result["cancelled"] == [running]
    assert result["not_cancellable"] == [fixed]
    assert "would_cancel" not in result
    assert "cancelled 1 task(s): %s" % running in result["msg"]
    # The emulator's ground truth: cancelled for real, and only that one.
    assert emulator.task(running)["status"] == "Deleted"
    assert emulator.task(fixed)["status"] == "Processing"
    assert emulator.stats()["calls"].get("CancelTask") == 1
    # The record shows the state read back after cancelling.
    assert record(result, running)["task_status"] == "Deleted"
    assert sorted(result["pending"]) == sorted([running, fixed])


def test_cancel_on_timeout_in_check_mode_cancels_nothing(ansible, emulator):
    running, fixed = start(emulator)

    run = ansible.playbook("playbooks/wait_cancel.yml", extra_vars={"running": running, "fixed": fixed}, check=True)
    assert run.rc == 0, run

    result = run.result(TASK)
    assert run.status(TASK) == "ignored"
    assert result["timed_out"] is True
    assert result["would_cancel"] == [running]
    assert "cancelled" not in result
    # changed says what a real run would do.
    assert result["changed"] is True
    assert emulator.task(running)["status"] == "Processing"
    assert emulator.task(fixed)["status"] == "Processing"
    assert "CancelTask" not in emulator.stats()["calls"]


@pytest.mark.parametrize("check", [False, True])
def test_timeout_without_cancel_on_timeout_leaves_tasks_alone(ansible, emulator, check):
    running = emulator.create_tasks(action="ExportImage", duration=3600)[0]
    run = ansible.adhoc("alicloud.ecs.ecs_task_wait", {"task_ids": [running], "timeout": "1s", "poll_interval": "0.3s"},
                        check=check)
    assert run.rc != 0, run
    result = run.results[-1]["result"]
    assert result["timed_out"] is True and result["changed"] is False
    assert result["pending"] == [running]
    assert "cancelled" not in result and "would_cancel" not in result
    assert "timeout while waiting for 1 of 1 task" in result["msg"]
    assert "CancelTask" not in emulator.stats()["calls"]
    assert emulator.task(running)["status"] == "Processing"
