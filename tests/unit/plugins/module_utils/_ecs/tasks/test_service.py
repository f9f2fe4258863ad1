# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import copy
import math
import threading

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import (
    SUMMARY_FIELDS,
    Batch,
    TaskService,
    extract_tasks,
    merge_raw,
    normalize_action,
    parse_bool,
    parse_progress,
    task_record,
    validate_task_ids,
)
from tests.unit.fakes import ScriptedEcs

# ---------------------------------------------------------------- fixtures from /work/shared/seeds

# DescribeTaskAttribute.en.txt / .en-short.txt: ErrorCode on a *Success* operation.
ATTRIBUTE_EN = {
    "CreationTime": "2015-11-23T02:13Z",
    "SupportCancel": True,
    "TotalCount": 1,
    "SuccessCount": 1,
    "RegionId": "cn-hangzhou",
    "TaskAction": "ExportImage",
    "FailedCount": 0,
    "RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
    "TaskStatus": "Finished",
    "TaskProcess": "100%",
    "FinishedTime": "2015-11-23T02:19Z",
    "TaskId": "t-ce946ntx4wr****",
    "OperationProgressSet": {
        "OperationProgress": [
            {
                "ErrorMsg": "The specified RegionId parameter is invalid.",
                "ErrorCode": "ParameterInvalid",
                "OperationStatus": "Success",
                "RelatedItemSet": {
                    "RelatedItem": [
                        {"Name": "OSSObject", "Value": "MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd"}
                    ]
                }
            }
        ]
    }
}

# DescribeTaskAttribute.zh-CN.md and .reseller.en.md: three related items, empty error strings.
ATTRIBUTE_ZH = {
    "CreationTime": "2015-11-23T02:13Z",
    "OperationProgressSet": {
        "OperationProgress": [
            {
                "RelatedItemSet": {
                    "RelatedItem": [
                        {"Name": "OSSBucket", "Value": "image-temp"},
                        {"Name": "OSSObject", "Value": "MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd"},
                        {"Name": "ImageFormat", "Value": "vhd"}
                    ]
                },
                "ErrorMsg": "",
                "ErrorCode": "",
                "OperationStatus": "Success"
            }
        ]
    },
    "FinishedTime": "2015-11-23T02:19Z",
    "FailedCount": 0,
    "SupportCancel": True,
    "TotalCount": 1,
    "SuccessCount": 1,
    "RequestId": "4BE2C7FE-C7A4-4675-A153-174E032AABFB",
    "RegionId": "cn-hangzhou",
    "TaskAction": "ExportImage",
    "TaskStatus": "Finished",
    "TaskProcess": "100%",
    "TaskId": "t-ce946ntx4wr****"
}

# DescribeTasks.en.txt: TaskSet as an array of {"Task": [...]}.
DESCRIBE_TASKS_DOC = {
    "PageNumber": 1,
    "TotalCount": 2,
    "PageSize": 2,
    "RegionId": "cn-hangzhou",
    "TaskSet": [
        {
            "Task": [
                {
                    "CreationTime": "2015-11-24T12:50Z",
                    "FinishedTime": "2015-11-24T12:50Z",
                    "SupportCancel": True,
                    "TaskAction": "ImportImage",
                    "TaskStatus": "Finished",
                    "TaskId": "t-bp1hvgwromzv32iq****"
                },
                {
                    "CreationTime": "2015-11-23T15:10Z",
                    "FinishedTime": "2015-11-23T15:16Z",
                    "SupportCancel": True,
                    "TaskAction": "ImportImage",
                    "TaskStatus": "Finished",
                    "TaskId": "t-bp179lofu2pv768w****"
                }
            ]
        }
    ],
    "RequestId": "F746C690-D9EA-4F87-AF31-8E1910FAB541"
}

