# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ecs_task_info module as Ansible runs it (argument parsing, exit/fail), with no network."""

from __future__ import annotations

import json

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.modules import ecs_task_info
from tests.unit.plugins.modules.module_run import assert_failed_before_any_call, run_main

SECRET = "unit-secret-value-42"


def run_module(args, capsys):
    return run_main(ecs_task_info.main, args, capsys)


def test_ids_are_read_and_nothing_changes(client, capsys):
    code, result = run_module({"task_ids": ["t-2", "t-1", "t-2", "t-unknown"], "region": "cn-hangzhou"}, capsys)
    assert code == 0
    assert result["changed"] is False
    assert [task["task_id"] for task in result["tasks"]] == ["t-2", "t-1"]
    assert result["missing"] == ["t-unknown"]
    assert result["api_calls"] == 1
    assert client.built[0]["region"] == "cn-hangzhou"


def test_check_mode_still_queries(client, capsys):
    code, result = run_module({"task_ids": ["t-1"], "region": "cn-hangzhou", "_ansible_check_mode": True}, capsys)
    assert code == 0 and result["changed"] is False
    assert [task["task_id"] for task in result["tasks"]] == ["t-1"]


def test_region_from_the_environment_reaches_the_client(client, capsys, monkeypatch):
    monkeypatch.setenv("ALIBABA_CLOUD_REGION_ID", "")
    monkeypatch.setenv("ALICLOUD_REGION", "cn-beijing")
    code, _result = run_module({"task_ids": ["t-1"]}, capsys)
    assert code == 0
    assert client.built[0]["region"] == "cn-beijing"


def test_an_api_error_fails_with_its_code_and_no_secret(client, capsys):
    client.error = ApiError("SignatureDoesNotMatch", "string to sign ... %s" % SECRET, action="DescribeTasks")
    code, result = run_module({"task_ids": ["t-1"], "region": "cn-hangzhou", "access_key": "key-id",
                               "secret_key": SECRET}, capsys)
    assert code == 1
    assert result["failed"] is True
    assert result["error_code"] == "SignatureDoesNotMatch"
    assert SECRET not in json.dumps(result)


# name -> (arguments, fragments of the message); none of these may reach the API.
INVALID = {
    "ids_and_filter": ({"task_ids": ["t-1"], "task_action": "ExportImage"}, ["mutually exclusive", "task_ids", "task_action"]),
    "ids_and_time": ({"task_ids": ["t-1"], "start_time": "-1h"}, ["mutually exclusive", "start_time"]),
    "ids_and_resources": ({"task_ids": ["t-1"], "resource_ids": ["m-1"]}, ["mutually exclusive", "resource_ids"]),
    "resource_with_commas": ({"resource_ids": ["m-1,m-2"]}, ["resource_ids[0]", "per list item"]),
    "status_choice": ({"task_status": "Waiting"}, ["task_status", "Finished, Processing, Failed"]),
    "signature_choice": ({"task_ids": ["t-1"], "signature_version": "v2"}, ["signature_version", "v1, v3"]),
    "unknown_option": ({"task_ids": ["t-1"], "taskids": ["t-1"]}, ["has no option 'taskids' (did you mean 'task_ids'?)"]),
    "max_results_type": ({"max_results": "many"}, ["max_results", "int"]),
    "details_type": ({"details": "perhaps"}, ["details", "bool"]),
    "max_results_zero": ({"max_results": 0}, ["max_results must be 1 or more"]),
    "ids_with_commas": ({"task_ids": ["t-1", "t-3,t-4"]}, ["task_ids[1]", "one id per list item"]),
    "start_after_end": ({"start_time": "now", "end_time": "-1d"}, ["start_time", "after end_time"]),
    "bad_time": ({"end_time": "last tuesday"}, ["end_time", "'last tuesday' is not a time"]),
    "no_region": ({"task_ids": ["t-1"], "region": None}, ["No region given", "ALIBABA_CLOUD_REGION_ID"]),
    "request_timeout": ({"task_ids": ["t-1"], "request_timeout": 0}, ["request_timeout", "between 0 and 600"]),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_arguments_fail_before_any_call(name, client, capsys):
    arguments, fragments = INVALID[name]
    arguments = dict({"region": "cn-hangzhou"}, **arguments)
    arguments = {key: value for key, value in arguments.items() if value is not None}
    code, result = run_module(arguments, capsys)
    assert_failed_before_any_call(code, result, fragments, client)
