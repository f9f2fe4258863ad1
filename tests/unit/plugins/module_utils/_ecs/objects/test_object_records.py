# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""oss://bucket/key ids, an export task's objects from its record, an object's status."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.records import (
    ABSENT, EMPTY, PRESENT, export_objects, format_object_id, object_status, parse_object_id,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import task_record


@pytest.mark.parametrize("key, written", [
    ("exports/m-bp1_t-bp2.raw", "exports/m-bp1_t-bp2.raw"),
    ("a b.raw", "a%20b.raw"),
    ("100%.raw", "100%25.raw"),
    ("tab\there\nnewline", "tab%09here%0Anewline"),
    ("导出/镜像 1.qcow2", "导出/镜像%201.qcow2"),
    ("zero\u200bwidth", "zero%E2%80%8Bwidth"),
    ("q?x#y&z=1+2:@!", "q?x#y&z=1+2:@!"),
    ("a//b/../c/", "a//b/../c/"),
])
def test_ids_round_trip_and_stay_readable(key, written):
    object_id = format_object_id("my-bucket", key)
    assert object_id == "oss://my-bucket/" + written
    assert parse_object_id(object_id) == ("my-bucket", key)


@pytest.mark.parametrize("value, says", [
    ("my-bucket/key", "write it as oss://<bucket>/<key>"),
    ("oss://my-bucket", "write it as oss://<bucket>/<key>"),
    ("oss://My_Bucket/key", "Invalid OSS bucket name"),
    ("oss://my-bucket/", "Invalid OSS object key"),
    (None, "write it as oss://<bucket>/<key>"),
])
def test_a_bad_id_says_how_to_write_it(value, says):
    with pytest.raises(ConfigError, match=says):
        parse_object_id(value)


def test_status():
    assert object_status(None) == ABSENT
    assert object_status({"ContentLength": 0}) == EMPTY
    assert object_status({"ContentLength": 5}) == PRESENT


def attribute(*operations, **top):
    """A DescribeTaskAttribute answer of an ExportImage, one RelatedItemSet per operation."""
    answer = {"TaskId": "t-1", "TaskAction": "ExportImage", "TaskStatus": "Finished", "RegionId": "cn-hangzhou",
              "OperationProgressSet": {"OperationProgress": [
                  {"OperationStatus": "Success",
                   "RelatedItemSet": {"RelatedItem": [{"Name": n, "Value": v} for n, v in items]}}
                  for items in operations]}}
    answer.update(top)
    return answer


def test_the_object_of_a_one_disk_export():
    record = task_record(attribute=attribute([("OSSBucket", "b-1"), ("OSSObject", "p_m-1_t-1.raw"), ("ImageFormat", "raw")]))
    assert export_objects(record) == [("b-1", "p_m-1_t-1.raw")]


def test_every_operation_of_an_export_with_its_bucket():
    record = task_record(attribute=attribute(
        [("OSSBucket", "b-1"), ("OSSObject", "p_system.raw")],
        [("OSSObject", "p_data1.raw")],  # no bucket of its own: the task's
        [("OSSBucket", "b-2"), ("OSSObject", "p_data2.raw")],
        [("OSSBucket", "b-1"), ("OSSObject", "p_system.raw")],  # repeated: once
    ))
    assert export_objects(record) == [("b-1", "p_system.raw"), ("b-1", "p_data1.raw"), ("b-2", "p_data2.raw")]


def test_related_item_values_add_the_objects_an_operation_dict_could_not_keep():
    # One operation naming three objects (what the service and the emulator send for an image with data disks):
    # related_items keeps one value a name, related_item_values (issue 18) keeps them all.
    record = {
        "related_items": {"OSSBucket": "b-1", "OSSObject": "p_system.raw"},
        "operation_progress": [{"related_items": {"OSSBucket": "b-1", "OSSObject": "p_system.raw"}}],
        "related_item_values": {"OSSBucket": ["b-1"], "OSSObject": ["p_system.raw", "p_data1.raw", "p_data2.raw"]},
    }
    assert export_objects(record) == [("b-1", "p_system.raw"), ("b-1", "p_data1.raw"), ("b-1", "p_data2.raw")]


@pytest.mark.parametrize("record", [
    {},
    {"related_items": {"OSSBucket": "b-1"}, "operation_progress": []},
    {"related_items": {"OSSObject": "k"}, "operation_progress": [{"related_items": {"OSSObject": "k"}}]},
    {"related_items": {"OSSBucket": "", "OSSObject": None}, "related_item_values": {"OSSObject": [None, ""]}},
])
def test_a_record_naming_no_complete_object_gives_none(record):
    assert export_objects(record) == []


def test_a_record_without_operations_uses_the_task_items():
    assert export_objects({"related_items": {"OSSBucket": "b-1", "OSSObject": "k.raw"}}) == [("b-1", "k.raw")]