# The same answer in the SDK models' shape (TaskSet.Task, strings for booleans, upper snake action).
DESCRIBE_TASKS_SDK = {
    "PageNumber": 1, "TotalCount": 2, "PageSize": 2, "RegionId": "cn-hangzhou",
    "RequestId": "E5C82807-5588-4661-9A96-350B206A7623",
    "TaskSet": {"Task": [
        {"CreationTime": "2015-11-24T12:50Z", "FinishedTime": "2015-11-24T12:50Z", "SupportCancel": "true",
         "TaskAction": "IMPORT_IMAGE", "TaskStatus": "Finished", "TaskId": "t-bp1hvgwromzv32iq****"},
        {"CreationTime": "2015-11-23T15:10Z", "FinishedTime": "2015-11-23T15:16Z", "SupportCancel": "true",
         "TaskAction": "IMPORT_IMAGE", "TaskStatus": "Finished", "TaskId": "t-bp179lofu2pv768w****"},
    ]},
}

DOC_TASK_IDS = ["t-bp1hvgwromzv32iq****", "t-bp179lofu2pv768w****"]
RECORD_KEYS = {
    "task_id", "task_action", "task_status", "progress", "creation_time", "finished_time", "support_cancel",
    "total_count", "success_count", "failed_count", "resource_id", "region", "related_items",
    "operation_progress", "error_code", "error_msg",
}


# ---------------------------------------------------------------- parsing

@pytest.mark.parametrize("value, expected", [
    ("IMPORT_IMAGE", "ImportImage"),
    ("EXPORT_IMAGE", "ExportImage"),
    ("MODIFY_DISK_SPEC", "ModifyDiskSpec"),
    ("ImportImage", "ImportImage"),
    ("importImage", "ImportImage"),
    ("import_image", "ImportImage"),
    ("EXPORTIMAGE", "ExportImage"),
    ("SOME_NEW_ACTION", "SomeNewAction"),
    ("BrandNewAction", "BrandNewAction"),
    ("resize", "Resize"),
    ("", None),
    (None, None),
])
def test_normalize_action(value, expected):
    assert normalize_action(value) == expected


@pytest.mark.parametrize("answer", [DESCRIBE_TASKS_DOC, DESCRIBE_TASKS_SDK])
def test_extract_tasks_both_documented_shapes(answer):
    assert [task["TaskId"] for task in extract_tasks(answer)] == DOC_TASK_IDS


@pytest.mark.parametrize("task_set, count", [
    ({"Task": {"TaskId": "t-1"}}, 1),
    ([{"Task": {"TaskId": "t-1"}}], 1),
    ([{"TaskId": "t-1"}, {"TaskId": "t-2"}], 2),
    ({"Task": []}, 0),
    ({}, 0),
    ([], 0),
    ("", 0),
    (None, 0),
])
def test_extract_tasks_odd_shapes(task_set, count):
    assert len(extract_tasks({"TaskSet": task_set})) == count


def test_extract_tasks_without_task_set_or_answer():
    assert extract_tasks({"RequestId": "x"}) == []
    assert extract_tasks(None) == []


@pytest.mark.parametrize("value, expected", [
    ("45%", 45), ("45", 45), (45, 45), ("45.5%", 45), (45.9, 45), (" 7 % ", 7), ("100%", 100),
    ("150%", 100), (-3, 0), ("-3%", 0), (None, None), ("", None), ("%", None), ("abc", None),
    (True, None), ([], None), (float("nan"), None),
])
def test_parse_progress(value, expected):
    assert parse_progress(value) == expected


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("true", True), ("False", False), ("TRUE", True), (" false ", False),
    (1, True), (0, False), (None, None), ("", None), ("maybe", None), (2, None),
])
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


# ---------------------------------------------------------------- records

def test_record_of_en_sample_ignores_error_on_successful_operation():
    record = task_record(attribute=copy.deepcopy(ATTRIBUTE_EN))
    assert set(record) == RECORD_KEYS
    assert record == {
        "task_id": "t-ce946ntx4wr****",
        "task_action": "ExportImage",
        "task_status": "Finished",
        "progress": 100,
        "creation_time": "2015-11-23T02:13:00Z",
        "finished_time": "2015-11-23T02:19:00Z",
        "support_cancel": True,
        "total_count": 1,
        "success_count": 1,
        "failed_count": 0,
        "resource_id": None,
        "region": "cn-hangzhou",
        "related_items": {"OSSObject": "MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd"},
        "operation_progress": [{
            "operation_status": "Success",
            "error_code": "ParameterInvalid",
            "error_msg": "The specified RegionId parameter is invalid.",
            "related_items": {"OSSObject": "MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd"},
        }],
        "error_code": None,
        "error_msg": None,
    }


