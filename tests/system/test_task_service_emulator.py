# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TaskService and task_record against the emulator, over real signed HTTP.

Uses the ``emulator`` fixture of tests/conftest.py (the session emulator,
reset before each test). Call counts come from the emulator's own stats.
"""
from __future__ import annotations

import math

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.client import EcsClient
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.auth.providers import Credentials, StaticCredentialsProvider
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import task_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService


def make_service(emulator, region, secret="testsecret", concurrency=8, signature_version="v1"):
    provider = StaticCredentialsProvider(Credentials("testid", secret, source="test"))
    client = EcsClient(region, provider, endpoint=emulator.url, signature_version=signature_version)
    return TaskService(client, concurrency=concurrency)


def create(emulator, **spec):
    answer = emulator.create_tasks(**spec)
    ids = answer["task_ids"] if isinstance(answer, dict) else list(answer)
    assert len(ids) == spec.get("count", 1)
    return ids


@pytest.mark.parametrize("signature_version", ["v1", "v3"])
def test_summaries_of_250_ids_take_3_calls(emulator, signature_version):
    ids = create(emulator, region="cn-hangzhou", action="ImportImage", count=250, duration=3600)
    service = make_service(emulator, "cn-hangzhou", signature_version=signature_version)
    before = emulator.calls("DescribeTasks")
    asked = list(reversed(ids)) + ["t-doesnotexist0000"]
    batch = service.summaries(asked)
    assert emulator.calls("DescribeTasks") - before == math.ceil(len(asked) / 100.0) == 3
    assert list(batch.found) == list(reversed(ids))
    assert batch.missing == ["t-doesnotexist0000"]
    record = task_record(batch.found[ids[0]], None, service.region)
    assert record["task_action"] == "ImportImage"
    assert record["task_status"] in ("Waiting", "Processing")
    assert record["region"] == "cn-hangzhou"
    assert record["creation_time"].endswith("Z") and len(record["creation_time"]) == 20


def test_search_pages_and_stops_at_max_results(emulator):
    region = "cn-zhangjiakou"
    imports = create(emulator, region=region, action="ImportImage", count=130, duration=3600)
    create(emulator, region=region, action="ExportImage", count=5, duration=3600)
    service = make_service(emulator, region)

    before = emulator.calls("DescribeTasks")
    found = service.search(task_action="IMPORT_IMAGE")
    assert emulator.calls("DescribeTasks") - before == 2
    assert sorted(task["TaskId"] for task in found) == sorted(imports)

    before = emulator.calls("DescribeTasks")
    assert len(service.search(max_results=100)) == 100
    assert emulator.calls("DescribeTasks") - before == 1

    before = emulator.calls("DescribeTasks")
    assert len(service.search(max_results=101)) == 101
    assert emulator.calls("DescribeTasks") - before == 2


def test_attributes_give_full_records(emulator):
    region = "cn-shanghai"
    done = create(emulator, region=region, action="ExportImage", count=3, duration=0,
                  related_items={"OSSObject": "exported.vhd"})
    failed = create(emulator, region=region, action="ImportImage", count=1, duration=0, outcome="Failed",
                    error_code="InvalidImage.Format", error_msg="The image format is not supported.")
    service = make_service(emulator, region, concurrency=2)
    before = emulator.calls("DescribeTaskAttribute")
    batch = service.attributes(done + failed + ["t-unknown00000000"])
    assert emulator.calls("DescribeTaskAttribute") - before == 5
    assert list(batch.found) == done + failed
    assert batch.missing == ["t-unknown00000000"]
    assert batch.errors == {}

    summaries = service.summaries(done + failed)
    record = task_record(summaries.found[done[0]], batch.found[done[0]], service.region)
    assert record["task_status"] == "Finished"
    assert record["progress"] == 100
    assert record["related_items"]["OSSObject"] == "exported.vhd"
    assert record["error_code"] is None
    assert record["resource_id"]  # only DescribeTasks carries it

    bad = task_record(summaries.found[failed[0]], batch.found[failed[0]], service.region)
    assert bad["task_status"] == "Failed"
    assert bad["error_code"] == "InvalidImage.Format"
    assert bad["error_msg"] == "The image format is not supported."


def test_a_wrong_secret_is_raised_not_collected(emulator):
    ids = create(emulator, region="cn-beijing", action="ImportImage", count=20, duration=3600)
    service = make_service(emulator, "cn-beijing", secret="not-the-secret", concurrency=2)
    with pytest.raises(ApiError) as info:
        service.summaries(ids)
    assert info.value.code == "SignatureDoesNotMatch"
    assert "not-the-secret" not in str(info.value)
    before = emulator.calls("DescribeTaskAttribute")
    with pytest.raises(ApiError) as info:
        service.attributes(ids)
    assert info.value.code == "SignatureDoesNotMatch"
    # Calls already running may finish; nothing queued after the failure starts.
    assert emulator.calls("DescribeTaskAttribute") - before <= 2 * 2


def test_cancel(emulator):
    region = "cn-shenzhen"
    running = create(emulator, region=region, action="ImportImage", count=1, duration=3600, support_cancel=True)
    finished = create(emulator, region=region, action="ImportImage", count=1, duration=0)
    service = make_service(emulator, region)
    service.cancel(running[0])
    assert service.summaries(running).found[running[0]]["TaskStatus"] == "Deleted"
    with pytest.raises(ApiError) as info:
        service.cancel(finished[0])
    assert info.value.code == "InvalidTaskId.IncorrectTaskStatus"
