# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait under injected faults and over 250 tasks: right answers, bounded API calls.

Ground truth is the emulator's own view (GET /_emulator/tasks) and its call
statistics (GET /_emulator/stats), never the module's word alone.
"""

from __future__ import annotations

import math

import pytest

from tests.emulator.harness import Emulator
from tests.system.ansible_run import Ansible

# With this seed the emulator's fault decisions start: none, throttle, none x3, 5xx, none, throttle, ...
# (one generator, drawn once per request in arrival order), so both kinds surely happen.
FAULT_SEED = 161
TASK = "Wait for all of them"
PLAYBOOK = "playbooks/wait_many.yml"


def by_id(records):
    return {entry["task_id"]: entry for entry in records}


@pytest.fixture(scope="module")
def seeded_server():
    with Emulator(seed=FAULT_SEED) as server:
        yield server


@pytest.fixture
def seeded(seeded_server):
    seeded_server.reset()  # also restarts the fault generator from the seed
    return seeded_server


def test_throttling_and_server_errors_do_not_change_the_answer(seeded):
    emulator, ansible = seeded, Ansible(seeded)
    finishing = emulator.create_tasks(action="ExportImage", count=4, durations=[0.5, 1, 1.5, 2])
    failing = emulator.create_tasks(action="ImportImage", count=2, duration=1, outcome="Failed",
                                    error_code="InvalidImage.Size", error_msg="The image is larger than the disk.")
    ids = finishing + failing
    emulator.faults(throttle_rate=0.3, error_rate=0.2)

    run = ansible.playbook(PLAYBOOK, extra_vars={"task_ids": ids, "poll_interval": "0.3s", "progress_interval": 0})
    emulator.faults(throttle_rate=0, error_rate=0)
    assert run.rc == 0, run
    result = run.result(TASK)
    assert run.status(TASK) == "ok"
    assert result["timed_out"] is False and result["pending"] == []

    truth = by_id(emulator.tasks())
    records = by_id(result["tasks"])
    assert [entry["task_id"] for entry in result["tasks"]] == ids
    for task_id in ids:
        assert records[task_id]["task_status"] == truth[task_id]["status"], task_id
        assert records[task_id]["error_code"] == truth[task_id]["error_code"], task_id
        assert records[task_id]["error_msg"] == truth[task_id]["error_msg"], task_id
        assert records[task_id]["related_items"] == truth[task_id]["related_items"], task_id
    assert result["succeeded"] == [task_id for task_id in ids if truth[task_id]["status"] == "Finished"] == finishing
    assert result["failed_task_ids"] == [task_id for task_id in ids if truth[task_id]["status"] == "Failed"] == failing

    # The faults really happened, and every request the emulator saw is counted in api_calls.
    stats = emulator.stats()
    assert stats["errors"].get("Throttling.User", 0) > 0
    assert stats["errors"].get("InternalError", 0) + stats["errors"].get("ServiceUnavailable", 0) > 0
    assert result["api_calls"] == sum(stats["calls"].values())


def test_250_tasks_stay_within_the_call_budget(ansible, emulator):
    ids = emulator.create_tasks(action="ExportImage", count=250, duration=4)
    poll_interval, progress_interval = 1.0, 1.0

    run = ansible.playbook(PLAYBOOK, extra_vars={"task_ids": ids, "poll_interval": "%ss" % poll_interval,
                                                 "progress_interval": "%ss" % progress_interval})
    assert run.rc == 0, run
    result = run.result(TASK)
    assert result["succeeded"] == ids and result["failed_task_ids"] == [] and result["pending"] == []
    records = by_id(result["tasks"])
    assert all(records[task_id]["related_items"].get("OSSBucket") for task_id in ids)

    calls = emulator.stats()["calls"]
    # Rounds are poll_interval apart (fixed interval, no jitter), the first at once; elapsed is rounded to 0.1 s.
    elapsed = result["elapsed"] + 0.05
    rounds = 1 + int(math.floor(elapsed / poll_interval))
    per_round = int(math.ceil(len(ids) / 100.0))
    assert per_round == 3
    assert per_round <= calls["DescribeTasks"] <= per_round * rounds
    samples = int(math.floor(elapsed / progress_interval))
    assert len(ids) <= calls["DescribeTaskAttribute"] <= len(ids) + samples
    assert set(calls) == {"DescribeTasks", "DescribeTaskAttribute"}
    assert result["api_calls"] == calls["DescribeTasks"] + calls["DescribeTaskAttribute"]