def test_record_of_zh_sample_has_all_related_items_and_no_empty_strings():
    record = task_record(attribute=ATTRIBUTE_ZH)
    assert record["related_items"] == {
        "OSSBucket": "image-temp",
        "OSSObject": "MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd",
        "ImageFormat": "vhd",
    }
    assert record["operation_progress"][0]["error_code"] is None
    assert record["operation_progress"][0]["error_msg"] is None
    assert record["error_code"] is None


@pytest.mark.parametrize("answer", [DESCRIBE_TASKS_DOC, DESCRIBE_TASKS_SDK])
def test_record_of_summaries_only(answer):
    records = [task_record(summary=task, region="cn-hangzhou") for task in extract_tasks(answer)]
    assert [r["task_id"] for r in records] == DOC_TASK_IDS
    first = records[0]
    assert set(first) == RECORD_KEYS
    assert first["task_action"] == "ImportImage"
    assert first["support_cancel"] is True
    assert first["progress"] == 100  # Finished, no progress field
    assert first["creation_time"] == "2015-11-24T12:50:00Z"
    assert first["related_items"] == {}
    assert first["operation_progress"] == []
    assert first["total_count"] is None
    assert first["region"] == "cn-hangzhou"


def test_record_of_nothing_has_every_key():
    record = task_record()
    assert set(record) == RECORD_KEYS
    assert record["related_items"] == {} and record["operation_progress"] == []
    assert record["progress"] is None and record["task_id"] is None


def test_record_region_prefers_answer_then_argument():
    assert task_record(summary={"TaskId": "t-1", "RegionId": "cn-beijing"}, region="cn-hangzhou")["region"] == "cn-beijing"
    assert task_record(summary={"TaskId": "t-1"}, region="cn-hangzhou")["region"] == "cn-hangzhou"


def test_attribute_wins_over_summary_and_keeps_summary_only_fields():
    summary = {"TaskId": "t-1", "TaskStatus": "Processing", "ResourceId": "d-1", "SupportCancel": "true",
               "FinishedTime": ""}
    attribute = {"TaskId": "t-1", "TaskStatus": "Finished", "TaskProcess": "100%", "SupportCancel": "false",
                 "FinishedTime": "2024-01-01T00:05Z", "CreationTime": None}
    record = task_record(summary, attribute, "cn-hangzhou")
    assert record["task_status"] == "Finished"
    assert record["support_cancel"] is False
    assert record["resource_id"] == "d-1"
    assert record["finished_time"] == "2024-01-01T00:05:00Z"
    raw = merge_raw(summary, attribute)
    assert raw["TaskStatus"] == "Finished" and raw["ResourceId"] == "d-1" and raw["TaskProcess"] == "100%"
    assert "CreationTime" not in raw
    # Inputs are not modified.
    assert summary["TaskStatus"] == "Processing"


def test_progress_field_named_progress_and_running_task():
    record = task_record(attribute={"TaskId": "t-1", "TaskStatus": "Processing", "Progress": "45.5%", "FinishedTime": ""})
    assert record["progress"] == 45
    assert record["finished_time"] is None
    running = task_record(summary={"TaskId": "t-2", "TaskStatus": "Processing"})
    assert running["progress"] is None


def test_failed_operation_gives_error_code_and_message():
    attribute = {
        "TaskId": "t-1", "TaskStatus": "Failed", "TaskProcess": "30%", "TotalCount": "2", "SuccessCount": "1",
        "FailedCount": "1",
        "OperationProgressSet": {"OperationProgress": [
            {"OperationStatus": "Success", "ErrorCode": "Ignored", "ErrorMsg": "not a failure",
             "RelatedItemSet": {"RelatedItem": [{"Name": "OSSBucket", "Value": "b"}]}},
            {"OperationStatus": "Failed", "ErrorCode": "", "ErrorMsg": ""},
            {"OperationStatus": "Failed", "ErrorCode": "InvalidOSSObject.NotFound", "ErrorMsg": "The object is missing.",
             "RelatedItemSet": {"RelatedItem": {"Name": "OSSObject", "Value": "o.vhd"}}},
            {"OperationStatus": "Failed", "ErrorCode": "Second", "ErrorMsg": "later"},
        ]},
    }
    record = task_record(attribute=attribute)
    assert record["error_code"] == "InvalidOSSObject.NotFound"
    assert record["error_msg"] == "The object is missing."
    assert record["related_items"] == {"OSSBucket": "b", "OSSObject": "o.vhd"}
    assert (record["total_count"], record["success_count"], record["failed_count"]) == (2, 1, 1)
    assert record["progress"] == 30
    assert len(record["operation_progress"]) == 4


