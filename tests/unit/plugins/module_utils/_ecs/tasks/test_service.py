# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import copy
import math
import threading

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError, ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import (
    task_record,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import Batch, TaskService
from tests.unit.fakes import ScriptedEcs
from tests.unit.plugins.module_utils._ecs.tasks.seed_answers import DESCRIBE_TASKS_DOC, DOC_TASK_IDS


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


class CappedClient(ScriptedEcs):
    """Serves at most ``cap`` tasks a page, echoing that PageSize (or no PageSize at all with ``echo`` false)."""

    def __init__(self, tasks, cap, echo=True):
        super(CappedClient, self).__init__(tasks)
        self.cap, self.echo = cap, echo

    def _DescribeTasks(self, params):
        answer = ScriptedEcs._DescribeTasks(self, dict(params, PageSize=min(self.cap, int(params["PageSize"]))))
        if not self.echo:
            del answer["PageSize"]
        return answer


@pytest.mark.parametrize("echo", [True, False])
def test_search_pages_by_total_count_and_the_page_size_served(echo):
    # Not "stop at the first page shorter than asked": a service that serves 30 a page has 4 pages of 100 tasks.
    client = CappedClient(make_tasks(100), cap=30, echo=echo)
    found = TaskService(client).search()
    assert [task["TaskId"] for task in found] == ["t-%04d" % n for n in range(100)]
    assert [params["PageNumber"] for params in client.actions("DescribeTasks")] == [1, 2, 3, 4]


def test_summaries_page_when_the_service_serves_fewer_than_asked():
    client = CappedClient(make_tasks(100), cap=30)
    ids = ["t-%04d" % n for n in range(100)]
    batch = TaskService(client).summaries(ids)
    assert list(batch.found) == ids and batch.missing == []
    assert [(params["PageNumber"], params["PageSize"]) for params in client.actions("DescribeTasks")] == [
        (1, 100), (2, 100), (3, 100), (4, 100)]


def finishing_after_first_call(tasks, leaving):
    """ScriptedEcs where the ``leaving`` tasks (the first listed) finish right after the first DescribeTasks."""
    class Finishing(ScriptedEcs):
        def _DescribeTasks(self, params):
            answer = ScriptedEcs._DescribeTasks(self, params)
            if len(self.actions("DescribeTasks")) == 1:
                for task in self.tasks[:leaving]:
                    task["TaskStatus"] = "Finished"
            return answer
    return Finishing(tasks)


def test_a_status_filter_over_several_pages_misses_no_task_still_in_it():
    # 100 Processing tasks listed first finish while the search pages: paging the filter by offset
    # would read page 2 of the shrunk list and skip 100 of the 150 still Processing.
    leaving, staying = make_tasks(100, prefix="a-"), make_tasks(150, prefix="b-")
    history = make_tasks(120, prefix="c-", TaskStatus="Finished")
    client = finishing_after_first_call(leaving + staying + history, len(leaving))
    found = TaskService(client).search(task_action="ImportImage", task_status="Processing")
    assert sorted(task["TaskId"] for task in found) == sorted(task["TaskId"] for task in staying)
    calls = client.actions("DescribeTasks")
    # One page with the filter (250 match: more than a page), then every page without it (370 tasks: 4).
    assert [(params.get("TaskStatus"), params["PageNumber"]) for params in calls] == [
        ("Processing", 1), (None, 1), (None, 2), (None, 3), (None, 4)]


def test_a_status_filter_within_one_page_costs_one_call():
    tasks = make_tasks(60) + make_tasks(500, prefix="c-", TaskStatus="Finished")
    client = fake_client(tasks)
    found = TaskService(client).search(task_status="Processing")
    assert len(found) == 60
    assert [(params["TaskStatus"], params["PageNumber"]) for params in client.actions("DescribeTasks")] == [("Processing", 1)]


def test_a_state_describe_tasks_does_not_filter_on_is_kept_locally():
    tasks = make_tasks(3) + make_tasks(2, prefix="w-", TaskStatus="Waiting")
    client = fake_client(tasks)
    found = TaskService(client).search(task_status="Waiting")
    assert [task["TaskId"] for task in found] == ["w-0000", "w-0001"]
    # The service ignores TaskStatus=Waiting (it would list every task): it is not sent.
    assert "TaskStatus" not in client.actions("DescribeTasks")[0]


def test_an_attribute_answer_without_a_task_is_not_found():
    # A RAM identity without ecs:DescribeTaskAttribute got a 200 with nothing in it before 2025-12-20.
    client = ScriptedEcs(make_tasks(2), details=lambda task: {"TaskId": ""} if task["TaskId"] == "t-0001" else {})
    batch = TaskService(client).attributes(["t-0000", "t-0001"])
    assert list(batch.found) == ["t-0000"] and batch.missing == ["t-0001"] and batch.errors == {}


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
