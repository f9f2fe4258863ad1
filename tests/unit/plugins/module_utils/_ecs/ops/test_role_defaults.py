# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's defaults of the module options it passes on are the module's (one fact: waiter/defaults.py)."""
from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.specs import WAIT_OPTIONS
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import parse_duration

ROLE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "..", "..", "roles", "wait_for_tasks"))
# role variable -> the ecs_task_wait option it is passed to unchanged (tasks/main.yml)
PASSED_ON = {
    "wait_for_tasks_timeout": "timeout",
    "wait_for_tasks_target_states": "target_states",
    "wait_for_tasks_failure_states": "failure_states",
    "wait_for_tasks_cancel_on_timeout": "cancel_on_timeout",
    "wait_for_tasks_on_predicted_timeout": "on_predicted_timeout",
    "wait_for_tasks_wait_for": "wait_for",
}


def _load(*parts):
    with open(os.path.join(ROLE, *parts), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _same(option, value):
    return parse_duration(value, option) if WAIT_OPTIONS[option]["type"] == "raw" else value


def test_the_role_passes_these_variables_to_the_options_named():
    with open(os.path.join(ROLE, "tasks", "main.yml"), encoding="utf-8") as handle:
        tasks = handle.read()
    for variable, option in PASSED_ON.items():
        assert '%s: "{{ %s }}"' % (option, variable) in tasks


@pytest.mark.parametrize("variable, option", sorted(PASSED_ON.items()))
def test_role_defaults_and_argument_specs_say_what_the_module_does(variable, option):
    module_default = WAIT_OPTIONS[option]["default"]
    documented = _load("meta", "argument_specs.yml")["argument_specs"]["main"]["options"][variable]
    assert _same(option, _load("defaults", "main.yml")[variable]) == _same(option, module_default)
    assert _same(option, documented["default"]) == _same(option, module_default)
    assert documented.get("choices") == WAIT_OPTIONS[option].get("choices")
