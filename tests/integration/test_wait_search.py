# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait by DescribeTasks filters instead of task ids, run by ansible-playbook against the emulator."""

from __future__ import annotations

import yaml


def play(*tasks):
    return yaml.safe_dump([{"name": "wait by filters", "hosts": "localhost", "gather_facts": False,
                            "tasks": list(tasks)}], sort_keys=False)


def wait_task(name, register=None, ignore_errors=False, **options):
    task = {"name": name, "alicloud.ecs.ecs_task_wait": dict({"poll_interval": 1}, **options)}
    if ignore_errors:
        task["ignore_errors"] = True
    return task


def test_waits_by_start_time_and_by_resource_id_find_just_their_tasks(ansible, emulator):
    old = emulator.create_tasks(action="ExportImage", count=2, duration=0)
    emulator.advance(60)  # the next tasks are created a minute later (virtual clock)
    new = emulator.create_tasks(action="ExportImage", count=2, duration=2)
    failing = emulator.create_tasks(action="ExportImage", duration=1, outcome="Failed", error_code="InvalidOSSBucket.NotFound",
                                    error_msg="The specified OSS bucket does not exist.")
    since = emulator.task(new[0])["creation_time"]
    mine = emulator.create_tasks(action="ImportImage", duration=2, resource_id="m-search0000000mine")
    emulator.create_tasks(action="ImportImage", duration=2, resource_id="m-search000000other")

    run = ansible.playbook(play(
        wait_task("since", task_action="ExportImage", start_time=since, fail_on_failure=False),
        wait_task("by resource", resource_ids=["m-search0000000mine"]),
    ))
    assert run.rc == 0, run

    since_result = run.result("since")
    assert sorted(since_result["tasks_by_id"]) == sorted(new + failing)
    assert not set(old) & set(since_result["tasks_by_id"])
    assert sorted(since_result["succeeded"]) == sorted(new) and since_result["failed_task_ids"] == failing
    assert since_result["tasks_by_id"][failing[0]]["error_code"] == "InvalidOSSBucket.NotFound"
    assert since_result["search"]["filters"] == {"task_action": "ExportImage", "start_time": since}
    assert all(record["found_by"] == ["task_action", "start_time"] for record in since_result["tasks"])
    for task_id in new:
        assert since_result["tasks_by_id"][task_id]["task_status"] == emulator.task(task_id)["status"] == "Finished"

    by_resource = run.result("by resource")
    assert list(by_resource["tasks_by_id"]) == mine and by_resource["succeeded"] == mine
    assert by_resource["tasks"][0]["resource_id"] == "m-search0000000mine"
    assert by_resource["tasks"][0]["found_by"] == ["resource_ids"]


def test_a_task_visible_only_after_a_while_is_found_by_searching_again(ansible, emulator):
    late = emulator.create_tasks(action="ExportImage", duration=1, visible_after=3, resource_id="m-search0000000late")
    run = ansible.playbook(play(wait_task("late", resource_ids=["m-search0000000late"], not_found_checks=30)))
    assert run.rc == 0, run
    result = run.result("late")
    assert result["succeeded"] == late and result["search"]["found"] == late
    assert result["search"]["polls"] >= 2, result["search"]


def test_a_search_that_finds_nothing_fails_within_not_found_checks_saying_what_it_searched(ansible, emulator):
    emulator.create_tasks(action="ExportImage", duration=1, resource_id="m-search000000someone")
    run = ansible.playbook(play(wait_task("nothing", task_action="ExportImage", resource_ids=["m-search00000nobody"],
                                          task_status=["Waiting", "Processing"], start_time="2026-01-01T00:00:00Z",
                                          not_found_checks=2, ignore_errors=True)))
    assert run.rc == 0, run
    assert run.status("nothing") == "ignored"
    result = run.result("nothing")
    assert result["timed_out"] is False
    assert result["tasks"] == [] and result["tasks_by_id"] == {}
    assert result["search"]["polls"] == 3 and result["search"]["region"] == "cn-hangzhou"
    for fragment in ("no task matched task_action=ExportImage", "resource_ids=[m-search00000nobody]",
                     "task_status=[Waiting, Processing]", "created since 2026-01-01T00:00:00Z", "in region cn-hangzhou",
                     "none found in 3 searches", "(not_found_checks: 2)"):
        assert fragment in result["msg"], (fragment, result["msg"])
    # Three searches of one page each, and nothing else: the wait never started.
    assert emulator.stats()["calls"] == {"DescribeTasks": 3}
    assert "Traceback" not in run.output
