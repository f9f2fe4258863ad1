# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the service sends that the 0.2 emulator never did, over real signed HTTP.

Minute times, queued tasks DescribeTasks does not list, TaskProcess text, several
operations, RAM denials in both styles, and paging that echoes what it served.
"""

from __future__ import annotations

import contextlib
import re

import pytest

from tests.emulator import curves
from tests.emulator.client import SignedClient
from tests.emulator.harness import Emulator, EmulatorError

MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@pytest.fixture
def client(emulator):
    with contextlib.closing(SignedClient(emulator.url)) as signed:
        yield signed


def _ok(answer):
    assert answer.status == 200, answer
    return answer.json


def _listed(client, **params):
    return [task["TaskId"] for task in _ok(client.call("DescribeTasks", dict(params, PageSize=100)))["TaskSet"]["Task"]]


# -- times ----------------------------------------------------------------------------------------
def test_times_are_to_the_minute_by_default(emulator, client):
    task_id, = emulator.create_tasks(duration=0)
    summary = _ok(client.call("DescribeTasks", {"TaskIds": task_id}))["TaskSet"]["Task"][0]
    attribute = _ok(client.call("DescribeTaskAttribute", {"TaskId": task_id}))
    for answer in (summary, attribute):
        assert MINUTE.fullmatch(answer["CreationTime"]), answer
        assert MINUTE.fullmatch(answer["FinishedTime"]), answer
    # The control API keeps the truth, with seconds; the answer is its minute, truncated.
    truth = emulator.task(task_id)["creation_time"]
    assert SECOND.fullmatch(truth) and truth.startswith(attribute["CreationTime"][:-1])


def test_time_precision_second_keeps_seconds():
    with Emulator(time_precision="second") as emulator:
        task_id, = emulator.create_tasks(duration=0)
        with contextlib.closing(SignedClient(emulator.url)) as client:
            attribute = _ok(client.call("DescribeTaskAttribute", {"TaskId": task_id}))
        assert SECOND.fullmatch(attribute["CreationTime"]) and SECOND.fullmatch(attribute["FinishedTime"])
        assert "--time-precision" in emulator.command()


# -- queued tasks -----------------------------------------------------------------------------------
@pytest.mark.parametrize("queued_status", ["Waiting", "Paused", "Pending"])
def test_a_queued_task_is_not_listed_but_has_attributes(emulator, client, queued_status):
    fields = {} if queued_status == "Waiting" else {"queued_status": queued_status}
    queued, = emulator.create_tasks(wait=100, duration=100, **fields)
    running, = emulator.create_tasks(duration=100)
    assert emulator.task(queued)["status"] == queued_status
    assert _listed(client, TaskIds="%s,%s" % (queued, running)) == [running]
    assert _listed(client) == [running]
    assert _listed(client, TaskStatus="Processing") == [running]
    # A TaskStatus DescribeTasks does not filter on is ignored: still not listed.
    assert _listed(client, TaskStatus=queued_status) == [running]
    attribute = _ok(client.call("DescribeTaskAttribute", {"TaskId": queued}))
    assert (attribute["TaskId"], attribute["TaskStatus"], attribute["TaskProcess"]) == (queued, queued_status, "0%")
    # Once it runs, it is listed.
    emulator.advance(100)
    assert _listed(client, TaskIds=queued) == [queued]


def test_queued_status_is_checked(emulator):
    with pytest.raises(EmulatorError, match="queued_status must be one of Waiting, Paused, Pending"):
        emulator.create_tasks(wait=10, queued_status="Processing")


# -- progress --------------------------------------------------------------------------------------
def test_progress_follows_the_task_curve(emulator, client):
    ids = dict((curve, emulator.create_tasks(duration=1000, progress_curve=curve)[0]) for curve in curves.CURVES)
    emulator.advance(500)

    def percent(task_id):
        return int(_ok(client.call("DescribeTaskAttribute", {"TaskId": task_id}))["TaskProcess"].rstrip("%"))
    assert 49 <= percent(ids["linear"]) <= 51
    assert 24 <= percent(ids["slow_start"]) <= 26
    assert percent(ids["plateau"]) == 80
    jumpy = percent(ids["jumpy"])
    assert jumpy in {0} | set(level for _at, level in curves.jumpy_steps(ids["jumpy"]))
    assert emulator.task(ids["jumpy"])["progress_curve"] == "jumpy"
    emulator.advance(500)
    assert set(percent(task_id) for task_id in ids.values()) == {100}
    with pytest.raises(EmulatorError, match="progress_curve must be one of linear, slow_start, plateau, jumpy"):
        emulator.create_tasks(progress_curve="steep")


# -- TaskProcess and operations ----------------------------------------------------------------------
def test_process_text_is_sent_instead_of_a_percentage(emulator, client):
    task_id, = emulator.create_tasks(duration=100, process_text="N/A")
    assert _ok(client.call("DescribeTaskAttribute", {"TaskId": task_id}))["TaskProcess"] == "N/A"
    with pytest.raises(EmulatorError, match="process_text must be a string"):
        emulator.create_tasks(process_text=50)


def test_operations_give_one_operation_progress_each(emulator, client):
    disks = [{"OSSObject": "sys_{task_id}.raw"}, {"OSSObject": "data1_{task_id}.raw"}, {"OSSObject": "data2_{task_id}.raw"}]
    task_id, = emulator.create_tasks(action="ExportImage", duration=0, related_items={"OSSBucket": "bkt"}, operations=disks)
    operations = _ok(client.call("DescribeTaskAttribute", {"TaskId": task_id}))["OperationProgressSet"]["OperationProgress"]
    items = [dict((item["Name"], item["Value"]) for item in op["RelatedItemSet"]["RelatedItem"]) for op in operations]
    assert [entry["OSSObject"] for entry in items] == ["sys_%s.raw" % task_id, "data1_%s.raw" % task_id, "data2_%s.raw" % task_id]
    # Each operation's items are laid over the task's own: every one names the bucket and format.
    assert all(entry["OSSBucket"] == "bkt" and entry["ImageFormat"] == "raw" for entry in items)
    assert [op["OperationStatus"] for op in operations] == ["Success"] * 3
    assert [entry["OSSObject"] for entry in emulator.task(task_id)["operations"]] == [entry["OSSObject"] for entry in items]
    with pytest.raises(EmulatorError, match="operations must be a list of related-item dicts"):
        emulator.create_tasks(operations={"OSSObject": "x"})


# -- RAM permissions -----------------------------------------------------------------------------------
@pytest.fixture
def ram_user(emulator):
    emulator.add_key("ramuser", "ramsecret")
    with contextlib.closing(SignedClient(emulator.url, key_id="ramuser", secret="ramsecret")) as signed:
        yield signed


def test_a_denied_action_answers_forbidden_ram(emulator, client, ram_user):
    task_id, = emulator.create_tasks(duration=100)
    emulator.permissions({"ramuser": {"deny": ["DescribeTasks"]}})
    for version in ("v1", "v3"):
        answer = ram_user.call("DescribeTasks", {"TaskIds": task_id}, version=version)
        assert (answer.status, answer.code) == (403, "Forbidden.RAM"), answer
    assert set(answer.json) == {"RequestId", "HostId", "Code", "Message", "Recommend", "AccessDeniedDetail"}
    assert answer.json["Message"].startswith("User not authorized to operate on the specified resource")
    assert answer.json["AccessDeniedDetail"]["AuthAction"] == "ecs:DescribeTasks"
    # Other actions, and other identities, are not affected.
    assert _ok(ram_user.call("DescribeTaskAttribute", {"TaskId": task_id}))["TaskId"] == task_id
    assert _listed(client, TaskIds=task_id) == [task_id]
    assert emulator.stats()["errors"]["Forbidden.RAM"] == 2


def test_the_empty_style_answers_200_with_nothing(emulator, client, ram_user):
    task_id, = emulator.create_tasks(duration=100)
    emulator.permissions({"ramuser": {"deny": ["DescribeTasks", "DescribeTaskAttribute", "CancelTask"], "style": "empty"}})
    page = _ok(ram_user.call("DescribeTasks", {"TaskIds": task_id, "PageSize": 50, "PageNumber": 2}))
    assert (page["TotalCount"], page["TaskSet"], page["PageSize"], page["PageNumber"]) == (0, {"Task": []}, 50, 2)
    attribute = _ok(ram_user.call("DescribeTaskAttribute", {"TaskId": task_id}))
    assert set(attribute) == {"RequestId"}
    # Any list: the page, with nothing in it.
    emulator.create_images(count=2)
    emulator.permissions({"ramuser": {"deny": ["DescribeImages"], "style": "empty"}})
    images = _ok(ram_user.call("DescribeImages", {"Status": "Available"}))
    assert (images["TotalCount"], images["Images"]) == (0, {"Image": []})
    assert _ok(client.call("DescribeImages", {"Status": "Available"}))["TotalCount"] == 2
    emulator.permissions({"ramuser": {"deny": ["DescribeTasks", "DescribeTaskAttribute", "CancelTask"], "style": "empty"}})
    # A write action was always refused with a 403.
    assert ram_user.call("CancelTask", {"TaskId": task_id}).code == "Forbidden.RAM"
    # The parameters are still checked.
    assert ram_user.call("DescribeTaskAttribute", {"RegionId": "nowhere-1", "TaskId": task_id}).code == "InvalidRegionId.NotFound"


def test_permissions_are_replaced_checked_and_reset(emulator, ram_user):
    task_id, = emulator.create_tasks(duration=100)
    assert emulator.permissions({"ramuser": {"deny": ["DescribeTaskAttribute"], "style": "403"}}) == {
        "ramuser": {"deny": ["DescribeTaskAttribute"], "style": "403"}}
    assert ram_user.call("DescribeTaskAttribute", {"TaskId": task_id}).status == 403
    assert emulator.permissions({}) == {}
    assert ram_user.call("DescribeTaskAttribute", {"TaskId": task_id}).status == 200
    for bad, words in (({"ramuser": {"deny": "DescribeTasks"}}, "deny must be a list"),
                       ({"ramuser": {"deny": [], "style": "404"}}, "style must be one of 403, empty"),
                       ({"ramuser": {"allow": []}}, "give {")):
        with pytest.raises(EmulatorError, match=re.escape(words)):
            emulator.permissions(bad)
    emulator.permissions({"ramuser": {"deny": ["DescribeTaskAttribute"]}})
    emulator.reset()
    emulator.add_key("ramuser", "ramsecret")
    assert ram_user.call("DescribeTaskAttribute", {"RegionId": "cn-hangzhou", "TaskId": "t-none"}).code == "InvalidTaskId.NotFound"


# -- paging ---------------------------------------------------------------------------------------------
def test_describe_tasks_echoes_the_page_it_served(emulator, client):
    emulator.create_tasks(count=25, duration=100)
    page = _ok(client.call("DescribeTasks", {"PageSize": 10, "PageNumber": 3}))
    assert (page["PageSize"], page["PageNumber"], page["TotalCount"], len(page["TaskSet"]["Task"])) == (10, 3, 25, 5)
    default = _ok(client.call("DescribeTasks", {}))
    assert (default["PageSize"], default["PageNumber"], len(default["TaskSet"]["Task"])) == (10, 1, 10)


def test_page_size_cap_serves_smaller_pages_and_says_so(emulator, client):
    ids = emulator.create_tasks(count=25, duration=100)
    emulator.faults(page_size_cap=7)
    pages = [_ok(client.call("DescribeTasks", {"PageSize": 100, "PageNumber": number})) for number in (1, 2, 3, 4)]
    assert [(page["PageSize"], len(page["TaskSet"]["Task"])) for page in pages] == [(7, 7), (7, 7), (7, 7), (7, 4)]
    served = [task["TaskId"] for page in pages for task in page["TaskSet"]["Task"]]
    assert sorted(served) == sorted(ids)
    assert _ok(client.call("DescribeTasks", {"PageSize": 5}))["PageSize"] == 5
    with pytest.raises(EmulatorError, match="page_size_cap must be a whole number"):
        emulator.faults(page_size_cap=2.5)
