# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait through real ansible-playbook runs: how waits end, and what the result holds.

Each test runs one playbook of tests/integration/playbooks against the
session emulator (time scale 1, so task durations below are seconds) and
checks the recorded task results against the emulator's own state and stats.
Where a test needs a task to stay in one state while the wait is seen polling
it (however long ansible takes to start), the task is made long and the
emulator's virtual clock is moved on once its stats show those polls
(``advance_when``), on an emulator of this module's own.
"""

from __future__ import annotations


import pytest

from tests.emulator.harness import Emulator, advance_when
from tests.integration.ansible_run import Ansible

# What the issue promises every result holds, whatever the ending.
RESULT_KEYS = ("tasks", "succeeded", "failed_task_ids", "pending", "elapsed", "api_calls", "timed_out")


@pytest.fixture(scope="module")
def own_server():
    """An emulator whose virtual clock these tests may move on without disturbing others."""
    with Emulator() as server:
        yield server


@pytest.fixture
def own(own_server):
    own_server.reset()
    return own_server


def only(emulator, **spec):
    ids = emulator.create_tasks(**spec)
    assert len(ids) == 1
    return ids[0]


def record(result, task_id):
    matches = [entry for entry in result["tasks"] if entry["task_id"] == task_id]
    assert len(matches) == 1, result["tasks"]
    return matches[0]


def test_success_fail_fast_and_register_keep_everything(ansible, emulator):
    export_ok = only(emulator, action="ExportImage", duration=1)
    export_bad = only(emulator, action="ExportImage", duration=0.5, outcome="Failed",
                      error_code="ImageExport.DiskBroken", error_msg="The system disk could not be read.")
    slow = only(emulator, action="ExportImage", duration=3600)

    run = ansible.playbook("playbooks/wait_outcomes.yml",
                           extra_vars={"export_ok": export_ok, "export_bad": export_bad, "slow": slow})
    assert run.rc == 0, run

    # Success: the export's related items, as the emulator made them.
    exported = run.result("Wait for the export that finishes")
    truth = emulator.task(export_ok)
    assert run.status("Wait for the export that finishes") == "ok"
    assert exported["succeeded"] == [export_ok]
    assert exported["failed_task_ids"] == [] and exported["pending"] == []
    assert exported["timed_out"] is False and exported["changed"] is False
    task = record(exported, export_ok)
    assert task["task_status"] == truth["status"] == "Finished"
    assert task["wait_outcome"] == "succeeded" and task["progress"] == 100
    assert set(task["related_items"]) >= {"OSSBucket", "OSSObject", "ImageFormat"}
    for name in ("OSSBucket", "OSSObject", "ImageFormat"):
        assert task["related_items"][name] == truth["related_items"][name]
    assert export_ok in task["related_items"]["OSSObject"]
    shown = run.result("Use what the export produced")["msg"]
    assert shown == "oss://%s/%s" % (truth["related_items"]["OSSBucket"], truth["related_items"]["OSSObject"])

    # Fail-fast: the task's own error in the message and the record; the slow one still pending.
    failure = run.result("Wait for a failing export and a slow one (fails fast)")
    assert run.status("Wait for a failing export and a slow one (fails fast)") == "ignored"
    assert "ImageExport.DiskBroken" in failure["msg"] and "The system disk could not be read." in failure["msg"]
    assert export_bad in failure["msg"]
    bad = record(failure, export_bad)
    assert bad["error_code"] == "ImageExport.DiskBroken"
    assert bad["error_msg"] == "The system disk could not be read."
    assert bad["task_status"] == "Failed" and bad["wait_outcome"] == "failed"
    assert failure["failed_task_ids"] == [export_bad]
    assert failure["pending"] == [slow] and failure["succeeded"] == []
    assert record(failure, slow)["wait_outcome"] == "pending"
    assert failure["timed_out"] is False
    # Fail-fast did not wait for the slow task: it is still running for real.
    assert emulator.task(slow)["status"] == "Processing"

    # register + ignore_errors / failed_when: the registered variable holds everything.
    kept = run.result("Show what register kept")["results"]
    registered = {entry["item"]: entry[entry["item"]] for entry in kept}
    for name in ("fast_failure", "judged"):
        for key in RESULT_KEYS:
            assert key in registered[name], (name, key)
        assert registered[name]["failed_task_ids"] == [export_bad]
        assert registered[name]["pending"] == [slow]
        assert registered[name]["api_calls"] >= 2
        assert "ImageExport.DiskBroken" in registered[name]["msg"]
    assert registered["fast_failure"]["failed"] is True
    # failed_when replaced Ansible's flag; the ids are still there.
    assert registered["judged"]["failed"] is False
    assert run.status("Same wait, failure judged by failed_when") == "ok"


def test_mode_any_versus_all_and_fail_on_failure_false(ansible, emulator):
    quick = only(emulator, action="ImportImage", duration=1)
    slow = only(emulator, action="ImportImage", duration=3600)
    bad = only(emulator, action="ImportImage", duration=0.5, outcome="Failed",
               error_code="InvalidImage.Format", error_msg="The image file is not a disk image.")
    ok = only(emulator, action="ImportImage", duration=1.5)

    run = ansible.playbook("playbooks/wait_modes.yml", extra_vars={"quick": quick, "slow": slow, "bad": bad, "ok": ok})
    assert run.rc == 0, run

    # any: the first success ends the wait; the other task is left running.
    any_result = run.result("Any of them is enough")
    assert run.status("Any of them is enough") == "ok"
    assert any_result["succeeded"] == [quick] and any_result["pending"] == [slow]
    assert any_result["timed_out"] is False
    assert "mode any" in any_result["msg"]

    # all: the same pair times out on the slow one.
    all_result = run.result("All of them are needed")
    assert run.status("All of them are needed") == "ignored"
    assert all_result["timed_out"] is True
    assert all_result["succeeded"] == [quick] and all_result["pending"] == [slow]
    assert "timeout" in all_result["msg"] and slow in all_result["msg"]
    assert emulator.task(slow)["status"] == "Processing"

    # fail_on_failure: false waits for the others and reports the failure without failing.
    tolerant = run.result("Keep waiting for the others when one fails")
    assert run.status("Keep waiting for the others when one fails") == "ok"
    assert tolerant["failed_task_ids"] == [bad] and tolerant["succeeded"] == [ok] and tolerant["pending"] == []
    assert record(tolerant, bad)["error_code"] == "InvalidImage.Format"
    assert record(tolerant, ok)["task_status"] == emulator.task(ok)["status"] == "Finished"
    assert "InvalidImage.Format" in tolerant["msg"]


def test_late_task_succeeds_and_missing_task_fails_after_not_found_checks(own):
    emulator, ansible = own, Ansible(own)
    late = only(emulator, action="ExportImage", duration=1, visible_after=600)
    ghost = "t-bp1neverexisted0000"

    def polled_twice_unseen(stats):
        return stats["errors"].get("InvalidTaskId.NotFound", 0) >= 2

    with advance_when(emulator, polled_twice_unseen, 600) as advanced:
        run = ansible.playbook("playbooks/wait_visibility.yml", extra_vars={"late": late, "ghost": ghost})
    assert run.rc == 0, run
    assert advanced, "the wait never polled the late task while it was unknown"

    late_result = run.result("Wait for a task that shows up late")
    assert run.status("Wait for a task that shows up late") == "ok"
    assert late_result["succeeded"] == [late]
    assert record(late_result, late)["task_status"] == "Finished"
    # Two "not found" answers, then the task.
    assert late_result["api_calls"] >= 3

    ghost_result = run.result("Wait for a task that never shows up")
    assert run.status("Wait for a task that never shows up") == "ignored"
    assert ghost_result["failed_task_ids"] == [ghost]
    missing = record(ghost_result, ghost)
    assert missing["wait_outcome"] == "not_found"
    assert missing["error_code"] == "InvalidTaskId.NotFound"
    assert "was never found in region cn-hangzhou in 3 polls (not_found_checks: 2)" in ghost_result["msg"]
    assert ghost_result["timed_out"] is False
    # One task alone is polled with DescribeTaskAttribute: one miss per check, then the verdict.
    assert ghost_result["api_calls"] == 3
    assert emulator.stats()["errors"]["InvalidTaskId.NotFound"] >= 3 + 2


def test_conditions_on_a_summary_field_and_on_task_process(own):
    emulator, ansible = own, Ansible(own)
    running = emulator.create_tasks(action="ExportImage", count=2, duration=3600)
    # Waiting (0%) for 600 s, then 1% every 10 s.
    starting = [only(emulator, action="ExportImage", wait=600, duration=1000),
                only(emulator, action="ImportImage", wait=600, duration=1000)]

    def two_rounds_at_zero(stats):
        # 2 reads for the first playbook task, then 2 a round for the second.
        return stats["calls"].get("DescribeTaskAttribute", 0) >= len(running) + 2 * 2

    with advance_when(emulator, two_rounds_at_zero, 700) as advanced:
        run = ansible.playbook("playbooks/wait_conditions.yml", extra_vars={"running": running, "starting": starting})
    assert run.rc == 0, run
    assert advanced

    on_summary = run.result("Succeed once the tasks run (a DescribeTasks field)")
    assert on_summary["succeeded"] == running
    assert [record(on_summary, task_id)["task_status"] for task_id in running] == ["Processing", "Processing"]
    # A condition on DescribeTasks fields polls with DescribeTasks only; the one attribute
    # read per task is for the record of the decided task.
    assert on_summary["api_calls"] == 1 + len(running)

    on_progress = run.result("Succeed once an export made progress, fail an import that did (TaskProcess)")
    export_id, import_id = starting
    assert on_progress["succeeded"] == [export_id]
    assert on_progress["failed_task_ids"] == [import_id]
    assert record(on_progress, export_id)["task_status"] == "Processing"
    assert record(on_progress, export_id)["progress"] >= 10
    assert "failure_condition" in on_progress["msg"]
    # TaskProcess is only in DescribeTaskAttribute: every round read it for both tasks.
    stats = emulator.stats()["calls"]
    rounds = stats["DescribeTasks"] - 1  # the first playbook task made one DescribeTasks call
    assert rounds >= 3  # two at 0%, then one that saw the progress
    assert stats["DescribeTaskAttribute"] - len(running) >= 2 * rounds


def test_unlisted_end_state_fails_at_once_strict_or_lenient(ansible, emulator):
    # Failed is in no list of either wait: the task can never change again, so both fail at once
    # (an unknown state that is not an end state stays lenient: see the unit tests, the emulator has none).
    broken = only(emulator, action="ModifyDiskSpec", duration=0.3, outcome="Failed",
                  error_code="InvalidDiskCategory.NotSupported", error_msg="The disk category is not supported.")

    run = ansible.playbook("playbooks/wait_states.yml", extra_vars={"broken": broken})
    assert run.rc == 0, run

    reason = "ended in state 'Failed', which is neither in target_states ['Finished'] nor in failure_states ['Deleted']"
    for name in ("Strict, pending_states given", "Lenient, no pending_states"):
        result = run.result(name)
        assert run.status(name) == "ignored", (name, result)
        assert result["timed_out"] is False and result["failed_task_ids"] == [broken], (name, result)
        assert reason in result["msg"], (name, result["msg"])
        assert "InvalidDiskCategory.NotSupported" in result["msg"]
        assert record(result, broken)["task_status"] == "Failed"
    assert emulator.task(broken)["status"] == "Failed"


DETAILS_PLAY = """
- name: ecs_task_wait details
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait with details set
      alicloud.ecs.ecs_task_wait:
        task_ids: "{{ ids }}"
        details: "{{ details }}"
        fail_on_failure: false
        poll_interval: 0.3s
        timeout: 30s
      register: waited
"""


@pytest.mark.parametrize("details, read", [("failed", 1), ("none", 0)])
def test_details_limit_the_attribute_reads(own, details, read):
    emulator = own
    good = emulator.create_tasks(action="ExportImage", count=2, duration=0.5, related_items={"OSSBucket": "b"})
    bad = only(emulator, action="ExportImage", duration=0.5, outcome="Failed",
               error_code="ImageExport.DiskBroken", error_msg="The system disk could not be read.")
    # Ended before the wait starts: one DescribeTasks round decides all three.
    emulator.advance(5)

    run = Ansible(own).playbook(DETAILS_PLAY, extra_vars={"ids": good + [bad], "details": details})
    assert run.rc == 0, run
    result = run.result("Wait with details set")
    assert result["succeeded"] == good and result["failed_task_ids"] == [bad]
    assert emulator.stats()["calls"].get("DescribeTaskAttribute", 0) == read
    assert all(record(result, task_id)["related_items"] == {} for task_id in good)
    assert record(result, bad)["error_code"] == ("ImageExport.DiskBroken" if read else None)
    assert record(result, bad)["task_status"] == "Failed"