@pytest.mark.parametrize("operation_set", [
    {"OperationProgress": [{"OperationStatus": "Failed", "ErrorCode": "E",
                            "RelatedItemSet": [{"Name": "N", "Value": "V"}]}]},
    [{"OperationStatus": "Failed", "ErrorCode": "E", "RelatedItemSet": {"RelatedItem": [{"Name": "N", "Value": "V"}]}}],
    {"OperationProgress": {"OperationStatus": "Failed", "ErrorCode": "E", "RelatedItemSet": {"Name": "N", "Value": "V"}}},
    {"OperationStatus": "Failed", "ErrorCode": "E", "RelatedItemSet": {"RelatedItem": {"Name": "N", "Value": "V"}}},
])
def test_operation_and_related_item_set_shapes(operation_set):
    record = task_record(attribute={"TaskId": "t-1", "OperationProgressSet": operation_set})
    assert record["error_code"] == "E"
    assert record["related_items"] == {"N": "V"}
    assert record["operation_progress"][0]["related_items"] == {"N": "V"}


@pytest.mark.parametrize("operation_set", [None, "", {}, [], {"OperationProgress": []}, {"OperationProgress": None}])
def test_missing_operation_sets(operation_set):
    record = task_record(attribute={"TaskId": "t-1", "OperationProgressSet": operation_set})
    assert record["operation_progress"] == [] and record["related_items"] == {}


def test_unknown_status_and_garbage_do_not_crash():
    record = task_record(summary={"TaskId": "t-1", "TaskStatus": "Cancelling", "CreationTime": "yesterday",
                                  "SupportCancel": "perhaps", "TotalCount": "many", "TaskProcess": "half"})
    assert record["task_status"] == "Cancelling"
    assert record["creation_time"] == "yesterday"
    assert record["support_cancel"] is None and record["total_count"] is None and record["progress"] is None


def test_summary_fields():
    assert SUMMARY_FIELDS == {"TaskId", "TaskAction", "TaskStatus", "SupportCancel", "CreationTime",
                              "FinishedTime", "ResourceId", "RegionId"}
    assert "TaskProcess" not in SUMMARY_FIELDS and "OperationProgressSet" not in SUMMARY_FIELDS


# ---------------------------------------------------------------- validation

def test_validate_task_ids_strips_and_folds_duplicates():
    assert validate_task_ids([" t-2", "t-1", "t-2 ", "t-3"]) == ["t-2", "t-1", "t-3"]
    assert validate_task_ids(None) == []
    assert validate_task_ids(("t-1",)) == ["t-1"]


@pytest.mark.parametrize("ids, index", [
    (["t-1", ""], 1),
    (["t-1", "   "], 1),
    (["t-1,t-2"], 0),
    (["t-1", "t 2"], 1),
    (["t-1", "t-2", 3], 2),
    ([None], 0),
])
def test_validate_task_ids_names_bad_entry(ids, index):
    with pytest.raises(ConfigError) as info:
        validate_task_ids(ids, option="task_ids")
    assert info.value.option == "task_ids"
    assert "task_ids[%d]" % index in info.value.message


@pytest.mark.parametrize("ids", ["t-1", {"t-1": 1}, 5])
def test_validate_task_ids_wants_a_list(ids):
    with pytest.raises(ConfigError):
        validate_task_ids(ids, option="ids")


# ---------------------------------------------------------------- the service, with a fake client

