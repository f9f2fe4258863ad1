# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait through real ansible-playbook runs: the endings judged by the emulator's statistics.

Success, fail-fast, what `register` keeps, mode any/all and unlisted end
states are asserted by the ansible-test target ecs_task_wait
(tests/integration/targets/ecs_task_wait/tasks/). What stays here needs the
emulator's call and error counts: where a test needs a task to stay in one
state while the wait is seen polling it (however long ansible takes to
start), the task is made long and the emulator's virtual clock is moved on
once its stats show those polls (``advance_when``), on an emulator of this
module's own.
"""

from __future__ import annotations

import pytest

from tests.emulator.harness import Emulator, advance_when
from tests.system.ansible_run import Ansible


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
