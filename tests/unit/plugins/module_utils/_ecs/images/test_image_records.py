# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Image records from DescribeImages answers: the SDK models' shape (built with the Tea SDK's own models when it
is installed), the shapes the pages use (a lone item, strings for booleans and numbers, minute times) and odd data."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from tests.unit.plugins.module_utils._ecs.sdk_shapes import sdk_shaped
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import (
    RECORD_KEYS, check_images, extract_images, image_record, validate_image_ids,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import EVERY_STATUS, KNOWN_STATES

SDK_IMAGE = {
    "ImageId": "m-bp1g7004ksh0oeuc1234", "ImageName": "web-2026", "Status": "Available", "Progress": "100%",
    "Usable": True, "Size": 40, "CreationTime": "2026-01-10T01:01:10Z", "ImageOwnerAlias": "self",
    "DiskDeviceMappings": {"DiskDeviceMapping": [{"Device": "/dev/xvda", "Size": "40", "Format": "qcow2"}]},
}


def sdk_answer(*images):
    """A DescribeImages answer as the Tea SDK's models write it (to_map of from_map), or as given without the SDK."""
    body = {"RequestId": "r-1", "RegionId": "cn-hangzhou", "PageNumber": 1, "PageSize": 100, "TotalCount": len(images),
            "Images": {"Image": list(images)}}
    return sdk_shaped("DescribeImagesResponseBody", body)


def test_a_record_of_the_sdk_shape_has_exactly_the_keys():
    answer = sdk_answer(SDK_IMAGE)
    assert check_images(answer) is None
    [raw] = extract_images(answer)
    record = image_record(raw, "cn-hangzhou")
    assert tuple(record) == RECORD_KEYS
    assert record == {"image_id": "m-bp1g7004ksh0oeuc1234", "region": "cn-hangzhou", "image_name": "web-2026",
                      "status": "Available", "progress": 100, "usable": True, "size": 40,
                      "creation_time": "2026-01-10T01:01:10Z"}


def test_a_record_of_the_page_shapes():
    # A lone Image without its list, booleans and numbers as strings, a time to the minute.
    answer = {"Images": {"Image": {"ImageId": "m-1", "ImageName": "web", "Status": "Creating", "Progress": "45%",
                                   "Usable": "false", "Size": "20", "CreationTime": "2026-01-10T01:01Z"}},
              "TotalCount": "1"}
    assert check_images(answer) is None
    [raw] = extract_images(answer)
    record = image_record(raw, "eu-central-1")
    assert record["progress"] == 45 and record["usable"] is False and record["size"] == 20
    assert record["creation_time"] == "2026-01-10T01:01:00Z"
    assert record["region"] == "eu-central-1"


@pytest.mark.parametrize("images, count", [
    ({"Image": []}, 0),
    ({"Image": [{"ImageId": "m-1"}, {"ImageId": "m-2"}]}, 2),
    ([{"Image": [{"ImageId": "m-1"}]}], 1),
    ([{"ImageId": "m-1"}, {"ImageId": "m-2"}], 2),
    ({"ImageId": "m-1"}, 1),
    ({}, 0),
    ([], 0),
])
def test_extract_images_whatever_the_shape(images, count):
    assert len(extract_images({"Images": images})) == count


@pytest.mark.parametrize("raw, expected", [
    ({}, dict.fromkeys(RECORD_KEYS)),
    ({"ImageId": "m-1", "Status": "Available"}, {"progress": 100}),       # Available without Progress: done
    ({"ImageId": "m-1", "Status": "Creating", "Progress": "N/A"}, {"progress": None}),
    ({"ImageId": "m-1", "Progress": "130%"}, {"progress": 100}),
    ({"ImageId": "m-1", "Usable": "maybe", "Size": "forty"}, {"usable": None, "size": None}),
    ({"ImageId": "m-1", "ImageName": "", "CreationTime": ""}, {"image_name": None, "creation_time": None}),
    ({"ImageId": "m-1", "RegionId": "cn-beijing"}, {"region": "cn-beijing"}),
])
def test_odd_data_gives_none_not_an_exception(raw, expected):
    record = image_record(raw, None if not raw else "cn-hangzhou")
    for key, value in expected.items():
        assert record[key] == value, key


@pytest.mark.parametrize("answer, fragment", [
    ({"RequestId": "r"}, "a DescribeImages answer without Images"),
    ({"Images": "none"}, "whose Images is a string"),
    ({"Images": {"Image": "m-1"}}, "whose Images.Image is a string"),
    ({"Images": {"Image": []}, "TotalCount": "many"}, "TotalCount 'many' is not a number"),
    ({"Images": {"Image": [{"ImageName": "x"}]}}, "an image without an ImageId string"),
    ({"Images": {"Image": [{"ImageId": "m-1", "Status": 3}]}}, "image m-1 with a Status that is a number"),
])
def test_what_makes_a_200_not_a_describe_images_answer(answer, fragment):
    problem = check_images(answer)
    assert problem is not None and fragment in problem, problem


def test_garbled_progress_is_not_a_reason_to_refuse_the_answer():
    assert check_images({"Images": {"Image": [{"ImageId": "m-1", "Progress": "N/A", "Usable": "?"}]}}) is None


def test_every_status_asked_for_is_a_known_one():
    assert EVERY_STATUS.split(",") == list(KNOWN_STATES)
    assert set(KNOWN_STATES) == {"Creating", "Waiting", "Available", "UnAvailable", "CreateFailed", "Deprecated"}


def test_validate_image_ids():
    assert validate_image_ids([" m-1 ", "ubuntu_22_04_x64_20G_alibase_20230208.vhd", "m-1"]) == [
        "m-1", "ubuntu_22_04_x64_20G_alibase_20230208.vhd"]
    assert validate_image_ids(None) == []


@pytest.mark.parametrize("ids, message", [
    ("m-1", "image_ids must be a list of image ids, got a string"),
    ([3], "image_ids[0] must be a string image id, got a number 3"),
    (["m-1", " "], "image_ids[1] is empty"),
    (["m-1,m-2"], "image_ids[0] 'm-1,m-2' is not an image id: ids contain no commas or spaces; give one id per list item"),
    (["m-é"], "image_ids[0] 'm-é' is not an image id: ids are ASCII letters, digits, hyphens, dots and underscores"),
])
def test_validate_image_ids_names_the_bad_entry(ids, message):
    with pytest.raises(ConfigError) as caught:
        validate_image_ids(ids)
    assert caught.value.message.startswith(message) and caught.value.option == "image_ids"