def api_error(code, status=400, action="DescribeTaskAttribute"):
    return ApiError(code, "message for %s" % code, request_id="req-1", http_status=status, action=action)


def fake_client(tasks=(), **options):
    """ScriptedEcs whose task details carry TaskProcess 50% and the region; "t-refused" cannot be cancelled."""
    return ScriptedEcs(tasks, details=lambda task: {"TaskProcess": "50%", "RegionId": "cn-hangzhou"},
                       cancel_refused=["t-refused"], **options)


def make_tasks(count, prefix="t-", **fields):
    tasks = []
    for number in range(count):
        task = {"TaskId": "%s%04d" % (prefix, number), "TaskAction": "ImportImage", "TaskStatus": "Processing",
                "SupportCancel": "true", "CreationTime": "2024-01-01T00:00Z", "FinishedTime": ""}
        task.update(fields)
        tasks.append(task)
    return tasks


@pytest.mark.parametrize("count", [1, 99, 100, 101, 250])
def test_summaries_use_the_fewest_calls(count):
    tasks = make_tasks(count)
    client = fake_client(tasks)
    ids = [task["TaskId"] for task in tasks]
    batch = TaskService(client).summaries(ids, deadline=123.0)
    assert isinstance(batch, Batch)
    assert len(client.calls) == math.ceil(count / 100.0)
    for action, params, deadline in client.calls:
        assert action == "DescribeTasks"
        assert params["PageSize"] == 100
        assert len(params["TaskIds"].split(",")) <= 100
        assert deadline == 123.0
    assert list(batch.found) == ids
    assert batch.missing == [] and batch.errors == {}


def test_summaries_keep_order_fold_duplicates_and_report_missing():
    client = fake_client(make_tasks(3))
    batch = TaskService(client).summaries(["t-0002", "t-gone", "t-0000", "t-0002"])
    assert list(batch.found) == ["t-0002", "t-0000"]
    assert batch.missing == ["t-gone"]
    assert len(client.calls) == 1
    assert client.calls[0][1]["TaskIds"] == "t-0002,t-gone,t-0000"


def test_summaries_of_no_ids_make_no_call():
    client = fake_client(make_tasks(3))
    assert TaskService(client).summaries([]) == Batch({}, [], {})
    assert client.calls == []


def test_summaries_accept_the_documented_array_shape():
    class DocClient(ScriptedEcs):
        def _DescribeTasks(self, params):
            return copy.deepcopy(DESCRIBE_TASKS_DOC)

    batch = TaskService(DocClient()).summaries(list(reversed(DOC_TASK_IDS)) + ["t-other"])
    assert list(batch.found) == list(reversed(DOC_TASK_IDS))
    assert batch.missing == ["t-other"]


def test_summaries_raise_api_errors():
    def fail(action, params):
        raise api_error("InvalidAccessKeyId.NotFound", 404, action)

    with pytest.raises(ApiError) as info:
        TaskService(fake_client(make_tasks(2), on_call=fail)).summaries(["t-0000"])
    assert info.value.code == "InvalidAccessKeyId.NotFound"


@pytest.mark.parametrize("count, max_results, pages", [
    (0, None, 1), (5, None, 1), (100, None, 1), (101, None, 2), (250, None, 3), (300, None, 3),
    (250, 100, 1), (250, 101, 2), (250, 5, 1), (250, 1000, 3),
])
def test_search_pages_until_total_or_max_results(count, max_results, pages):
    client = fake_client(make_tasks(count))
    found = TaskService(client).search(max_results=max_results)
    assert len(client.calls) == pages
    assert [params["PageNumber"] for params in client.actions("DescribeTasks")] == list(range(1, pages + 1))
    expected = count if max_results is None else min(count, max_results)
    assert [task["TaskId"] for task in found] == ["t-%04d" % n for n in range(expected)]


def test_search_with_max_results_zero_makes_no_call():
    client = fake_client(make_tasks(5))
    assert TaskService(client).search(max_results=0) == []
    assert client.calls == []


