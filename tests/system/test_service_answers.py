# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules against what the service sends that the 0.2 emulator never did (issue 18, items 4, 6, 7, 8).

RAM denials in both styles, pages smaller than asked, TaskProcess text, exports of several
disks, queued tasks DescribeTasks does not list, and a filtered search whose pages shift while
it reads them. Real ansible-playbook runs where the module's result is what counts; the library
over signed HTTP where the emulator's clock must move between two pages.
"""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, StaticCredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.wait import prepare_wait, run_wait
from tests.emulator.harness import advance_when
from tests.system.ansible_run import Ansible

RAM_KEY, RAM_SECRET = "LTAIramuser0000", "ram-secret-never-shown-0000"

READ_AS_RAM_USER = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait on two tasks
      alicloud.ecs.ecs_task_wait: {task_ids: "{{ ids }}", timeout: 60, poll_interval: 0.3, not_found_checks: 2}
      register: waited
      ignore_errors: true
    - name: Wait on one task
      alicloud.ecs.ecs_task_wait: {task_ids: "{{ ids[:1] }}", timeout: 60, poll_interval: 0.3, not_found_checks: 2}
      register: waited_one
      ignore_errors: true
    - name: Look the tasks up
      alicloud.ecs.ecs_task_info: {task_ids: "{{ ids }}"}
      register: info
      ignore_errors: true
"""


@pytest.fixture
def own(emulator):
    """The session emulator, reset (permissions and faults too), also accepting the RAM user's key."""
    emulator.add_key(RAM_KEY, RAM_SECRET)
    return emulator


# -- item 8: RAM denials ------------------------------------------------------------------------------
def test_a_ram_denial_ends_at_once_naming_the_permission_and_the_identity(own):
    ids = own.create_tasks(count=2, duration=3600)
    own.permissions({RAM_KEY: {"deny": ["DescribeTasks", "DescribeTaskAttribute"], "style": "403"}})
    run = Ansible(own, access_key=RAM_KEY, secret_key=RAM_SECRET).playbook(READ_AS_RAM_USER, extra_vars={"ids": ids},
                                                                           verbosity=3)
    assert RAM_SECRET not in run.output
    for name, action in (("Wait on two tasks", "DescribeTasks"), ("Wait on one task", "DescribeTaskAttribute"),
                         ("Look the tasks up", "DescribeTasks")):
        result = run.result(name)
        assert run.status(name) == "ignored" and result["error_code"] == "Forbidden.RAM", result
        assert "grant ecs:%s to the RAM user or role of AccessKeyId %s" % (action, RAM_KEY) in result["msg"], result["msg"]
    # Not retried, not polled on: one call each, then the end.
    assert own.stats()["errors"]["Forbidden.RAM"] == 3


def test_empty_answers_of_a_ram_user_before_2025_read_as_never_found_and_say_why_it_may_be(own):
    ids = own.create_tasks(count=2, duration=3600)
    own.permissions({RAM_KEY: {"deny": ["DescribeTasks", "DescribeTaskAttribute"], "style": "empty"}})
    run = Ansible(own, access_key=RAM_KEY, secret_key=RAM_SECRET).playbook(READ_AS_RAM_USER, extra_vars={"ids": ids})
    note = ("nothing was ever found in region cn-hangzhou: if the tasks exist, AccessKeyId %s may lack ecs:DescribeTasks "
            "and ecs:DescribeTaskAttribute" % RAM_KEY)
    for name in ("Wait on two tasks", "Wait on one task"):
        result = run.result(name)
        assert run.status(name) == "ignored" and result["wait_status"] == "failed", result
        assert "was never found in region cn-hangzhou in 3 polls (not_found_checks: 2)" in result["msg"], result["msg"]
        assert note in result["msg"], result["msg"]
    # A DescribeTaskAttribute 200 without a TaskId is "not found", not an invalid answer retried until the timeout.
    assert "InvalidResponse" not in run.output, run
    assert run.result("Look the tasks up")["missing"] == ids


