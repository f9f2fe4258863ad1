# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import datetime

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.info import InfoQuery, prepare_info, run_info
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from tests.unit.fakes import ScriptedEcs, operation_details

NOW = datetime.datetime(2026, 11, 23, 12, 0, 0, tzinfo=datetime.timezone.utc)


def info_params(**overrides):
    values = {"task_ids": None, "task_action": None, "task_status": None, "start_time": None, "end_time": None,
              "resource_ids": None, "details": False, "max_results": None}
    values.update(overrides)
    return values


# ---------------------------------------------------------------- prepare_info

def test_ids_are_stripped_and_folded_in_first_order():
    query = prepare_info(info_params(task_ids=[" t-b", "t-a", "t-b", "t-c ", "t-a"], details=True))
    assert query.task_ids == ["t-b", "t-a", "t-c"]
    assert query.filters == {} and query.details is True and query.max_results is None


def test_an_empty_id_list_is_a_query_for_nothing():
    assert prepare_info(info_params(task_ids=[])).task_ids == []


def test_no_ids_and_no_filters_lists_everything():
    query = prepare_info(info_params())
    assert query.task_ids is None and query.filters == {}


@pytest.mark.parametrize("ids, fragment", [
    (["t-a,t-b"], "task_ids[0] 't-a,t-b' is not a task id"),
    (["t-a", "t-b t-c"], "task_ids[1]"),
    (["t-a", " "], "task_ids[1] is empty"),
    (["t-a", 7], "task_ids[1] must be a string"),
])
def test_bad_ids_are_refused_naming_the_entry(ids, fragment):
    with pytest.raises(ConfigError) as caught:
        prepare_info(info_params(task_ids=ids))
    assert caught.value.option == "task_ids"
    assert fragment in str(caught.value)


@pytest.mark.parametrize("given", ["IMPORT_IMAGE", "import_image", "ImportImage", " importImage "])
def test_task_action_spellings_become_camel_case(given):
    assert prepare_info(info_params(task_action=given)).filters == {"task_action": "ImportImage"}


@pytest.mark.parametrize("given", ["", "   ", "\t"])
def test_a_blank_task_action_is_no_filter(given):
    # Before: "   " ended as "Unexpected AttributeError ... This is a bug"; "" was no filter already.
    assert prepare_info(info_params(task_action=given)).filters == {}


def test_a_task_action_that_is_not_a_string_is_refused():
    # The argument spec makes it a string; a caller without one gets the rule, not a crash.
    with pytest.raises(ConfigError) as caught:
        prepare_info(info_params(task_action=["ImportImage"]))
    assert caught.value.option == "task_action"
    assert str(caught.value) == "task_action must be an action name such as ImportImage, got a list ['ImportImage']"


@pytest.mark.parametrize("given, meant", [
    ("ExportImages", "ExportImage"), ("EXPORT_IMAGES", "ExportImage"), ("ImportImge", "ImportImage"),
    ("ModifyDiskSpecs", "ModifyDiskSpec"),
])
def test_a_typo_of_a_known_action_is_refused_before_any_call(given, meant):
    """DescribeTasks finds nothing for it, silently: said at once, with the spelling meant."""
    with pytest.raises(ConfigError) as caught:
        prepare_info(info_params(task_action=given))
    assert caught.value.option == "task_action"
    assert str(caught.value).startswith("task_action %r is not an action that starts ECS tasks: did you mean %r?" % (given, meant))


def test_an_action_not_known_to_start_tasks_is_searched_and_said_when_nothing_matched():
    client = fake_ecs(make_tasks(3))
    result = run_info(prepare_info(info_params(task_action="CreateImage")), client)
    assert result["tasks"] == [] and client.calls[0][1]["TaskAction"] == "CreateImage"
    assert result["warnings"] == ["no task matched, and task_action 'CreateImage' is not one of the actions known to start "
                                  "ECS tasks (ImportImage, ExportImage, ModifyDiskSpec, RedeployInstance, ArchiveSnapshot): "
                                  "check its spelling"]
    assert "warnings" not in run_info(prepare_info(info_params(task_action="ExportImage")), client)


def test_filters_are_kept_and_times_sent_in_utc():
    query = prepare_info(info_params(task_action="EXPORT_IMAGE", task_status="Failed",
                                     start_time="2026-11-23T10:00:00+08:00", end_time="-1h"), now=NOW)
    assert query.task_ids is None
    assert query.filters == {"task_action": "ExportImage", "task_status": "Failed",
                             "start_time": "2026-11-23T02:00:00Z", "end_time": "2026-11-23T11:00:00Z"}


@pytest.mark.parametrize("given, sent", [
    ("now", "2026-11-23T12:00:00Z"), ("30m", "2026-11-23T11:30:00Z"), ("2h ago", "2026-11-23T10:00:00Z"),
    ("1d", "2026-11-22T12:00:00Z"), ("2026-11-23", "2026-11-23T00:00:00Z"), ("2026-11-23T02:00:00Z", "2026-11-23T02:00:00Z"),
])
def test_start_time_forms(given, sent):
    assert prepare_info(info_params(start_time=given), now=NOW).filters == {"start_time": sent}