def test_search_sends_filters():
    tasks = make_tasks(3) + make_tasks(2, prefix="x-", TaskStatus="Finished", ResourceId="d-1")
    client = fake_client(tasks)
    found = TaskService(client).search(task_action="IMPORT_IMAGE", task_status="Finished",
                                       start_time="2024-01-01T00:00:00Z", end_time="2024-01-02T00:00:00Z",
                                       resource_ids=["d-1", "d-2"], deadline=9.0)
    params = client.calls[0][1]
    assert params["TaskAction"] == "ImportImage"
    assert params["TaskStatus"] == "Finished"
    assert params["StartTime"] == "2024-01-01T00:00:00Z" and params["EndTime"] == "2024-01-02T00:00:00Z"
    assert params["ResourceIds.1"] == "d-1" and params["ResourceIds.2"] == "d-2"
    assert client.calls[0][2] == 9.0
    assert [task["TaskId"] for task in found] == ["x-0000", "x-0001"]


def test_search_rejects_more_than_100_resource_ids():
    with pytest.raises(ConfigError):
        TaskService(fake_client()).search(resource_ids=["d-%d" % n for n in range(101)])


def test_search_folds_tasks_that_shift_between_pages():
    class ShiftingClient(ScriptedEcs):
        def _DescribeTasks(self, params):
            answer = ScriptedEcs._DescribeTasks(self, params)
            if params["PageNumber"] == 1:
                # A new task arrives at the head: page 2 repeats the last task of page 1.
                self.tasks.insert(0, make_tasks(1, prefix="new-")[0])
            return answer

    client = ShiftingClient(make_tasks(150))
    found = TaskService(client).search()
    ids = [task["TaskId"] for task in found]
    assert len(ids) == len(set(ids)) == 150
    assert len(client.calls) == 2


def test_search_stops_on_an_empty_page_even_if_total_says_more():
    class LyingClient(ScriptedEcs):
        def _DescribeTasks(self, params):
            answer = ScriptedEcs._DescribeTasks(self, params)
            answer["TotalCount"] = 10000
            return answer

    client = LyingClient(make_tasks(200))
    assert len(TaskService(client).search()) == 200
    assert len(client.calls) == 3


def test_attributes_found_missing_and_retryable_errors():
    errors = {"t-0001": api_error("Throttling"), "t-0002": api_error("InternalError", 500)}
    client = fake_client(make_tasks(4), attribute_errors=errors)
    ids = ["t-0003", "t-0001", "t-gone", "t-0000", "t-0002", "t-0003"]
    batch = TaskService(client, concurrency=3).attributes(ids, deadline=7.0)
    assert list(batch.found) == ["t-0003", "t-0000"]
    assert batch.found["t-0003"]["TaskProcess"] == "50%"
    assert batch.missing == ["t-gone"]
    assert list(batch.errors) == ["t-0001", "t-0002"]
    assert batch.errors["t-0001"].code == "Throttling"
    assert len(client.calls) == 5  # the duplicate is asked once
    assert all(deadline == 7.0 and params["RegionId"] == "cn-hangzhou" for _ignored, params, deadline in client.calls)


def test_attributes_of_no_ids_make_no_call():
    client = fake_client()
    assert TaskService(client).attributes([]) == Batch({}, [], {})
    assert client.calls == []


@pytest.mark.parametrize("code, status", [("InvalidAccessKeyId.NotFound", 404), ("SignatureDoesNotMatch", 400),
                                          ("InvalidRegionId.NotFound", 400)])
def test_attributes_raise_a_permanent_error_and_start_no_further_call(code, status):
    client = fake_client(make_tasks(50), attribute_errors={"t-0000": api_error(code, status)})
    with pytest.raises(ApiError) as info:
        TaskService(client, concurrency=1).attributes(["t-%04d" % n for n in range(50)])
    assert info.value.code == code
    assert len(client.calls) == 1


def test_attributes_permanent_error_with_several_workers():
    client = fake_client(make_tasks(50), attribute_errors={"t-0000": api_error("InvalidAccessKeyId.NotFound", 404)})
    with pytest.raises(ApiError):
        TaskService(client, concurrency=4).attributes(["t-%04d" % n for n in range(50)])
    assert 1 <= len(client.calls) <= 50


