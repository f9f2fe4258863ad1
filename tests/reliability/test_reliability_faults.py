# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults: with a fifth of the answers throttled, 5xx or reset (and every answer delayed), waits on
200 tasks still return exactly what the emulator knows to be true, and no traceback."""

from __future__ import annotations

import json
import random

import pytest

from tests.emulator.harness import Emulator
from tests.reliability.conftest import assert_no_traceback, fast_ansible, run_playbook

TIME_SCALE = 20  # virtual seconds per real second: the longest task (60 s) ends after 3 s
# A fifth of the answers fail. Throttling is kept the smallest share: each one rightly halves the client's
# adaptive send rate, and at a random 7% the 250 calls of the wait take 40 s on a small machine.
FAULTS = {"throttle_rate": 0.05, "error_rate": 0.08, "reset_rate": 0.07, "delay_ms": 20}
GROUPS = [
    # (action, outcome, count, extra fields)
    ("ExportImage", "Finished", 90, {}),
    ("ImportImage", "Finished", 50, {}),
    ("ExportImage", "Failed", 30, {"error_code": "InvalidOSSBucket.NotFound", "error_msg": "The OSS bucket does not exist."}),
    ("ModifyDiskSpec", "Failed", 20, {}),
    ("ModifyDiskSpec", "Finished", 10, {"wait": 10}),
]
COUNT = sum(group[2] for group in GROUPS)


@pytest.fixture(scope="module")
def faulty():
    """Its own emulator: compressed time and a fixed seed, so a failure can be replayed."""
    with Emulator(time_scale=TIME_SCALE, seed=20261123) as server:
        yield server


def _create(server):
    rng = random.Random(7)
    ids = []
    for action, outcome, count, extra in GROUPS:
        durations = [rng.choice((1, 5, 15, 30, 60)) for dummy in range(count)]
        ids += server.create_tasks(action=action, outcome=outcome, count=count, durations=durations, **extra)
    rng.shuffle(ids)
    return ids


PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: wait on the controller
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ ids }}"
        fail_on_failure: false
        timeout: 150
        max_interval: 2
      register: controller
"""


@pytest.fixture(scope="module")
def faulty_run(faulty):
    faulty.reset()
    ids = _create(faulty)
    assert len(ids) == COUNT == 200
    faulty.faults(**FAULTS)
    run = run_playbook(fast_ansible(faulty), PLAYBOOK, extra_vars={"ids": ids}, timeout=300)
    faulty.faults(throttle_rate=0, error_rate=0, reset_rate=0, delay_ms=0)
    truth = {task["task_id"]: task for task in faulty.tasks()}
    return run, ids, truth, faulty.stats()


def test_the_faults_happened(faulty_run):
    run, ids, truth, stats = faulty_run
    errors = stats["errors"]
    calls = sum(stats["calls"].values())
    injected = sum(errors.get(code, 0) for code in ("Throttling.User", "InternalError", "ServiceUnavailable", "ConnectionReset"))
    # Each kind of fault was met, and about a fifth of the answers were faults (loosely: it is random).
    assert errors.get("Throttling.User") and (errors.get("InternalError") or errors.get("ServiceUnavailable")), stats
    assert errors.get("ConnectionReset"), stats
    assert 0.08 * calls <= injected <= 0.35 * calls, stats
    assert set(truth) == set(ids)
    assert {task["status"] for task in truth.values()} == {"Finished", "Failed"}, "every task should have ended"


def test_no_traceback_and_rc(faulty_run):
    run = faulty_run[0]
    assert run.rc == 0, run
    assert_no_traceback(run)


def _failed_ids(result):
    """The failed task ids: the return key is being renamed (Ansible takes `failed` for its own flag)."""
    for key in ("failed_task_ids", "failed"):
        if isinstance(result.get(key), list):
            return result[key]
    return None


def test_wait_returns_the_ground_truth(faulty_run):
    run, ids, truth, stats = faulty_run
    task_name = "wait on the controller"
    result = run.result(task_name)
    assert run.status(task_name) == "ok", result
    assert result["timed_out"] is False and result["pending"] == [], result.get("msg")
    expected_ok = sorted(task_id for task_id, task in truth.items() if task["status"] == "Finished")
    expected_failed = sorted(task_id for task_id, task in truth.items() if task["status"] == "Failed")
    assert len(expected_ok) == 150 and len(expected_failed) == 50
    assert sorted(result["succeeded"]) == expected_ok
    records = result["tasks"]
    assert sorted(record["task_id"] for record in records if record["wait_outcome"] == "failed") == expected_failed
    if _failed_ids(result) is not None:
        assert sorted(_failed_ids(result)) == expected_failed
    assert [record["task_id"] for record in records] == ids  # input order kept
    for record in records:
        true = truth[record["task_id"]]
        assert record["task_status"] == true["status"], (record, true)
        assert record["task_action"] == true["action"], (record, true)
        assert record["wait_outcome"] == ("succeeded" if true["status"] == "Finished" else "failed"), record
        # The service gives the minute (the emulator's truth has seconds); the record writes it with :00.
        assert record["finished_time"] == true["finished_time"][:17] + "00Z", (record, true)
        assert record["error_code"] == true["error_code"], (record, true)
        assert record["related_items"] == true["related_items"], (record, true)
        assert record["error_msg"] == true["error_msg"], (record, true)
    # Retries are counted: the client made at least every call the emulator saw from it.
    assert result["api_calls"] >= sum(stats["calls"].values())


def test_fault_settings_round_trip(faulty):
    # What the run used is what the emulator applied (a typo in a field name would silently test nothing).
    applied = faulty.faults(**FAULTS)
    faulty.faults(throttle_rate=0, error_rate=0, reset_rate=0, delay_ms=0)
    for name, value in FAULTS.items():
        assert applied[name] == pytest.approx(value)


def test_playbook_is_the_one_we_think(faulty_run):
    # Guard against a silently skipped task: one result.
    assert [entry["task"] for entry in faulty_run[0].results] == ["wait on the controller"], json.dumps(faulty_run[0].results)[:500]
