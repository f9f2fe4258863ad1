# -*- coding: utf-8 -*-
"""The engine waiting on what a task produced (wait_for: product): product sources, decided with their parent."""
from __future__ import annotations

import collections

import pytest

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.engine import Waiter
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.product_sources import DiskSource, ImageSource, ObjectSource
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import (
    disk_acceptors, image_acceptors, object_acceptors,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.task_source import TaskSource
from tests.unit import fakes
from tests.unit.plugins.module_utils._ecs.waiter.test_engine import START, FakeSource, FakeTask, LowRng

REGION = "cn-hangzhou"
Batch = collections.namedtuple("Batch", ["found", "missing", "errors"])


class Task(FakeTask):
    """A task of ``action`` whose ResourceId is ``resource`` and whose related items name ``objects``."""

    def __init__(self, task_id, at, action="ImportImage", resource=None, objects=(), failed=False):
        timeline = [(0, "Processing", 10), (at, "Failed" if failed else "Finished", 100)]
        related = {"OSSBucket": "bkt", "OSSObject": objects[0]} if objects else {}
        super().__init__(task_id, timeline, action=action, related=related)
        self.resource = resource or "m-" + task_id
        self.objects = list(objects)

    def summary(self, now):
        raw = super().summary(now)
        raw["ResourceId"] = self.resource
        return raw

    def attribute(self, now):
        raw = super().attribute(now)
        if len(self.objects) > 1:
            raw["OperationProgressSet"]["OperationProgress"] = [
                {"OperationStatus": "Success", "RelatedItemSet": {"RelatedItem": [
                    {"Name": "OSSBucket", "Value": "bkt"}, {"Name": "OSSObject", "Value": key}]}} for key in self.objects]
        return raw


class Timelines(object):
    """Products whose answer follows a timeline of (seconds after START, raw answer or None); logs each read."""

    def __init__(self, clock, timelines):
        self.clock = clock
        self.timelines = timelines
        self.reads = []

    def answer(self, name):
        answer = None
        for at, value in self.timelines.get(name, []):
            if self.clock() - START >= at:
                answer = value
        return answer

    def batch(self, region, ids, deadline):
        self.reads.append((region, list(ids), self.clock() - START))
        found = dict((item_id, self.answer(item_id)) for item_id in ids if self.answer(item_id) is not None)
        return Batch(found, [item_id for item_id in ids if item_id not in found], {})

    def heads(self, region, ids, deadline):
        """As objects/service.ObjectService.head: one read per object, passing failures kept per id."""
        found, missing, errors = {}, [], {}
        for object_id in ids:
            self.reads.append((region, object_id[len("oss://"):], self.clock() - START))
            answer = self.answer(object_id)
            if isinstance(answer, ApiError):
                if not answer.retryable:
                    raise answer
                errors[object_id] = answer
            elif answer is None:
                missing.append(object_id)
            else:
                found[object_id] = answer
        return Batch(found, missing, errors)


def image(status, usable=True, progress="100%"):
    return {"Status": status, "Usable": usable, "Progress": progress}


def record(raw, region, item_id):
    raw = raw or {}
    return {"id": item_id, "region": region, "status": raw.get("Status"), "raw": raw}


def run(tasks, products, options=None, task_source=None, progress=None):
    clock = fakes.FakeClock()
    config = WaitConfig.from_options(dict({"poll_interval": 10, "wait_for": "product"}, **(options or {})))
    reader = Timelines(clock, products)
    condition = config.product_condition
    fake = FakeSource(clock, tasks)
    if task_source is not None:
        task_source(fake)
    sources = [TaskSource(fake, config),
               ImageSource(reader.batch, record, image_acceptors(condition=condition)),
               DiskSource(reader.batch, record, disk_acceptors(condition=condition)),
               ObjectSource(reader.heads, record, object_acceptors(condition))]
    waiter = Waiter(config, sources, clock=clock, sleep=clock.sleep, rng=LowRng(), region=REGION,
                    on_progress=None if progress is None else progress.append)
    return waiter.wait([task.task_id for task in tasks]), reader, clock


def test_an_import_waits_for_its_image_to_be_available_and_usable():
    timeline = [(0, image("Creating", False, "40%")), (25, image("Available", False)), (45, image("Available", True))]
    outcome, reader, clock = run([Task("t-1", 20)], {"m-t-1": timeline})
    assert outcome.status == "succeeded" and clock.now == START + 50
    # Read from the round its task ended, in that round, and never again once ready.
    assert [read[2] for read in reader.reads] == [20, 30, 40, 50]
    assert outcome.records[0]["elapsed"] == 50 and outcome.message == "1 task succeeded after 50s"
    assert outcome.calls["images"] == 4
    products = outcome.records[0]["products"]
    assert [(p["kind"], p["region"], p["id"], p["status"], p["ready"]) for p in products] == [
        ("image", "cn-hangzhou", "m-t-1", "Available", True)]
    assert products[0]["details"]["raw"]["Usable"] is True


def test_no_eta_once_a_task_waits_for_its_product():
    """Its own predicted end is past and nothing predicts the image's: before, the line said "ETA 0s" for minutes."""
    snapshots = []
    timeline = [(0, image("Creating", False)), (45, image("Available", False)), (95, image("Available", True))]
    tasks = [FakeTask("t-1", [(0, "Processing", 10), (10, "Processing", 30), (20, "Processing", 50),
                              (30, "Processing", 70), (40, "Finished", 100)], action="ImportImage")]
    outcome, _reader, _clock = run(tasks, {"m-1": timeline}, {"display_interval": 5}, progress=snapshots)
    assert outcome.status == "succeeded"
    running = [snap for snap in snapshots if snap["task"]["state"] == "Processing" and snap["elapsed"] >= 30]
    assert running and running[-1]["task"]["eta"] is not None  # predicted while it ran
    awaiting = [snap for snap in snapshots if snap["task"]["state"].startswith("image ")]
    assert awaiting and all(snap["task"]["eta"] is None and snap["eta"] is None for snap in awaiting), awaiting


def test_a_single_task_polled_with_attributes_is_read_once_for_its_resource_id():
    _outcome, _reader, _clock = run([Task("t-1", 0, resource="m-chosen")], {"m-chosen": [(0, image("Available"))]})
    assert _outcome.status == "succeeded"


def test_an_image_that_fails_fails_its_task_at_once_naming_it():
    timeline = [(0, image("Creating", False)), (25, image("CreateFailed", False))]
    outcome, _reader, clock = run([Task("t-1", 20), Task("t-2", 1000)], {"m-t-1": timeline})
    assert outcome.status == "failed" and clock.now == START + 30
    assert outcome.failed == ["t-1"] and outcome.pending == ["t-2"]
    assert ("task t-1 (ImportImage) reached state 'Finished', but its image m-t-1 ended in state 'CreateFailed'"
            in outcome.message)


def test_an_image_never_usable_keeps_the_wait_until_its_timeout_and_the_message_names_it():
    outcome, _reader, _clock = run([Task("t-1", 10)], {"m-t-1": [(0, image("Available", False))]}, {"timeout": 60})
    assert outcome.status == "timed_out"
    assert "t-1 reached state 'Finished'; waiting for image m-t-1 ('Available, not usable yet')" in outcome.message


def test_an_export_waits_for_every_object_with_a_size():
    objects = ["p_m-1_system.raw.tar.gz", "p_m-1_data1.raw.tar.gz"]
    present = {"ContentLength": 10, "ETag": "e"}
    outcome, reader, clock = run([Task("t-1", 10, action="ExportImage", objects=objects)], {
        "oss://bkt/" + objects[0]: [(0, present)],
        "oss://bkt/" + objects[1]: [(15, {"ContentLength": 0}), (35, present)]})
    assert outcome.status == "succeeded" and clock.now == START + 40
    heads = [read[1] for read in reader.reads]
    # The system disk's object, ready at once, is read once; the data disk's until it has a size.
    assert heads.count("bkt/" + objects[0]) == 1 and heads.count("bkt/" + objects[1]) == 4
    assert [(p["id"], p["status"]) for p in outcome.records[0]["products"]] == [
        ("oss://bkt/" + objects[0], "present"), ("oss://bkt/" + objects[1], "present")]


def test_exports_polled_with_describe_tasks_read_their_objects_from_their_attribute():
    """DescribeTasks entries carry no related items: before, two exports 'named no OSS object' and succeeded unread."""
    present = {"ContentLength": 10, "ETag": "e"}
    tasks = [Task("t-1", 10, action="ExportImage", objects=["a.raw"]), Task("t-2", 30, action="ExportImage", objects=["b.raw"])]
    log = []
    outcome, reader, clock = run(tasks, {"oss://bkt/a.raw": [(25, present)], "oss://bkt/b.raw": [(0, present)]},
                                 task_source=log.append)
    assert outcome.status == "succeeded" and not outcome.warnings and clock.now == START + 30
    assert [read[1:] for read in reader.reads] == [("bkt/a.raw", 10), ("bkt/a.raw", 20), ("bkt/a.raw", 30), ("bkt/b.raw", 30)]
    # t-1's end came in a DescribeTasks entry: its attribute is read in that round, once (not again for its details
    # once its object is there). t-2, polled alone from then on with DescribeTaskAttribute, is not read again.
    reads = [(entry[0], entry[1], entry[2] - START) for entry in log[0].log]
    assert reads == [("summaries", ["t-1", "t-2"], 0), ("summaries", ["t-1", "t-2"], 10), ("attributes", ["t-1"], 10),
                     ("attributes", ["t-2"], 20), ("attributes", ["t-2"], 30)], reads


def test_a_passing_failure_reading_an_exports_objects_asks_again_next_round():
    present = {"ContentLength": 10, "ETag": "e"}
    tasks = [Task("t-1", 10, action="ExportImage", objects=["a.raw"]), Task("t-2", 1000, action="ExportImage", objects=["b.raw"])]

    def fail_once(fake):
        original = fake.attributes

        def attributes(ids, deadline):
            if fake.clock() - START == 10:
                fake.id_errors["t-1"] = ApiError("ServiceUnavailable", "busy", http_status=503, action="DescribeTaskAttribute")
            return original(ids, deadline)
        fake.attributes = attributes
    outcome, reader, _clock = run(tasks, {"oss://bkt/a.raw": [(0, present)]}, {"timeout": 60, "mode": "any"},
                                  task_source=fail_once)
    assert outcome.status == "succeeded", outcome.message
    # Said as any passing failure is; not taken for an export that names no object.
    assert [warning.split(";")[0] for warning in outcome.warnings] == [
        "1 polling request(s) failed with a transient error and were retried at the next poll"], outcome.warnings
    assert outcome.succeeded == ["t-1"] and outcome.records[0]["elapsed"] == 20
    assert reader.reads == [("cn-hangzhou", "bkt/a.raw", 20)]


def test_a_missing_object_is_waited_for_not_counted_as_never_found():
    outcome, _reader, _clock = run([Task("t-1", 0, action="ExportImage", objects=["k"])], {},
                                   {"not_found_checks": 0, "timeout": 30})
    assert outcome.status == "timed_out" and "waiting for OSS object oss://bkt/k ('absent')" in outcome.message


def test_a_denied_head_ends_the_wait_and_a_passing_one_is_retried():
    throttled = ApiError("ServiceUnavailable", "busy", http_status=503)
    outcome, _reader, _clock = run([Task("t-1", 0, action="ExportImage", objects=["k"])],
                                   {"oss://bkt/k": [(0, throttled), (5, {"ContentLength": 3})]})
    assert outcome.status == "succeeded" and any("ServiceUnavailable" in warning for warning in outcome.warnings)
    denied = ApiError("AccessDenied", "You have no right to access this object", http_status=403)
    outcome, _reader, _clock = run([Task("t-1", 0, action="ExportImage", objects=["k"])], {"oss://bkt/k": [(0, denied)]})
    assert outcome.status == "error" and "AccessDenied" in outcome.message


def test_a_disk_waits_until_it_is_not_modifying_and_the_condition_holds():
    modifying = {"Status": "Modifying", "Category": "cloud_efficiency"}
    settled_old = {"Status": "In_use", "Category": "cloud_efficiency"}
    settled = {"Status": "In_use", "Category": "cloud_essd"}
    outcome, _reader, clock = run([Task("t-1", 10, action="ModifyDiskSpec", resource="d-1")],
                                  {"d-1": [(0, modifying), (25, settled_old), (45, settled)]},
                                  {"product_condition": "Category == 'cloud_essd'"})
    assert outcome.status == "succeeded" and clock.now == START + 50


def test_a_task_that_failed_has_no_product_to_wait_for():
    outcome, reader, _clock = run([Task("t-1", 20, failed=True)], {"m-t-1": [(0, image("Available"))]})
    assert outcome.status == "failed" and reader.reads == []


def test_an_image_not_found_counts_against_not_found_checks():
    outcome, _reader, _clock = run([Task("t-1", 0)], {}, {"not_found_checks": 1})
    assert outcome.status == "failed"
    assert "but its image m-t-1 was never found in region cn-hangzhou in 2 polls (not_found_checks: 1)" in outcome.message


def test_the_images_of_tasks_ended_in_one_round_are_read_in_one_call_per_region():
    tasks = [Task("t-%d" % index, 0) for index in range(150)]
    products = dict(("m-t-%d" % index, [(0, image("Available"))]) for index in range(150))
    outcome, reader, _clock = run(tasks, products)
    assert outcome.status == "succeeded" and [len(read[1]) for read in reader.reads] == [150]
    assert outcome.calls["images"] == 2  # 100 ids per DescribeImages


def test_an_action_without_a_product_warns_and_ends_with_the_task():
    outcome, _reader, _clock = run([Task("t-1", 0, action="RedeployInstance")], {})
    assert outcome.status == "succeeded"
    assert any("knows of nothing that RedeployInstance tasks produce" in warning for warning in outcome.warnings)


@pytest.mark.parametrize("options, option", [({"wait_for": "products"}, "wait_for"),
                                             ({"wait_for": "task", "product_condition": "Usable"}, "product_condition"),
                                             ({"product_condition": "Status =="}, "product_condition")])
def test_bad_product_options_are_named(options, option):
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
    with pytest.raises(ConfigError) as info:
        WaitConfig.from_options(dict({"wait_for": "product"}, **options))
    assert info.value.option == option


def test_a_product_new_this_round_is_read_with_those_already_pending_in_one_call():
    products = {"m-t-1": [(0, image("Creating", False)), (25, image("Available"))],
                "m-t-2": [(0, image("Creating", False)), (25, image("Available"))]}
    outcome, reader, _clock = run([Task("t-1", 0), Task("t-2", 10)], products)
    assert outcome.status == "succeeded"
    # Round 0: t-1's image alone; round 10: t-2 ended, both images in one call; then both until ready.
    assert [(read[1], read[2]) for read in reader.reads] == [
        (["m-t-1"], 0), (["m-t-1", "m-t-2"], 10), (["m-t-1", "m-t-2"], 20), (["m-t-1", "m-t-2"], 30)]
