# -*- coding: utf-8 -*-
"""The engine waiting on what a task produced (wait_for: product): a second source, decided with its parent."""
from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import FAILURE, RETRY, SUCCESS, Acceptor, AnyState, StateSet
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.items import Key
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.source import Observed
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource
from tests.unit import fakes
from tests.unit.plugins.module_utils._ecs.waiter.test_engine import START, FakeSource, LowRng, failing, finishing

REGION = "cn-hangzhou"


class FakeImages(object):
    """A product source: images whose Status follows a timeline of (seconds after START, status)."""

    kind = "image"
    noun = "image"
    not_found_code = "InvalidImageId.NotFound"
    region = REGION

    def __init__(self, clock, timelines):
        self.clock = clock
        self.timelines = timelines
        self.acceptors = [Acceptor(StateSet(["CreateFailed"]), FAILURE, "failure_states", "ended in state '%(state)s'"),
                          Acceptor(StateSet(["Available"]), SUCCESS, "target_states", "is in state '%(state)s'"),
                          Acceptor(AnyState(), RETRY, "pending")]
        self.polled = []

    @property
    def calls(self):
        return {"images": len(self.polled)}

    def _status(self, image_id):
        status = None
        for at, value in self.timelines.get(image_id, []):
            if self.clock() - START >= at:
                status = value
        return status

    def poll(self, items, deadline):
        self.polled.append(([item.id for item in items], self.clock() - START))
        found, missing = {}, []
        for item in items:
            status = self._status(item.id)
            if status is None:
                missing.append(item.id)
            else:
                found[item.id] = {"images": {"ImageId": item.id, "Status": status}}
        return Observed(found, missing, {})

    def refresh(self, item):
        raw = item.views.get("images") or {}
        item.record = {"image_id": item.id, "status": raw.get("Status")}

    def judged(self, item):
        raw = item.views.get("images") or {}
        return raw.get("Status"), raw

    def carries_progress(self, read):
        return False

    def details(self, items, deadline):
        return Observed({}, [], {})

    def complete(self, item):
        return True

    def sample(self, pending):
        return None

    def read_progress(self, items, deadline):
        return Observed({}, [], {})


def run(tasks, images, options=None):
    clock = fakes.FakeClock()
    config = WaitConfig.from_options(dict({"poll_interval": 10}, **(options or {})))
    image_source = FakeImages(clock, images)

    def products(item):
        return [Key("image", REGION, "m-" + item.id)]

    waiter = Waiter(config, [TaskSource(FakeSource(clock, tasks), config), image_source], clock=clock,
                    sleep=clock.sleep, rng=LowRng(), region=REGION, products=products)
    return waiter.wait([task.task_id for task in tasks]), image_source, clock


def test_a_task_at_its_target_waits_for_its_product_then_succeeds():
    outcome, images, clock = run([finishing("t-1", 20)], {"m-t-1": [(0, "Creating"), (45, "Available")]})
    assert outcome.status == "succeeded" and clock.now == START + 50
    # Polled only once the task had ended (in the same round), and never again once ready.
    assert images.polled == [(["m-t-1"], 20), (["m-t-1"], 30), (["m-t-1"], 40), (["m-t-1"], 50)]
    assert outcome.records[0]["elapsed"] == 50
    assert outcome.message == "1 task succeeded after 50s"
    assert outcome.calls["images"] == 4


def test_a_product_that_fails_fails_its_task_at_once_naming_it():
    outcome, _images, clock = run([finishing("t-1", 20), finishing("t-2", 1000)],
                                  {"m-t-1": [(0, "Creating"), (25, "CreateFailed")]})
    assert outcome.status == "failed" and clock.now == START + 30
    assert outcome.failed == ["t-1"] and outcome.pending == ["t-2"]
    assert ("task t-1 (ExportImage) reached state 'Finished', but its image m-t-1 ended in state 'CreateFailed'"
            in outcome.message)


def test_a_product_never_ready_keeps_the_wait_until_its_timeout_and_the_message_names_it():
    outcome, _images, _clock = run([finishing("t-1", 10)], {"m-t-1": [(0, "Creating")]}, {"timeout": 60})
    assert outcome.status == "timed_out"
    assert "t-1 reached state 'Finished'; waiting for image m-t-1 ('Creating')" in outcome.message


def test_a_failed_task_has_no_product_to_wait_for():
    outcome, images, _clock = run([failing("t-1", 20)], {"m-t-1": [(0, "Available")]})
    assert outcome.status == "failed" and images.polled == []


def test_a_product_not_found_counts_against_not_found_checks():
    outcome, _images, _clock = run([finishing("t-1", 0)], {}, {"not_found_checks": 1})
    assert outcome.status == "failed"
    assert "but its image m-t-1 was never found in region cn-hangzhou in 2 polls (not_found_checks: 1)" in outcome.message


def test_the_products_of_tasks_ended_in_one_round_are_read_in_one_call():
    products = {"m-t-1": [(0, "Available")], "m-t-2": [(0, "Available")]}
    outcome, images, _clock = run([finishing("t-1", 0), finishing("t-2", 0)], products)
    assert outcome.status == "succeeded" and images.polled == [(["m-t-1", "m-t-2"], 0)]