@pytest.mark.parametrize("concurrency", [1, 3, 8])
def test_attributes_concurrency_is_bounded_and_used(concurrency):
    # Each call waits at a barrier for exactly `concurrency` parties: a smaller pool
    # would break the barrier (timeout), a larger one would exceed the in-flight bound.
    barrier = threading.Barrier(concurrency, timeout=10)
    state = {"now": 0, "max": 0}
    lock = threading.Lock()

    def track(action, params):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        try:
            barrier.wait()
        finally:
            with lock:
                state["now"] -= 1

    tasks = make_tasks(concurrency * 3)
    client = fake_client(tasks, on_call=track)
    batch = TaskService(client, concurrency=concurrency).attributes([task["TaskId"] for task in tasks])
    assert len(batch.found) == concurrency * 3
    assert state["max"] == concurrency


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "4"])
def test_concurrency_must_be_a_positive_integer(value):
    with pytest.raises(ConfigError):
        TaskService(fake_client(), concurrency=value)


def test_cancel():
    client = fake_client()
    service = TaskService(client)
    assert service.region == "cn-hangzhou"
    service.cancel("t-0001", deadline=3.0)
    assert client.calls == [("CancelTask", {"TaskId": "t-0001", "RegionId": "cn-hangzhou"}, 3.0)]
    with pytest.raises(ApiError) as info:
        service.cancel("t-refused")
    assert info.value.code == "InvalidTaskId.IncorrectTaskStatus"


def test_records_from_a_service_round_trip():
    tasks = make_tasks(2, ResourceId="d-9")
    client = fake_client(tasks)
    service = TaskService(client)
    ids = [task["TaskId"] for task in tasks]
    summaries = service.summaries(ids)
    attributes = service.attributes(ids)
    records = [task_record(summaries.found[i], attributes.found.get(i), service.region) for i in ids]
    assert [(r["task_id"], r["progress"], r["resource_id"], r["task_action"]) for r in records] == [
        ("t-0000", 50, "d-9", "ImportImage"), ("t-0001", 50, "d-9", "ImportImage")]


# Answer checks (issue 10) -------------------------------------------------

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import attribute_check, check_task_set, parse_progress as _parse_progress  # noqa: E402


@pytest.mark.parametrize("answer, fragment", [
    ({"RequestId": "R", "Code": "ServiceUnavailable"}, "without TaskSet"),
    ({"TaskSet": "x"}, "TaskSet is"),
    ({"TaskSet": {"Task": "x"}}, "TaskSet is"),
    ({"TaskSet": {"Task": [{"TaskStatus": "Finished"}]}}, "without a TaskId"),
    ({"TaskSet": {"Task": [{"TaskId": "t-1", "TaskStatus": ["Finished"]}]}}, "TaskStatus"),
    ({"TaskSet": {"Task": [{"TaskId": "t-1", "TaskProcess": "inf%"}]}}, "TaskProcess"),
    ({"TaskSet": {"Task": []}, "TotalCount": "many"}, "TotalCount"),
])
def test_check_task_set_names_what_is_wrong(answer, fragment):
    assert fragment in check_task_set(answer)


@pytest.mark.parametrize("answer", [
    {"TaskSet": {"Task": []}, "TotalCount": 0},
    {"TaskSet": {"Task": [{"TaskId": "t-1", "TaskStatus": "Finished", "TaskProcess": "100%"}]}, "TotalCount": "1"},
    {"TaskSet": [{"Task": [{"TaskId": "t-1"}]}]},
    {"TaskSet": {"Task": {"TaskId": "t-1", "TaskProcess": ""}}},
])
def test_check_task_set_accepts_the_documented_shapes(answer):
    assert check_task_set(answer) is None


def test_attribute_check():
    check = attribute_check("t-1")
    assert check({"TaskId": "t-1", "TaskStatus": "Processing", "TaskProcess": "40%"}) is None
    assert "TaskId" in check({"TaskStatus": "Finished"})
    assert "TaskId" in check({"TaskId": "t-2"})
    assert "TaskProcess" in check({"TaskId": "t-1", "TaskProcess": "1e999"})


def test_parse_progress_of_non_finite_numbers_is_none():
    assert _parse_progress("inf%") is None and _parse_progress(float("inf")) is None
