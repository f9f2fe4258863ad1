# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Disk records from DescribeDisks answers (the SDK models' shape, the pages' shapes, odd data), the disk-id check,
and the reading of a category or performance level a user wrote."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.catalog import (
    CATEGORIES, PERFORMANCE_LEVELS, TARGET_CATEGORIES, normalize_category, normalize_performance_level,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.records import (
    RECORD_KEYS, check_disks, disk_record, extract_disks, validate_disk_ids,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from tests.unit.plugins.module_utils._ecs.sdk_shapes import sdk_shaped

SDK_DISK = {
    "DiskId": "d-bp1j4l5axzdy6ftk1234", "RegionId": "cn-hangzhou", "ZoneId": "cn-hangzhou-i", "Category": "cloud_essd",
    "PerformanceLevel": "PL1", "Status": "In_use", "Size": 40, "InstanceId": "i-bp1", "DiskName": "data", "Type": "data",
    "IOPS": 3800, "OperationLocks": {"OperationLock": []},
}


def sdk_answer(*disks):
    """A DescribeDisks answer as the Tea SDK's models write it, or as given without the SDK."""
    body = {"RequestId": "r-1", "PageNumber": 1, "PageSize": 100, "TotalCount": len(disks), "NextToken": "",
            "Disks": {"Disk": list(disks)}}
    return sdk_shaped("DescribeDisksResponseBody", body)


def test_a_record_of_the_sdk_shape():
    answer = sdk_answer(SDK_DISK)
    assert check_disks(answer) is None
    [raw] = extract_disks(answer)
    record = disk_record(raw, "eu-central-1")
    assert tuple(record) == RECORD_KEYS
    assert record == {"disk_id": "d-bp1j4l5axzdy6ftk1234", "region": "cn-hangzhou", "category": "cloud_essd",
                      "performance_level": "PL1", "status": "In_use", "size": 40, "zone_id": "cn-hangzhou-i",
                      "instance_id": "i-bp1", "disk_name": "data", "type": "data"}


def test_a_record_of_the_page_shapes_and_the_empty_strings_for_none():
    answer = {"Disks": {"Disk": {"DiskId": "d-1", "Category": "cloud_efficiency", "PerformanceLevel": "",
                                 "Status": "Available", "Size": "100", "InstanceId": "", "DiskName": ""}},
              "TotalCount": "1"}
    assert check_disks(answer) is None
    record = disk_record(extract_disks(answer)[0], "cn-beijing")
    assert record["region"] == "cn-beijing" and record["size"] == 100
    assert record["performance_level"] is None and record["instance_id"] is None and record["disk_name"] is None


def test_odd_data_gives_none():
    assert disk_record(None) == dict.fromkeys(RECORD_KEYS)
    assert disk_record({"DiskId": "d-1", "Size": "big"})["size"] is None


@pytest.mark.parametrize("answer, fragment", [
    ({}, "a DescribeDisks answer without Disks"),
    ({"Disks": 7}, "whose Disks is a number"),
    ({"Disks": {"Disk": []}, "TotalCount": "x"}, "TotalCount 'x' is not a number"),
    ({"Disks": {"Disk": [{"DiskId": ""}]}}, "a disk without a DiskId string"),
    ({"Disks": {"Disk": [{"DiskId": "d-1", "Category": ["cloud"]}]}}, "disk d-1 with a Category that is a list"),
    ({"Disks": {"Disk": [{"DiskId": "d-1", "PerformanceLevel": 1}]}}, "with a PerformanceLevel that is a number"),
])
def test_what_makes_a_200_not_a_describe_disks_answer(answer, fragment):
    problem = check_disks(answer)
    assert problem is not None and fragment in problem, problem


def test_validate_disk_ids():
    assert validate_disk_ids(["d-2", " d-1", "d-2"]) == ["d-2", "d-1"]
    with pytest.raises(ConfigError) as caught:
        validate_disk_ids(["d-1", "d-2 d-3"])
    assert caught.value.message == ("disk_ids[1] 'd-2 d-3' is not a disk id: ids contain no commas or spaces; "
                                    "give one id per list item")


@pytest.mark.parametrize("given, expected", [
    ("cloud_essd", "cloud_essd"), ("CLOUD_ESSD", "cloud_essd"), ("Cloud-Auto", "cloud_auto"),
    (" cloud ssd ", "cloud_ssd"), ("cloud", "cloud"), ("cloud_essd_entry", "cloud_essd_entry"),
])
def test_categories_are_read_case_insensitively(given, expected):
    assert normalize_category(given) == expected


@pytest.mark.parametrize("given, message", [
    ("cloud_esd", "disk_category 'cloud_esd' is not a disk category ECS knows (%s); did you mean cloud_essd?"
     % ", ".join(CATEGORIES)),
    ("essd", "did you mean cloud_essd?"),
    ("ssd_cloud_x", "is not a disk category ECS knows"),
    ("", "disk_category must be a disk category such as cloud_essd, got a string ''"),
    (3, "disk_category must be a disk category such as cloud_essd, got a number 3"),
])
def test_a_category_typo_names_the_closest(given, message):
    with pytest.raises(ConfigError) as caught:
        normalize_category(given)
    assert message in caught.value.message and caught.value.option == "disk_category"


def test_modify_disk_spec_targets_exclude_the_basic_disk():
    assert "cloud" not in TARGET_CATEGORIES
    with pytest.raises(ConfigError) as caught:
        normalize_category("cloud", option="target", choices=TARGET_CATEGORIES)
    assert caught.value.option == "target"


@pytest.mark.parametrize("given, expected", [("pl0", "PL0"), ("PL3", "PL3"), (" Pl2 ", "PL2"), ("pl-1", "PL1")])
def test_performance_levels_are_read_case_insensitively(given, expected):
    assert normalize_performance_level(given) == expected


@pytest.mark.parametrize("given, suggestion", [("PL4", "did you mean PL"), ("1", "did you mean PL1?"), ("P1", "PL1")])
def test_a_level_typo_names_the_closest(given, suggestion):
    with pytest.raises(ConfigError) as caught:
        normalize_performance_level(given)
    assert caught.value.message.startswith("performance_level %r is not a performance level ECS knows (%s)"
                                           % (given, ", ".join(PERFORMANCE_LEVELS)))
    assert suggestion in caught.value.message
