# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ecs_task_wait by DescribeTasks filters instead of task ids, run by ansible-playbook against the emulator.

Waits by start time, by resource id and for a task that shows up late are asserted by the
ansible-test target ecs_task_wait (tasks/search.yml); what stays here counts the emulator's calls.
"""

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
    # What the log shows while it searches, and how it ended (before: nothing, then "done: 0/0 succeeded").
    # (Three filters make too long a line to name them: the final message does.)
    assert "[localhost] ecs_task_wait: searching: none yet after 1 search [0s elapsed]" in run.output, run.output
    assert "[localhost] ecs_task_wait: failed: no task matched in 3 searches [" in run.output, run.output
    assert "done: 0/0" not in run.output
