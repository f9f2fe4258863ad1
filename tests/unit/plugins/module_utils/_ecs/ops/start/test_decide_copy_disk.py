# -*- coding: utf-8 -*-
"""The copy and disk-spec modules' requests (every check before any call) and their decide functions (pure: what
was found -> none | attached | started), without any call."""
from __future__ import annotations

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start import disk_spec, image_copy
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import ATTACHED, NONE, STARTED, Refused, strongest

SOURCE = "m-bp1g7004ksh0oeuc0001"
DISK = "d-bp1g7004ksh0oeuc0001"


def copy_request(**options):
    params = {"image_id": SOURCE, "destination_regions": ["eu-central-1", "us-west-1"],
              "destination_image_name": "web-copy"}
    params.update(options)
    return image_copy.prepare_copy(params)


def spec_request(**options):
    params = {"disk_id": DISK}
    params.update(options)
    return disk_spec.prepare_disk_spec(params)


# ---------------------------------------------------------------- copy: request

def test_copy_regions_are_checked_and_folded_in_their_order():
    request = copy_request(destination_regions=[" us-west-1", "eu-central-1", "us-west-1"], description="December")
    assert request.destinations == ("us-west-1", "eu-central-1") and request.description == "December"
    assert request.wait is True and request.config.timeout == 1800


@pytest.mark.parametrize("options, option, words", [
    ({"destination_regions": []}, "destination_regions", "list the regions to copy the image to"),
    ({"destination_regions": ["eu-central-1", "EU_central"]}, "destination_regions", "destination_regions[1]: Invalid region"),
    ({"destination_regions": {"region": "eu-central-1"}}, "destination_regions", "eu-central-1"),
    ({"destination_image_name": "aliyun-web"}, "destination_image_name", "not starting with 'aliyun'"),
    ({"destination_image_name": None}, "destination_image_name", "2 to 128 characters"),
    ({"description": "http://example.com/x"}, "description", "not starting with http://"),
    ({"image_id": "m bad"}, "image_id", "image"),
    ({"timeout": "soon"}, "timeout", "timeout"),
])
def test_copy_input_is_refused_before_any_call_naming_the_option(options, option, words):
    with pytest.raises(ConfigError) as error:
        copy_request(**options)
    assert error.value.option == option and words in error.value.message, error.value.message


# ---------------------------------------------------------------- copy: decide

def image(status, usable=True, image_id="m-1", name="web-copy"):
    return {"ImageId": image_id, "ImageName": name, "Status": status, "Usable": usable}


@pytest.mark.parametrize("images, action", [
    ([], STARTED),
    ([image("Available")], NONE),
    ([image("Available", usable="true")], NONE),
    ([image("Deprecated", usable=False)], NONE),
    ([image("Creating", usable=False)], ATTACHED),
    ([image("Waiting", usable=False)], ATTACHED),
    ([image("Available", usable=False)], ATTACHED),
    ([image("Available", usable="false")], ATTACHED),
    # A usable copy of the name wins over another being made; a failed one beside a live one does not matter.
    ([image("Creating", usable=False, image_id="m-2"), image("Available")], NONE),
    ([image("CreateFailed", usable=False, image_id="m-2"), image("Creating", usable=False)], ATTACHED),
])
def test_copy_decides_each_region_by_the_images_of_its_name(images, action):
    decision = image_copy.decide_region(copy_request(), "eu-central-1", images)
    assert (decision.action, decision.region, decision.task_id) == (action, "eu-central-1", None)
    if action == STARTED:
        assert decision.resource_id is None and "no image named 'web-copy' in eu-central-1" in decision.why
    else:
        assert decision.resource_id == "m-1"


@pytest.mark.parametrize("status", ["CreateFailed", "UnAvailable"])
def test_copy_refuses_a_name_held_by_a_failed_image(status):
    found = image_copy.Found("cn-hangzhou", {"eu-central-1": [], "us-west-1": [image(status, usable=False)]})
    with pytest.raises(Refused) as refused:
        image_copy.decide_copy(copy_request(), found)
    assert "taken in us-west-1 by image m-1, which is %s" % status in refused.value.message
    assert refused.value.fields == {"image_id": "m-1", "region": "us-west-1"}


def test_copy_decides_one_per_region_in_order_and_the_run_takes_the_strongest():
    found = image_copy.Found("cn-hangzhou", {"eu-central-1": [image("Available")], "us-west-1": [],
                                             "ap-southeast-1": [image("Creating", usable=False)]})
    request = copy_request(destination_regions=["eu-central-1", "us-west-1", "ap-southeast-1"])
    decisions = image_copy.decide_copy(request, found)
    assert [(each.region, each.action) for each in decisions] == [
        ("eu-central-1", NONE), ("us-west-1", STARTED), ("ap-southeast-1", ATTACHED)]
    assert strongest(each.action for each in decisions) == STARTED
    assert strongest(each.action for each in decisions if each.action != STARTED) == ATTACHED


