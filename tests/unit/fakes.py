# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test doubles shared by the unit tests."""

from __future__ import annotations

import contextlib
import json

import pytest

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core 2.17 and 2.18 read the arguments from basic._ANSIBLE_ARGS
    from ansible.module_utils import basic

    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved


class FakeClock(object):
    """clock() and sleep() in one: time moves only when someone sleeps.

    Subclasses set START when their tests read absolute times.
    """

    START = 1000.0

    def __init__(self, now=None):
        self.now = self.START if now is None else now
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0, "slept a negative time: %r" % (seconds,)
        self.sleeps.append(seconds)
        self.now += seconds


UNKNOWN_ID = "t-unknown"


def run_main(main, args, capsys):
    """Run ``main()`` with these module arguments; (exit code, the JSON result)."""
    with patch_module_args(args):
        with pytest.raises(SystemExit) as caught:
            main()
    return caught.value.code, json.loads(capsys.readouterr().out)


class FakeEcs(object):
    """Every task asked for exists (but UNKNOWN_ID) and has ``status``; or every call raises ``error``."""

    region = "cn-hangzhou"

    def __init__(self, status="Finished", error=None):
        self.status = status
        self.error = error
        self.log = []      # actions called, in order
        self.built = []    # the options the module built its client from

    @property
    def api_calls(self):
        return len(self.log)

    def close(self):
        self.closed = True

    def call(self, action, params=None, deadline=None, check=None):  # check: the real client validates; fakes answer validly
        self.log.append(action)
        if self.error:
            raise self.error
        ids = params["TaskIds"].split(",") if action == "DescribeTasks" else [params["TaskId"]]
        tasks = [{"TaskId": task_id, "TaskAction": "ExportImage", "TaskStatus": self.status, "SupportCancel": "true"}
                 for task_id in ids if task_id != UNKNOWN_ID]
        if action == "DescribeTasks":
            return {"TotalCount": len(tasks), "TaskSet": {"Task": tasks}}
        return tasks[0]


def assert_failed_before_any_call(code, result, fragments, client):
    """A module run that failed on its input: a message with each fragment, no traceback, no API call."""
    assert code == 1
    assert result["failed"] is True
    for fragment in fragments:
        assert fragment in result["msg"], (fragment, result["msg"])
    assert "Traceback" not in json.dumps(result)
    assert client.log == []