def test_empty_filter_values_are_ignored():
    assert prepare_info(info_params(task_action="", task_status="", start_time="", end_time="")).filters == {}


@pytest.mark.parametrize("option", ["start_time", "end_time"])
@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-02-30T00:00:00Z", "12345", "-"])
def test_a_bad_time_names_its_option(option, value):
    with pytest.raises(ConfigError) as caught:
        prepare_info(info_params(**{option: value}), now=NOW)
    assert caught.value.option == option
    assert str(caught.value).startswith(option)
    assert repr(value) in str(caught.value)


def test_start_after_end_is_refused_before_any_call():
    with pytest.raises(ConfigError) as caught:
        prepare_info(info_params(start_time="now", end_time="-1h"), now=NOW)
    assert caught.value.option == "start_time"
    message = str(caught.value)
    assert "2026-11-23T12:00:00Z" in message and "2026-11-23T11:00:00Z" in message and "swap" in message


def test_start_equal_to_end_is_allowed():
    query = prepare_info(info_params(start_time="2026-11-23T20:00:00+08:00", end_time="2026-11-23T12:00:00Z"))
    assert query.filters["start_time"] == query.filters["end_time"]


@pytest.mark.parametrize("value", [0, -1])
def test_max_results_below_one_is_refused(value):
    with pytest.raises(ConfigError) as caught:
        prepare_info(info_params(max_results=value))
    assert caught.value.option == "max_results"
    assert "1 or more" in str(caught.value)


def test_max_results_is_checked_even_with_ids():
    with pytest.raises(ConfigError):
        prepare_info(info_params(task_ids=["t-a"], max_results=0))


# ---------------------------------------------------------------- run_info with a fake ECS

def fake_ecs(tasks, attribute_errors=None):
    """ScriptedEcs whose task details carry 40%, error E.Code / went wrong when failed, and Item=<task id>."""
    return ScriptedEcs(tasks, attribute_errors=attribute_errors,
                       details=operation_details("E.Code", "went wrong", lambda task: {"Item": task["TaskId"]}, progress="40%"))


def make_tasks(count, action="ExportImage", status="Finished", prefix="t-"):
    return [{"TaskId": "%s%04d" % (prefix, index), "TaskAction": action, "TaskStatus": status,
             "CreationTime": "2026-11-23T02:13Z", "FinishedTime": "", "SupportCancel": "true"} for index in range(count)]


def test_ids_come_back_in_the_order_asked_with_the_unknown_ones_missing():
    client = fake_ecs(make_tasks(5))
    query = InfoQuery(task_ids=["t-0003", "t-nope", "t-0000", "t-0004"])
    result = run_info(query, client)
    assert [task["task_id"] for task in result["tasks"]] == ["t-0003", "t-0000", "t-0004"]
    assert result["missing"] == ["t-nope"]
    assert result["api_calls"] == 1
    assert "warnings" not in result
    assert result["tasks"][0]["region"] == "cn-hangzhou"
    assert result["tasks"][0]["creation_time"] == "2026-11-23T02:13:00Z"


@pytest.mark.parametrize("count, calls", [(1, 1), (100, 1), (101, 2), (250, 3)])
def test_ids_take_one_call_per_hundred(count, calls):
    client = fake_ecs(make_tasks(count))
    result = run_info(InfoQuery(task_ids=[task["TaskId"] for task in client.tasks]), client)
    assert len(result["tasks"]) == count
    assert client.called() == ["DescribeTasks"] * calls


def test_no_ids_make_no_call():
    client = fake_ecs(make_tasks(3))
    assert run_info(InfoQuery(task_ids=[]), client) == {"tasks": [], "tasks_by_id": {}, "missing": [], "api_calls": 0}


def test_max_results_trims_an_id_query():
    client = fake_ecs(make_tasks(5))
    result = run_info(InfoQuery(task_ids=["t-0004", "t-0001", "t-0002"], details=True, max_results=2), client)
    assert [task["task_id"] for task in result["tasks"]] == ["t-0004", "t-0001"]
    # No details for the task that is not returned.
    assert client.called() == ["DescribeTasks", "DescribeTaskAttribute", "DescribeTaskAttribute"]


def test_filters_page_until_done_and_stop_at_max_results():
    client = fake_ecs(make_tasks(250) + make_tasks(3, action="ImportImage", prefix="t-i"))
    result = run_info(InfoQuery(filters={"task_action": "ExportImage"}), client)
    assert len(result["tasks"]) == 250
    assert [params["PageNumber"] for params in client.actions("DescribeTasks")] == [1, 2, 3]
    assert client.calls[0][1]["TaskAction"] == "ExportImage"

    client.calls = []
    result = run_info(InfoQuery(filters={"task_action": "ExportImage"}, max_results=100), client)
    assert len(result["tasks"]) == 100
    assert result["api_calls"] == 1