# -- item 7: pages smaller than asked; TaskProcess text ----------------------------------------------------
def test_pages_smaller_than_asked_lose_no_task(own):
    ids = own.create_tasks(count=150, action="ImportImage", duration=3600)
    own.faults(page_size_cap=30)
    run = Ansible(own).playbook("""
- hosts: localhost
  gather_facts: false
  tasks:
    - name: By id
      alicloud.ecs.ecs_task_info: {task_ids: "{{ ids }}"}
      register: by_id
    - name: By filter
      alicloud.ecs.ecs_task_info: {task_action: ImportImage, task_status: Processing}
      register: by_filter
""", extra_vars={"ids": ids})
    assert run.rc == 0, run
    by_id = run.result("By id")
    assert by_id["missing"] == [] and [task["task_id"] for task in by_id["tasks"]] == ids
    assert sorted(task["task_id"] for task in run.result("By filter")["tasks"]) == sorted(ids)
    # 30 a page: 4 + 2 pages by id (100 ids a call), 5 pages by filter (plus its first, with the status).
    assert own.stats()["calls"]["DescribeTasks"] == 4 + 2 + 1 + 5


# -- items 6, 7, 8: several disks, N/A, a queued task, all in one wait --------------------------------------
def test_several_disks_unknown_progress_and_a_queued_task(own):
    export, = own.create_tasks(action="ExportImage", duration=1, related_items={"OSSBucket": "bkt"},
                               operations=[{"OSSObject": "pre_m-1_system.raw.tar.gz"}, {"OSSObject": "pre_m-1_data1.raw.tar.gz"},
                                           {"OSSObject": "pre_m-1_data2.raw.tar.gz"}])
    unknown, = own.create_tasks(action="ModifyDiskSpec", duration=2, process_text="N/A")
    # Waiting for 3 s: DescribeTasks does not list it; 2 checks would have called it not found after 0.6 s.
    queued, = own.create_tasks(action="ImportImage", wait=3, duration=1, queued_status="Paused")
    run = Ansible(own).playbook("""
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait for all three
      alicloud.ecs.ecs_task_wait: {task_ids: "{{ ids }}", timeout: 60, poll_interval: 0.3, not_found_checks: 2}
      register: waited
""", extra_vars={"ids": [export, unknown, queued]})
    assert run.rc == 0, run
    result = run.result("Wait for all three")
    assert result["succeeded"] == [export, unknown, queued], result["msg"]
    record = result["tasks_by_id"][export]
    assert record["related_items"] == {"OSSBucket": "bkt", "OSSObject": "pre_m-1_system.raw.tar.gz", "ImageFormat": "raw"}
    assert record["related_item_values"]["OSSObject"] == [
        "pre_m-1_system.raw.tar.gz", "pre_m-1_data1.raw.tar.gz", "pre_m-1_data2.raw.tar.gz"]
    assert [op["related_items"]["OSSObject"] for op in record["operation_progress"]] == record["related_item_values"]["OSSObject"]
    # N/A while it ran: progress unknown, not an invalid answer retried until the timeout.
    assert "WARNING" not in run.output and "InvalidResponse" not in run.output, run


# -- item 4: a filtered wait while the pages shift ------------------------------------------------------------
def test_a_filtered_wait_finds_every_task_still_in_its_filter_while_others_leave_it(own):
    # 150 exports run for an hour; 100 newer ones, listed first, end once the search has read its first page.
    staying = own.create_tasks(action="ExportImage", count=150, duration=3600)
    own.create_tasks(action="ExportImage", count=100, duration=30)
    # Each call takes 1 s, so the clock moves while the search is between two pages.
    own.faults(delay_ms=1000)
    client = EcsClient("cn-hangzhou", StaticCredentialsProvider(Credentials("testid", "testsecret", source="test")),
                       endpoint=own.url)
    # Processing is the target: the wait ends at its first poll, on whatever the search found.
    plan = prepare_wait({"task_action": "ExportImage", "task_status": ["Processing"], "target_states": ["Processing"],
                         "details": "none", "timeout": 60})
    with advance_when(own, lambda stats: stats["calls"].get("DescribeTasks", 0) >= 2, 60) as advanced:
        result = run_wait(plan, client)
    assert advanced
    # Offset paging of the filter read page 2 of the shrunk list: 100 of the 150 were skipped.
    assert set(staying) <= set(result["search"]["found"]), len(set(staying) - set(result["search"]["found"]))
    assert len(result["search"]["found"]) == 150 and result["wait_status"] == "succeeded"
