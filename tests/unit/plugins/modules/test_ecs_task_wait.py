# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ecs_task_wait module (the target-side half, used under async) with no network."""

from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.modules import ecs_task_wait
from tests.unit.plugins.modules.module_run import assert_failed_before_any_call, run_main


def run_module(args, capsys):
    return run_main(ecs_task_wait.main, args, capsys)


def test_finished_tasks_succeed_at_the_first_look(client, capsys):
    code, result = run_module({"task_ids": ["t-1", "t-2"], "region": "cn-hangzhou"}, capsys)
    assert code == 0, result
    assert result["changed"] is False
    assert result["succeeded"] == ["t-1", "t-2"]
    assert result["failed_task_ids"] == [] and result["pending"] == []
    assert result["timed_out"] is False
    assert [task["task_status"] for task in result["tasks"]] == ["Finished", "Finished"]
    # One DescribeTasks decides both; their details (related items, errors) are read once each.
    assert client.log == ["DescribeTasks", "DescribeTaskAttribute", "DescribeTaskAttribute"]
    assert result["api_calls"] == 3


def test_a_failed_task_fails_the_module(client, capsys):
    client.status = "Failed"
    code, result = run_module({"task_ids": ["t-1"], "region": "cn-hangzhou"}, capsys)
    assert code == 1
    assert result["failed"] is True
    assert "t-1" in result["msg"]
    assert result["failed_task_ids"] == ["t-1"]


def test_fail_on_failure_false_reports_instead(client, capsys):
    client.status = "Failed"
    code, result = run_module({"task_ids": ["t-1"], "region": "cn-hangzhou", "fail_on_failure": False}, capsys)
    assert code == 0, result
    assert result["failed_task_ids"] == ["t-1"]


# name -> (arguments, fragments of the message); none of these may reach the API.
INVALID = {
    "ids_missing": ({}, ["task_ids is empty", "or the filters", "task_action, resource_ids"]),
    "status_choice": ({"task_status": ["Running"]}, ["task_status", "Waiting, Processing, Paused"]),
    "resource_ids_with_commas": ({"resource_ids": ["m-1,m-2"]}, ["resource_ids[0]", "per list item"]),
    "ids_empty": ({"task_ids": []}, ["task_ids is empty"]),
    "ids_with_commas": ({"task_ids": ["t-1,t-2"]}, ["task_ids[0]", "one id per list item"]),
    "mode_choice": ({"mode": "some"}, ["mode", "all, any"]),
    "timeout_text": ({"timeout": "soon"}, ["timeout", "'soon' is not a duration"]),
    "timeout_negative": ({"timeout": "-5m"}, ["timeout must not be negative"]),
    "timeout_zero": ({"timeout": 0}, ["timeout must be longer than zero"]),
    "delay_past_timeout": ({"timeout": "1m", "delay": "2m"}, ["delay", "shorter than timeout"]),
    "state_in_two_lists": ({"target_states": ["Finished", "Failed"]}, ["Failed", "target_states", "failure_states"]),
    "state_case": ({"target_states": ["finished"]}, ["case-sensitive", "'Finished'"]),
    "poll_and_min_interval": ({"poll_interval": "5s", "min_interval": "1s"}, ["poll_interval", "min_interval"]),
    "min_above_max": ({"min_interval": "1m", "max_interval": "10s"}, ["min_interval", "must not exceed max_interval"]),
    "bad_jmespath": ({"success_condition": "TaskStatus == "}, ["success_condition", "is not valid JMESPath", "hint:"]),
    "occurrence_zero": ({"continuous_target_occurrence": 0}, ["continuous_target_occurrence", ">= 1"]),
    "no_region": ({"region": None}, ["No region given"]),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_arguments_fail_before_any_call(name, client, capsys):
    arguments, fragments = INVALID[name]
    arguments = dict({"region": "cn-hangzhou", "task_ids": ["t-1"]}, **arguments)
    if name == "ids_missing":
        del arguments["task_ids"]
    arguments = {key: value for key, value in arguments.items() if value is not None}
    code, result = run_module(arguments, capsys)
    assert_failed_before_any_call(code, result, fragments, client)


def test_the_internal_job_option_is_accepted_when_the_action_plugin_gives_it(client, capsys, tmp_path):
    code, result = run_module({"task_ids": ["t-1"], "region": "cn-hangzhou",
                               "_job": {"operation": "poll", "path": str(tmp_path / "alicloud-ecs-wait-gone")}}, capsys)
    assert code == 0 and result["done"] is True and result["gone"] is True, result


def test_the_internal_job_option_is_not_in_the_spec_ansible_test_reads(monkeypatch):
    """validate-modules reads the spec with no arguments given: _job is undocumented, so it must not be there."""
    from ansible.module_utils import basic

    seen = []

    class Captured(Exception):
        pass

    def capture(self, *args, **kwargs):
        seen.append(kwargs["argument_spec"])
        raise Captured()
    monkeypatch.setattr(basic, "_load_params", lambda: None)  # as validate-modules does
    monkeypatch.setattr(basic.AnsibleModule, "__init__", capture)
    with pytest.raises(Captured):
        ecs_task_wait.main()
    assert "_job" not in seen[0] and "task_ids" in seen[0]


def test_a_typo_of_an_option_names_the_option_meant(client, capsys):
    code, result = run_module({"task_ids": ["t-1"], "region": "cn-hangzhou", "target_state": ["Finished"]}, capsys)
    assert code == 1 and result["msg"] == ("alicloud.ecs.ecs_task_wait has no option 'target_state' (did you mean "
                                           "'target_states'?); `ansible-doc alicloud.ecs.ecs_task_wait` lists them all")
    assert client.log == []
