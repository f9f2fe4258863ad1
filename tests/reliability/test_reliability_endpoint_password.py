# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``endpoint: http://user:pass@host``: refused, and the password is in no returned field,
``invocation.module_args.endpoint`` included (before issue 10 it was masked in ``msg`` only).
"""

from __future__ import annotations

import json

from tests.reliability.conftest import assert_no_traceback, run_playbook

PASSWORD = "endpoint-Pa55word"


def test_an_endpoint_password_is_refused_and_masked_everywhere(ansible, emulator):
    endpoint = emulator.url.replace("http://", "http://admin:%s@" % PASSWORD)
    tasks = [
        {"name": "info", "alicloud.ecs.ecs_task_info": {"task_ids": ["t-1"], "endpoint": endpoint}, "ignore_errors": True},
        {"name": "wait on the controller", "alicloud.ecs.ecs_task_wait": {"task_ids": ["t-1"], "endpoint": endpoint, "timeout": 5},
         "ignore_errors": True},
        {"name": "wait as a module", "alicloud.ecs.ecs_task_wait": {"task_ids": ["t-1"], "endpoint": endpoint, "timeout": 5},
         "async": 30, "poll": 1, "ignore_errors": True},
    ]
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    run = run_playbook(ansible, json.dumps(play), verbosity=3, timeout=180)
    assert run.rc == 0, run
    for name in ("info", "wait on the controller", "wait as a module"):
        result = run.result(name)
        assert run.status(name) == "ignored" and "credentials in the URL are not supported" in result["msg"], (name, result)
        assert PASSWORD not in json.dumps(result), (name, result)
    assert "invocation" in run.result("info")  # the field this is about was there to check
    assert PASSWORD not in run.output
    assert_no_traceback(run)