def test_details_are_one_call_per_task_and_merge_into_the_record():
    client = fake_ecs(make_tasks(2) + make_tasks(1, status="Failed", prefix="t-f"))
    result = run_info(InfoQuery(task_ids=["t-f0000", "t-0001"], details=True), client)
    assert client.called() == ["DescribeTasks", "DescribeTaskAttribute", "DescribeTaskAttribute"]
    failed, finished = result["tasks"]
    assert (failed["error_code"], failed["error_msg"]) == ("E.Code", "went wrong")
    assert failed["related_items"] == {"Item": "t-f0000"}
    assert failed["progress"] == 40
    assert finished["error_code"] is None


def test_details_that_fail_for_a_passing_reason_become_warnings():
    vanished = ApiError("InvalidTaskId.NotFound", "The specified task id does not exist.")
    client = fake_ecs(make_tasks(3), attribute_errors={"t-0001": ApiError("Throttling", "slow down", attempts=5),
                                                       "t-0002": vanished})
    result = run_info(InfoQuery(task_ids=["t-0000", "t-0001", "t-0002"], details=True), client)
    assert [task["task_id"] for task in result["tasks"]] == ["t-0000", "t-0001", "t-0002"]
    assert result["tasks"][0]["related_items"] == {"Item": "t-0000"}
    assert result["tasks"][1]["related_items"] == {}
    warnings = result["warnings"]
    assert len(warnings) == 2
    assert "t-0001" in warnings[0] and "Throttling" in warnings[0]
    assert "t-0002" in warnings[1] and "disappeared" in warnings[1]


def test_a_permanent_failure_is_raised():
    client = fake_ecs(make_tasks(1), attribute_errors={"t-0000": ApiError("Forbidden.RAM", "not allowed")})
    with pytest.raises(ApiError) as caught:
        run_info(InfoQuery(task_ids=["t-0000"], details=True), client)
    assert caught.value.code == "Forbidden.RAM"


# ---------------------------------------------------------------- resource_ids, tasks_by_id, the shared search

def test_resource_ids_are_stripped_folded_and_sent_as_resource_ids_n():
    query = prepare_info(info_params(resource_ids=[" m-b", "m-a", "m-b"]))
    assert query.filters == {"resource_ids": ["m-b", "m-a"]}
    tasks = make_tasks(4)
    for task, resource in zip(tasks, ["m-a", "m-b", "m-c", "m-a"]):
        task["ResourceId"] = resource
    client = fake_ecs(tasks)
    result = run_info(query, client)
    assert sorted(task["task_id"] for task in result["tasks"]) == ["t-0000", "t-0001", "t-0003"]
    sent = client.calls[0][1]
    assert sent["ResourceIds.1"] == "m-b" and sent["ResourceIds.2"] == "m-a" and "ResourceIds.3" not in sent


@pytest.mark.parametrize("value, fragment", [
    (["m-a,m-b"], "resource_ids[0] 'm-a,m-b' is not a resource id"),
    (["m-a", " "], "resource_ids[1]"),
    (["m-a", 7], "resource_ids[1] 7"),
    ("m-a", "must be a list"),
    (["m-%d" % index for index in range(101)], "at most 100 ids"),
])
def test_bad_resource_ids_are_refused_naming_the_entry(value, fragment):
    with pytest.raises(ConfigError) as caught:
        prepare_info(info_params(resource_ids=value))
    assert caught.value.option == "resource_ids"
    assert fragment in str(caught.value)


def test_every_result_has_tasks_by_id_holding_the_same_records():
    client = fake_ecs(make_tasks(3))
    result = run_info(InfoQuery(task_ids=["t-0002", "t-0000"]), client)
    assert list(result["tasks_by_id"]) == ["t-0002", "t-0000"]
    assert result["tasks_by_id"]["t-0000"] is result["tasks"][1]


def test_a_status_the_service_cannot_filter_on_is_filtered_from_the_answers():
    tasks = make_tasks(3, status="Processing") + make_tasks(2, status="Waiting", prefix="w-") + make_tasks(1, prefix="f-")
    client = fake_ecs(tasks)
    found = TaskService(client).find({"task_status": ["Waiting", "Processing"]})
    assert sorted(raw["TaskId"] for raw in found) == ["t-0000", "t-0001", "t-0002", "w-0000", "w-0001"]
    assert "TaskStatus" not in client.calls[0][1]
    client.calls[:] = []
    assert len(TaskService(client).find({"task_status": ["Waiting"]}, max_results=1)) == 1
    assert len(TaskService(client).find({"task_status": "Finished"})) == 1
    assert client.calls[-1][1]["TaskStatus"] == "Finished"
