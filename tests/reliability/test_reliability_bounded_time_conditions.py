# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded time through ansible-playbook against a condition that costs too much (issue 18): a
JMESPath condition that doubles the answer at each step held a 30 s wait for 58 s, and one nested
1000 deep ended in "Unexpected RecursionError ... This is a bug".
"""

from __future__ import annotations

import json

import pytest

from tests.reliability.conftest import assert_no_traceback, fast_ansible, run_playbook
from tests.reliability.test_reliability_bounded_time import _seconds, _timed

TIMEOUT = 5
MARGIN = 5  # the promise is timeout + 1.5 s; the rest is a loaded machine
# 2**19 copies of the answer as JSON: seconds of work at each evaluation, for each task, before the budget
# (four tasks: 25 s for a timeout of 5 s).
COSTLY = "[@,@] | " * 19 + "to_string(@) == ''"
DEEP = "[" * 1000 + "TaskStatus" + "]" * 1000


@pytest.fixture(scope="module")
def condition_run(emulator_server):
    emulator_server.reset()
    ids = emulator_server.create_tasks(region="cn-hangzhou", action="ImportImage", count=4, duration=600)
    wait = {"task_ids": ids, "timeout": TIMEOUT, "min_interval": 1, "max_interval": 1}
    tasks = (_timed("costly", {"alicloud.ecs.ecs_task_wait": dict(wait, success_condition=COSTLY)})
             + [{"name": "deep", "alicloud.ecs.ecs_task_wait": dict(wait, failure_condition=DEEP), "ignore_errors": True}])
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    run = run_playbook(fast_ansible(emulator_server), json.dumps(play, indent=1), timeout=180)
    return run, emulator_server.stats()


def test_a_costly_condition_cannot_stretch_the_timeout_and_says_so(condition_run):
    run, _stats = condition_run
    result = run.result("costly")
    seconds = _seconds(run, "costly")
    assert seconds < TIMEOUT + MARGIN, "the wait took %.1f s for a timeout of %s s" % (seconds, TIMEOUT)
    assert run.status("costly") == "ignored" and result["timed_out"] is True, result
    warnings = [text for text in result.get("warnings", []) if "success_condition" in text]
    assert len(warnings) == 1, result.get("warnings")
    assert "too costly" in warnings[0] and "treated as false for the rest of this wait" in warnings[0], warnings
    assert "[WARNING]: success_condition" in run.output


def test_a_condition_nested_1000_deep_is_refused_before_any_call(condition_run):
    run, stats = condition_run
    result = run.result("deep")
    assert run.status("deep") == "ignored", result
    assert result["msg"].startswith("failure_condition is nested more than 100 levels deep"), result["msg"]
    assert "flatter" in result["msg"] and DEEP not in result["msg"]
    # Only the costly wait called the API (one DescribeTasks per poll); the deep one was refused first.
    assert stats["calls"].get("DescribeTaskAttribute", 0) == 0, stats
    assert_no_traceback(run)
