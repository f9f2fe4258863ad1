# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source's ProductWatch on a fake clock, over the waits' own sources with scripted answers."""
from __future__ import annotations

import collections

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.events.products import ProductWatch
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import compile_condition
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.product_sources import DiskSource, ImageSource
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import disk_acceptors, image_acceptors
from tests.unit.fakes import FakeClock

Batch = collections.namedtuple("Batch", ["found", "missing", "errors"])


class Answers(object):
    """DescribeImages / DescribeDisks by id from a dict that tests change; every read logged."""

    def __init__(self):
        self.now = {}
        self.reads = []
        self.fail = None

    def __call__(self, region, ids, deadline):
        self.reads.append((region, list(ids)))
        if self.fail is not None:
            raise self.fail
        found = dict((item_id, self.now[item_id]) for item_id in ids if item_id in self.now)
        return Batch(found, [item_id for item_id in ids if item_id not in found], {})


def record(raw, region, item_id):
    return {"id": item_id, "status": (raw or {}).get("Status")}


def watch(answers, clock, condition=None, timeout=600):
    sources = [ImageSource(answers, record, image_acceptors()), DiskSource(answers, record, disk_acceptors(condition=condition))]
    return ProductWatch(sources, "cn-hangzhou", timeout, clock=clock)


def task(task_id, action, resource, status="Finished"):
    return {"task_id": task_id, "task_action": action, "task_status": status, "resource_id": resource}


def test_an_image_is_read_until_usable_then_given_once_and_never_read_again():
    clock, answers = FakeClock(), Answers()
    products = watch(answers, clock)
    assert products.add(task("t-1", "ImportImage", "m-1")) is None and len(products) == 1
    answers.now["m-1"] = {"ImageId": "m-1", "Status": "Available", "Usable": False}
    assert products.poll(None) == ([], [])
    answers.now["m-1"]["Usable"] = True
    decided, problems = products.poll(None)
    assert problems == [] and len(products) == 0
    (owner, view), = decided
    assert owner["task_id"] == "t-1"
    assert (view["kind"], view["id"], view["ready"], view["wait_outcome"]) == ("image", "m-1", True, "succeeded")
    assert products.poll(None) == ([], []) and answers.reads == [("cn-hangzhou", ["m-1"])] * 2


def test_a_failed_task_makes_nothing_and_an_action_without_products_says_so():
    products = watch(Answers(), FakeClock())
    assert products.add(task("t-1", "ImportImage", "m-1", status="Failed")) is None
    assert "knows of nothing that CancelTask tasks produce" in products.add(task("t-2", "CancelTask", "x"))
    assert len(products) == 0


def test_not_ready_at_the_timeout_is_given_up_on_with_its_last_state():
    clock, answers = FakeClock(), Answers()
    products = watch(answers, clock, condition=compile_condition("product_condition", "Category == 'cloud_essd'"),
                     timeout=60)
    products.add(task("t-1", "ModifyDiskSpec", "d-1"))
    answers.now["d-1"] = {"DiskId": "d-1", "Status": "In_use", "Category": "cloud_efficiency"}
    assert products.poll(None) == ([], [])
    clock.sleep(60)
    (_owner, view), = products.poll(None)[0]
    assert (view["status"], view["ready"], view["wait_outcome"]) == ("In_use", False, "pending")
    assert len(products) == 0


def test_a_failed_read_is_a_problem_to_log_and_the_product_stays_watched():
    clock, answers = FakeClock(), Answers()
    products = watch(answers, clock)
    products.add(task("t-1", "ImportImage", "m-1"))
    answers.fail = ApiError("Forbidden.RAM", "User not authorized.", http_status=403, action="DescribeImages")
    decided, problems = products.poll(None)
    assert decided == [] and len(problems) == 1 and "reading 1 image(s) failed" in problems[0]
    assert "Forbidden.RAM" in problems[0] and len(products) == 1