def test_copy_call_goes_to_the_source_region_and_names_the_destination():
    request = copy_request(description="December")
    found = image_copy.Found("cn-hangzhou", {"eu-central-1": [], "us-west-1": []})
    decision = image_copy.decide_copy(request, found)[1]
    call = image_copy.COPY.call(request, found, decision)
    assert (call.action, call.region) == ("CopyImage", "cn-hangzhou")
    assert call.params == {"RegionId": "cn-hangzhou", "ImageId": SOURCE, "DestinationRegionId": "us-west-1",
                           "DestinationImageName": "web-copy", "DestinationDescription": "December"}
    assert call.facts["destination_region"] == "us-west-1" and call.facts["region"] == "cn-hangzhou"


# ---------------------------------------------------------------- disk spec: request

def test_disk_choices_are_read_in_any_case():
    request = spec_request(disk_category="CLOUD-ESSD", performance_level="pl2")
    assert (request.category, request.performance_level) == ("cloud_essd", "PL2")
    assert spec_request(performance_level="Pl0").category is None


@pytest.mark.parametrize("options, option, words", [
    ({}, "disk_category", "give disk_category, performance_level or both"),
    ({"disk_category": "essd"}, "disk_category", "did you mean cloud_essd?"),
    ({"disk_category": "cloud"}, "disk_category", "is not a disk category"),  # a basic disk is no target
    ({"performance_level": "PL9"}, "performance_level", "PL0, PL1, PL2, PL3"),
    ({"disk_category": "cloud_ssd", "performance_level": "PL1"}, "performance_level", "for cloud_essd disks only"),
    ({"disk_id": "d bad", "disk_category": "cloud_ssd"}, "disk_id", "disk"),
])
def test_disk_input_is_refused_before_any_call_naming_the_option(options, option, words):
    with pytest.raises(ConfigError) as error:
        spec_request(**options)
    assert error.value.option == option and words in error.value.message, error.value.message


# ---------------------------------------------------------------- disk spec: decide

def disk(category="cloud_essd", level="PL1", status="In_use"):
    return {"DiskId": DISK, "Category": category, "PerformanceLevel": level, "Status": status}


def decide(request, found_disk, task=None):
    decision, = disk_spec.decide_disk_spec(request, disk_spec.Found("cn-hangzhou", found_disk, task))
    return decision


@pytest.mark.parametrize("options, found_disk, task, action", [
    ({"disk_category": "cloud_essd", "performance_level": "PL1"}, disk(), None, NONE),
    ({"disk_category": "cloud_essd"}, disk(level="PL3"), None, NONE),          # any level will do
    ({"performance_level": "PL1"}, disk(status="Available"), None, NONE),       # the category it has
    ({"disk_category": "cloud_essd"}, disk(category="CLOUD_ESSD"), None, NONE),  # as the service may spell it
    ({"disk_category": "cloud_essd", "performance_level": "PL2"}, disk(), None, STARTED),
    ({"disk_category": "cloud_essd"}, disk(category="cloud_ssd", level=""), None, STARTED),
    ({"disk_category": "cloud_essd"}, disk(category="cloud_ssd", level="", status="Modifying"), None, ATTACHED),
    # Modifying towards what was asked, showing it already: still attached until it settles.
    ({"disk_category": "cloud_essd"}, disk(status="Modifying"), None, ATTACHED),
    # A running task DescribeTasks lists before the disk says Modifying.
    ({"disk_category": "cloud_essd"}, disk(category="cloud_ssd", level=""), {"TaskId": "t-9"}, ATTACHED),
])
def test_disk_decides_by_what_it_shows(options, found_disk, task, action):
    decision = decide(spec_request(**options), found_disk, task)
    assert (decision.action, decision.resource_id, decision.region) == (action, DISK, "cn-hangzhou")
    assert decision.task_id == ((task or {}).get("TaskId") if action == ATTACHED else None)


def test_disk_refused_when_the_region_has_none_or_a_level_fits_no_category():
    with pytest.raises(Refused) as refused:
        decide(spec_request(disk_category="cloud_essd"), None)
    assert "disk %s does not exist in region cn-hangzhou" % DISK in refused.value.message
    with pytest.raises(Refused) as refused:
        decide(spec_request(performance_level="PL2"), disk(category="cloud_auto", level=""))
    assert "performance_level PL2 is for cloud_essd disks only" in refused.value.message
    assert refused.value.fields["disk"]["category"] == "cloud_auto"


@pytest.mark.parametrize("options, found_disk, params", [
    ({"disk_category": "cloud_essd", "performance_level": "PL2"}, disk(category="cloud_ssd", level=""),
     {"DiskCategory": "cloud_essd", "PerformanceLevel": "PL2"}),
    # The level alone when the category stays: the change that has no task.
    ({"disk_category": "cloud_essd", "performance_level": "PL2"}, disk(), {"PerformanceLevel": "PL2"}),
    ({"performance_level": "PL0"}, disk(), {"PerformanceLevel": "PL0"}),
    ({"disk_category": "cloud_auto"}, disk(), {"DiskCategory": "cloud_auto"}),
])
def test_disk_call_sends_only_what_changes(options, found_disk, params):
    request = spec_request(**options)
    found = disk_spec.Found("cn-hangzhou", found_disk)
    call = disk_spec.SPEC.call(request, found, decide(request, found_disk))
    assert (call.action, call.region, call.params) == ("ModifyDiskSpec", "cn-hangzhou", dict(params, DiskId=DISK))
    assert "RegionId" not in call.params  # not a parameter of ModifyDiskSpec (the SDK models)
