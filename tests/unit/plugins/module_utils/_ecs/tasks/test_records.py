# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import copy

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import (
    attribute_check,
    check_task_set,
    extract_tasks,
    merge_raw,
    names_no_task,
    normalize_action,
    parse_bool,
    parse_progress,
    SUMMARY_FIELDS,
    task_record,
    validate_task_ids,
)
from tests.unit.plugins.module_utils._ecs.tasks.seed_answers import (
    ATTRIBUTE_EN, ATTRIBUTE_ZH, DESCRIBE_TASKS_DOC, DESCRIBE_TASKS_SDK, DOC_TASK_IDS, RECORD_KEYS,
)


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
def testparse_progress(value, expected):
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
        "related_item_values": {"OSSObject": ["MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd"]},
    }


def test_an_export_of_several_disks_keeps_every_object():
    operations = [{"OperationStatus": "Success", "RelatedItemSet": {"RelatedItem": [
        {"Name": "OSSBucket", "Value": "bkt"}, {"Name": "OSSObject", "Value": key}, {"Name": "ImageFormat", "Value": "raw"}]}}
        for key in ("p_m-1_system.raw", "p_m-1_data1.raw", "p_m-1_data2.raw")]
    record = task_record(attribute={"TaskId": "t-1", "TaskStatus": "Finished",
                                    "OperationProgressSet": {"OperationProgress": operations}})
    # related_items keeps one value a name, the first: the system disk's object, as for a one-disk export.
    assert record["related_items"] == {"OSSBucket": "bkt", "OSSObject": "p_m-1_system.raw", "ImageFormat": "raw"}
    assert record["related_item_values"] == {"OSSBucket": ["bkt"], "ImageFormat": ["raw"],
                                             "OSSObject": ["p_m-1_system.raw", "p_m-1_data1.raw", "p_m-1_data2.raw"]}
    assert [op["related_items"]["OSSObject"] for op in record["operation_progress"]] == record["related_item_values"]["OSSObject"]


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


# ---------------------------------------------------------------- answer checks

@pytest.mark.parametrize("answer, fragment", [
    ({"RequestId": "R", "Code": "ServiceUnavailable"}, "without TaskSet"),
    ({"TaskSet": "x"}, "TaskSet is"),
    ({"TaskSet": {"Task": "x"}}, "TaskSet.Task is a string"),
    ({"TaskSet": {"Task": [{"TaskStatus": "Finished"}]}}, "without a TaskId"),
    ({"TaskSet": {"Task": [{"TaskId": "t-1", "TaskStatus": ["Finished"]}]}}, "TaskStatus"),
    ({"TaskSet": {"Task": [{"TaskId": "t-1", "TaskProcess": {"N": 1}}]}}, "TaskProcess"),
    ({"TaskSet": {"Task": [{"TaskId": "t-1", "TaskProcess": float("inf")}]}}, "TaskProcess"),
    ({"TaskSet": {"Task": []}, "TotalCount": "many"}, "TotalCount"),
])
def test_check_task_set_names_what_is_wrong(answer, fragment):
    assert fragment in check_task_set(answer)


@pytest.mark.parametrize("answer", [
    {"TaskSet": {"Task": []}, "TotalCount": 0},
    {"TaskSet": {"Task": [{"TaskId": "t-1", "TaskStatus": "Finished", "TaskProcess": "100%"}]}, "TotalCount": "1"},
    {"TaskSet": [{"Task": [{"TaskId": "t-1"}]}]},
    {"TaskSet": {"Task": {"TaskId": "t-1", "TaskProcess": ""}}},
    # Text that is no percentage is progress unknown, not a broken answer (the service may send N/A).
    {"TaskSet": {"Task": [{"TaskId": "t-1", "TaskProcess": "N/A"}, {"TaskId": "t-2", "Progress": "inf%"}]}},
])
def test_check_task_set_accepts_the_documented_shapes(answer):
    assert check_task_set(answer) is None


def test_attribute_check():
    check = attribute_check("t-1")
    assert check({"TaskId": "t-1", "TaskStatus": "Processing", "TaskProcess": "40%"}) is None
    assert "TaskId" in check({"TaskId": "t-2"})
    assert "TaskId" in check({"TaskId": 7})
    assert "TaskProcess" in check({"TaskId": "t-1", "TaskProcess": ["40%"]})


@pytest.mark.parametrize("answer", [{}, {"RequestId": "R"}, {"TaskId": ""}, {"TaskStatus": "Finished"}])
def test_an_attribute_answer_naming_no_task_passes_the_check_and_names_no_task(answer):
    # What a RAM identity without ecs:DescribeTaskAttribute got before 2025-12-20: a 200 with nothing.
    assert attribute_check("t-1")(answer) is None
    assert names_no_task(answer)
    assert not names_no_task({"TaskId": "t-1"})


@pytest.mark.parametrize("text", ["N/A", "n/a", "-", "unknown", "45-50%", "1e999"])
def test_a_task_process_that_is_no_percentage_is_unknown_progress(text):
    attribute = {"TaskId": "t-1", "TaskStatus": "Processing", "TaskProcess": text}
    assert attribute_check("t-1")(attribute) is None
    assert task_record(attribute=attribute)["progress"] is None


def test_parse_progress_of_non_finite_numbers_is_none():
    assert parse_progress("inf%") is None and parse_progress(float("inf")) is None
