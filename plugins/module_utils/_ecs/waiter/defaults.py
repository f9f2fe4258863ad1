# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait options' defaults and choices: the one place they are written.

Import-free, so the argument specs (ops/specs.py) read them without the engine. See docs/architecture.md.
"""

from __future__ import annotations

MODES = ("all", "any")

# Which decided tasks get their DescribeTaskAttribute read (related items, their own error).
DETAILS = ("all", "failed", "none")

# What a wait does when its tasks are predicted to end after its timeout.
ON_PREDICTED_TIMEOUT = ("warn", "fail")

# What a task wait waits for: the task's end state, or what the task produced being ready.
WAIT_FOR = ("task", "product")

# option name -> default. None means "not set". ops/specs.py builds the module's
# argument spec from these, and the docs test compares DOCUMENTATION with it.
DEFAULTS = {
    "target_states": ["Finished"],
    "failure_states": ["Failed", "Deleted"],
    "pending_states": None,
    "success_condition": None,
    "failure_condition": None,
    "mode": "all",
    "continuous_target_occurrence": 1,
    "not_found_checks": 20,
    "timeout": "30m",
    "delay": 0,
    "min_interval": 1,
    "max_interval": 30,
    "poll_interval": None,
    "backoff_factor": 0.1,
    "progress_interval": "60s",
    "display_interval": "10s",
    "fail_on_failure": True,
    "details": "all",
    "on_predicted_timeout": "warn",
    "wait_for": "task",
    "product_condition": None,
}
OPTION_NAMES = frozenset(DEFAULTS)
