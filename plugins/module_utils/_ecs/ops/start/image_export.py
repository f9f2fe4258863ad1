# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_image_export does, without Ansible: an image's file in an OSS bucket, once. An export's identity is the
image, the bucket, the prefix and the format: an ExportImage task of the image that names them and is running, or
finished with its objects still in the bucket, is what an earlier run made. See docs/after-a-restart.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.catalog import (
    DEFAULT_EXPORT_FORMAT, EXPORT_FORMATS, validate_bucket, validate_prefix,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import image_record, validate_image_ids
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.service import ImageService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import AVAILABLE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.records import (
    PRESENT, export_objects, format_object_id, object_status,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.service import ObjectService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.errors import hint
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import (
    ATTACHED, NONE, STARTED, Decision, Refused, Start, StartCall, answer_names, start_kind, start_timing,
    wait_for_tasks,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.spelling import choose
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import task_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.states import IN_PROGRESS_STATES

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

ACTION = "ExportImage"
# The newest exports of an image whose attributes a run reads to find its own (one DescribeTaskAttribute each).
EXPORTS_READ = 20
EXPORT_OPTIONS: dict[str, dict[str, Any]] = {
    "image_id": {"type": "str", "required": True},
    "oss_bucket": {"type": "str", "required": True},
    "oss_prefix": {"type": "str"},
    "image_format": {"type": "str", "default": DEFAULT_EXPORT_FORMAT},
    "role_name": {"type": "str"},
}


@dataclass(frozen=True)
class ExportRequest:
    """A checked ecs_image_export: the image, the bucket, the prefix and the format (the identity), the timing."""

    image_id: str
    bucket: str
    prefix: str
    format: str
    config: WaitConfig
    wait: bool = True
    role_name: str | None = None
    cancel_on_timeout = False


class Found(NamedTuple):
    """The image (its DescribeImages answer, None when the region has none), its exports (task records, newest
    first), and the objects read of the finished exports that are this one (object id -> HeadObject answer or
    None)."""

    region: str
    image: dict | None
    exports: list
    objects: dict


def prepare_export(params: Mapping[str, object]) -> ExportRequest:
    """The request of ecs_image_export's options (after the argument spec), every input checked before any call."""
    role = params.get("role_name")
    return ExportRequest(
        image_id=validate_image_ids([params.get("image_id")], option="image_id")[0],
        bucket=validate_bucket(params.get("oss_bucket")),
        prefix=validate_prefix(params.get("oss_prefix")),
        format=choose(params.get("image_format") or DEFAULT_EXPORT_FORMAT, "image_format", EXPORT_FORMATS,
                      "format ExportImage takes"),
        config=start_timing(params),
        wait=params.get("wait") is not False,
        role_name=role.strip() if isinstance(role, str) and role.strip() else None,
    )


def _prefix_of(key, image_id):
    """The prefix an export's object key was named with: ECS names it ``<prefix>_<image id>...``, or
    ``<image id>...`` without one; None when the key does not name the image (another naming)."""
    name = key.rsplit("/", 1)[-1]
    if image_id not in name:
        return None
    head = name.split(image_id, 1)[0]
    return head[:-1] if head.endswith("_") else head


def is_this_export(record: Mapping[str, Any], request: ExportRequest) -> bool:
    """Whether an ExportImage task's record is an export of the request's image to its bucket, prefix and format
    (from its related items: OSSBucket, ImageFormat, and each OSSObject's name)."""
    if record.get("resource_id") not in (None, request.image_id):
        return False
    related = record.get("related_items") or {}
    fmt = related.get("ImageFormat")
    if isinstance(fmt, str) and fmt and fmt.lower() != request.format:
        return False
    objects = export_objects(record)
    if not objects or any(bucket != request.bucket for bucket, _key in objects):
        return False
    prefixes = set(_prefix_of(key, request.image_id) for _bucket, key in objects)
    # A key that does not name the image (a naming this code does not know) is taken as the prefix's.
    return prefixes <= {request.prefix, None}


def _objects_of(record):
    return [format_object_id(bucket, key) for bucket, key in export_objects(record)]


def _complete(request, found):
    """The newest finished export that is this one and whose objects are all in the bucket, not empty; or None."""
    for record in found.exports:
        if record.get("task_status") == "Finished" and is_this_export(record, request) and all(
                object_status(found.objects.get(each)) == PRESENT for each in _objects_of(record)):
            return record
    return None


def decide_export(request: ExportRequest, found: Found) -> list[Decision]:
    """attached: this export is running; none: it finished and every object it wrote is in the bucket (not
    empty); started: there is none, or its objects are gone, or it failed. Refused: no such image, an image not
    Available, or another export of the image running (ExportImage would refuse each)."""
    region, image_id = found.region, request.image_id
    where = "oss://%s/%s (%s)" % (request.bucket, request.prefix + "_*" if request.prefix else image_id + "*",
                                  request.format)
    facts = {"image_id": image_id, "region": region}
    if found.image is None:
        raise Refused("image %s was not found in %s. To fix: %s." % (image_id, region,
                                                                     hint("InvalidImageId.NotFound", facts)),
                      error_code="InvalidImageId.NotFound")
    running = [record for record in found.exports
               if record.get("task_status") in IN_PROGRESS_STATES and is_this_export(record, request)]
    if running:
        task_id, status = running[0]["task_id"], running[0]["task_status"]
        return [Decision(ATTACHED, "export %s of %s to %s is %s" % (task_id, image_id, where, status),
                         region, task_id=task_id, resource_id=image_id)]
    done = _complete(request, found)
    if done is not None:
        return [Decision(NONE, "image %s was exported to %s by task %s: %s" % (
            image_id, where, done["task_id"], ", ".join(_objects_of(done))), region, resource_id=image_id)]
    # Read and not there (or empty): what an earlier export of this one wrote and someone removed.
    gone = [each for each, answer in found.objects.items() if object_status(answer) != PRESENT]
    other = [record for record in found.exports if record.get("task_status") in IN_PROGRESS_STATES]
    if other:
        raise Refused("another export of image %s is running (task %s). To fix: %s." % (
            image_id, other[0]["task_id"], hint("ImageIsExporting", facts)), error_code="ImageIsExporting",
            task_id=other[0]["task_id"])
    if found.image.get("Status") != AVAILABLE:
        fix = hint("IncorrectImageStatus", facts)
        raise Refused("image %s is %s. To fix: %s." % (image_id, found.image.get("Status"), fix),
                      error_code="IncorrectImageStatus")
    why = ("its earlier export's objects are gone (%s)" % ", ".join(gone)) if gone else \
        "no export of image %s to %s" % (image_id, where)
    return [Decision(STARTED, why, region, resource_id=image_id)]


class ImageExport(Start[ExportRequest, Found]):
    """ecs_image_export as a start module (ops/start/plan.py)."""

    name = "ecs_image_export"
    noun = "task"
    home = "start.image_export"
    options = EXPORT_OPTIONS

    def prepare(self, params: Mapping[str, object]) -> ExportRequest:
        return prepare_export(params)

    def find(self, request: ExportRequest, clients: Clients, deadline: Deadline) -> Found:
        client = clients.ecs()
        region = client.region
        image = ImageService(client).describe([request.image_id], deadline).found.get(request.image_id)
        if image is None:
            return Found(region, None, [], {})
        service = TaskService(client)
        summaries = service.search(task_action=ACTION, resource_ids=[request.image_id], deadline=deadline)
        summaries.sort(key=lambda raw: str(raw.get("CreationTime") or ""), reverse=True)
        summaries = summaries[:EXPORTS_READ]
        batch = service.attributes([raw["TaskId"] for raw in summaries if raw.get("TaskId")], deadline)
        if batch.errors:
            # An export that cannot be read might be this one: better to fail than to export twice.
            raise next(iter(batch.errors.values()))
        exports = [task_record(raw, batch.found.get(raw.get("TaskId")), region) for raw in summaries
                   if raw.get("TaskId") not in batch.missing]
        return Found(region, image, exports, self._read_objects(request, clients, exports, region, deadline))

    @staticmethod
    def _read_objects(request, clients, exports, region, deadline):
        """HeadObject of the finished exports that are this one, newest first, until one has all its objects."""
        objects = {}
        for record in exports:
            if record.get("task_status") != "Finished" or not is_this_export(record, request):
                continue
            heads = ObjectService(clients.oss(region)).head(_objects_of(record), deadline)
            if heads.errors:
                raise next(iter(heads.errors.values()))
            objects.update(heads.found)
            objects.update((each, None) for each in heads.missing)
            if not heads.missing and all(object_status(answer) == PRESENT for answer in heads.found.values()):
                break
        return objects

    def decide(self, request: ExportRequest, found: Found) -> list[Decision]:
        return decide_export(request, found)

    def call(self, request: ExportRequest, found: Found, decision: Decision) -> StartCall:
        params: dict[str, object] = {"RegionId": decision.region, "ImageId": request.image_id,
                                     "OSSBucket": request.bucket, "ImageFormat": request.format}
        if request.prefix:
            params["OSSPrefix"] = request.prefix
        if request.role_name:
            params["RoleName"] = request.role_name
        facts = {"action": ACTION, "region": decision.region, "image_id": request.image_id, "bucket": request.bucket,
                 "format": request.format, "format_option": "image_format", "formats": ", ".join(EXPORT_FORMATS),
                 "role_name": request.role_name}
        return StartCall(ACTION, decision.region, params, facts, check=answer_names(ACTION, "TaskId"))

    def started(self, request: ExportRequest, found: Found, decision: Decision, answer: dict) -> Decision:
        return decision.but(task_id=answer.get("TaskId"), why="%s: started ExportImage of %s to oss://%s (%s)%s" % (
            decision.why, request.image_id, request.bucket, request.format,
            " with prefix %s" % request.prefix if request.prefix else ""))

    def wait(self, request: ExportRequest, clients: Clients, decisions: Sequence[Decision], config: WaitConfig,
             clock: Callable[[], float], sleep: Callable[[float], object],
             on_progress: Callable[[dict], object] | None) -> dict:
        # Its task (an export being made is a listed task, and ExportImage's answer names the one it started).
        task_ids = [decision.task_id for decision in decisions[:1] if decision.task_id]
        return wait_for_tasks(task_ids, clients, config, clock, sleep, on_progress)

    def result(self, request: ExportRequest, found: Found, decisions: Sequence[Decision], waited: dict | None) -> dict:
        decision = decisions[0] if decisions else None
        task = None
        if waited and waited.get("tasks"):
            task = waited["tasks"][0]
        elif decision is not None and decision.action == NONE:
            task = _complete(request, found)
        objects = []
        if task is not None:
            heads = dict((product["id"], product.get("details") or {}) for product in task.get("products") or ()
                         if product.get("kind") == "oss_object")
            for bucket, key in export_objects(task):
                answer = heads.get(format_object_id(bucket, key)) or found.objects.get(format_object_id(bucket, key))
                objects.append({"bucket": bucket, "key": key, "size": (answer or {}).get("ContentLength")})
        return {"image_id": request.image_id, "objects": objects, "task": task,
                "image": image_record(found.image, found.region) if found.image else None}

    def diff(self, request: ExportRequest, found: Found, decisions: Sequence[Decision]) -> dict:
        present = sorted(each for each, answer in found.objects.items() if object_status(answer) == PRESENT)
        decision = decisions[0]
        after = present if decision.action == NONE else present + [
            "oss://%s/%s (%s, named by ECS)" % (request.bucket, request.prefix + "_" + request.image_id
                                                if request.prefix else request.image_id, request.format)]
        return {"before": {"image_id": request.image_id, "objects": present},
                "after": {"image_id": request.image_id, "objects": after}}


EXPORT = ImageExport()
WAIT = start_kind(EXPORT)
