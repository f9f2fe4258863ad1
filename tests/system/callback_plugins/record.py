# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: every task result as one JSON line in $RECORD_RESULTS_FILE."""

from __future__ import annotations

DOCUMENTATION = r"""
name: record
type: aggregate
short_description: Write each task result as a JSON line, for the project's tests
description:
  - Appends one JSON object per task result to the file named by E(RECORD_RESULTS_FILE).
options: {}
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, result, status):
        path = os.environ.get("RECORD_RESULTS_FILE")
        if not path:
            return
        # The public attributes of ansible-core 2.19+ (2.21 deprecates the underscored ones); the task's own
        # name, without the "role : " that 2.21's task_name puts before it.
        entry = {
            "task": result.task.name or result.task.get_name(),
            "host": result.host.get_name(),
            "status": status,
            "result": dict(result.result),
        }
        with open(path, "a") as handle:
            handle.write(json.dumps(entry, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._write(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, "ignored" if ignore_errors else "failed")

    def v2_runner_on_skipped(self, result):
        self._write(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._write(result, "unreachable")
