# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ecs_image_import does, without Ansible: an image made from an OSS object, once. Its identity is its name in
the region: an image of that name, in any status, is what an earlier run made. See docs/after-a-restart.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.catalog import (
    ARCHITECTURES, BOOT_MODES, IMPORT_FORMATS, LICENSE_TYPES, OS_TYPES, choice, validate_bucket, validate_image_name,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import image_record, is_being_made, is_usable
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.service import ImageService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import AVAILABLE
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.image_wait import ImageWaitRequest, run_image_wait
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.start.plan import (
    ATTACHED, NONE, STARTED, Decision, Refused, Start, StartCall, answer_names, start_kind, start_timing,
    wait_for_tasks,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.service import TaskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import image_acceptors

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping, Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.deadline import Deadline
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.config import WaitConfig

ACTION = "ImportImage"
IMPORT_OPTIONS: dict[str, dict[str, Any]] = {
    "image_name": {"type": "str", "required": True},
    "oss_bucket": {"type": "str", "required": True},
    "oss_object": {"type": "str", "required": True},
    "format": {"type": "str"},
    "disk_image_size": {"type": "int"},
    "architecture": {"type": "str"},
    "platform": {"type": "str"},
    "os_type": {"type": "str"},
    "boot_mode": {"type": "str"},
    "license_type": {"type": "str"},
    "description": {"type": "str"},
    "role_name": {"type": "str"},
}
# The ImportImage parameter each option sets (the disk's own, under DiskDeviceMapping.1, are in ``call``).
PARAMETERS = (("architecture", "Architecture"), ("platform", "Platform"), ("os_type", "OSType"),
              ("boot_mode", "BootMode"), ("license_type", "LicenseType"), ("description", "Description"),
              ("role_name", "RoleName"))


@dataclass(frozen=True)
class ImportRequest:
    """A checked ecs_image_import: the name (the identity), the source object, the image's settings, the timing."""

    image_name: str
    bucket: str
    key: str
    config: WaitConfig
    wait: bool = True
    format: str | None = None
    disk_image_size: int | None = None
    architecture: str | None = None
    platform: str | None = None
    os_type: str | None = None
    boot_mode: str | None = None
    license_type: str | None = None
    description: str | None = None
    role_name: str | None = None
    cancel_on_timeout = False


class Found(NamedTuple):
    """The account's own images of the name in the region (newest first), and the ImportImage task of the one in
    progress, when DescribeTasks lists it."""

    region: str
    images: list
    task: dict | None = None


def _text(params, name):
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError("%s must be a non-empty string, got %s %r" % (name, kind_of(value), value), option=name)
    return value.strip()


def prepare_import(params: Mapping[str, object]) -> ImportRequest:
    """The request of ecs_image_import's options (after the argument spec), every input checked before any call."""
    size = params.get("disk_image_size")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size <= 0):
        raise ConfigError("disk_image_size must be the system disk's size in GiB (a whole number above 0), got %r"
                          % (size,), option="disk_image_size")
    return ImportRequest(
        image_name=validate_image_name(params.get("image_name")),
        bucket=validate_bucket(params.get("oss_bucket")),
        key=_text(params, "oss_object") or "",
        config=start_timing(params),
        wait=params.get("wait") is not False,
        format=choice(params.get("format"), "format", IMPORT_FORMATS, "format ImportImage takes"),
        disk_image_size=size,
        architecture=choice(params.get("architecture"), "architecture", ARCHITECTURES, "architecture"),
        platform=_text(params, "platform"),
        os_type=choice(params.get("os_type"), "os_type", OS_TYPES, "OS type"),
        boot_mode=choice(params.get("boot_mode"), "boot_mode", BOOT_MODES, "boot mode"),
        license_type=choice(params.get("license_type"), "license_type", LICENSE_TYPES, "license type"),
        description=_text(params, "description"),
        role_name=_text(params, "role_name"),
    )


def decide_import(request: ImportRequest, found: Found) -> list[Decision]:
    """none: an image of the name is Available and usable (or Deprecated: it exists); attached: one is being made;
    started: there is none. A name held only by failed images is refused: ImportImage would refuse it too."""
    name, region = request.image_name, found.region
    ready = [image for image in found.images if is_usable(image) or image.get("Status") == "Deprecated"]
    if ready:
        image = ready[0]
        state = "usable" if is_usable(image) else image.get("Status")
        return [Decision(NONE, "image %r exists in %s: %s, %s" % (name, region, image.get("ImageId"), state),
                         region, resource_id=image.get("ImageId"))]
    making = [image for image in found.images if is_being_made(image)]
    if making:
        image = making[0]
        task_id = (found.task or {}).get("TaskId")
        return [Decision(ATTACHED, "image %r is being made in %s: %s, %s%s" % (
            name, region, image.get("ImageId"), image.get("Status"), " by task %s" % task_id if task_id else ""),
            region, task_id=task_id, resource_id=image.get("ImageId"))]
    if found.images:
        image = found.images[0]
        raise Refused("the name %r is taken in %s by image %s, which is %s: ImportImage cannot reuse it. Delete that "
                      "image (console, or DeleteImage) and run again, or choose another image_name"
                      % (name, region, image.get("ImageId"), image.get("Status")),
                      image_id=image.get("ImageId"), image=image_record(image, region))
    return [Decision(STARTED, "no image named %r in %s" % (name, region), region)]


class ImageImport(Start[ImportRequest, Found]):
    """ecs_image_import as a start module (ops/start/plan.py)."""

    name = "ecs_image_import"
    noun = "task"  # what its wait holds records of, mostly (an image when its task is not listed)
    home = "start.image_import"
    options = IMPORT_OPTIONS

    def prepare(self, params: Mapping[str, object]) -> ImportRequest:
        return prepare_import(params)

    def find(self, request: ImportRequest, clients: Clients, deadline: Deadline) -> Found:
        client = clients.ecs()
        images = ImageService(client).find_by_name(request.image_name, deadline)
        making = [image for image in images if is_being_made(image)]
        task = None
        if making and not any(is_usable(image) for image in images):
            tasks = TaskService(client).search(task_action=ACTION, resource_ids=[making[0]["ImageId"]],
                                               deadline=deadline)
            task = tasks[0] if tasks else None
        return Found(client.region, images, task)

    def decide(self, request: ImportRequest, found: Found) -> list[Decision]:
        return decide_import(request, found)

    def call(self, request: ImportRequest, found: Found, decision: Decision) -> StartCall:
        params: dict[str, object] = {"RegionId": decision.region, "ImageName": request.image_name,
                                     "DiskDeviceMapping.1.OSSBucket": request.bucket,
                                     "DiskDeviceMapping.1.OSSObject": request.key}
        if request.format:
            params["DiskDeviceMapping.1.Format"] = request.format
        if request.disk_image_size:
            params["DiskDeviceMapping.1.DiskImageSize"] = request.disk_image_size
        for option, parameter in PARAMETERS:
            if getattr(request, option):
                params[parameter] = getattr(request, option)
        facts = {"action": ACTION, "region": decision.region, "bucket": request.bucket, "object": request.key,
                 "image_name": request.image_name, "format": request.format, "format_option": "format",
                 "formats": ", ".join(IMPORT_FORMATS), "role_name": request.role_name}
        return StartCall(ACTION, decision.region, params, facts, check=answer_names(ACTION, "TaskId", "ImageId"))

    def started(self, request: ImportRequest, found: Found, decision: Decision, answer: dict) -> Decision:
        return decision.but(task_id=answer.get("TaskId"), resource_id=answer.get("ImageId"),
                            why="%s: started ImportImage of oss://%s/%s, image %s" % (
                                decision.why, request.bucket, request.key, answer.get("ImageId")))

    def wait(self, request: ImportRequest, clients: Clients, decisions: Sequence[Decision], config: WaitConfig,
             clock: Callable[[], float], sleep: Callable[[float], object],
             on_progress: Callable[[dict], object] | None) -> dict:
        decision = decisions[0]
        if decision.task_id:
            return wait_for_tasks((decision.task_id,), clients, config, clock, sleep, on_progress)
        # Attached to an image whose task DescribeTasks does not list (or started without a task id): the image is
        # what there is to wait on. It has an id: a listed image has one, and ImportImage's answer names one.
        image_ids = tuple(each.resource_id for each in decisions[:1] if each.resource_id)
        image_wait = ImageWaitRequest(image_ids, (), tuple(image_acceptors()), "become 'Available' and usable", config)
        return run_image_wait(image_wait, clients, clock=clock, sleep=sleep, on_progress=on_progress)

    def result(self, request: ImportRequest, found: Found, decisions: Sequence[Decision], waited: dict | None) -> dict:
        decision = decisions[0] if decisions else None
        image_id = decision.resource_id if decision else None
        image = _waited_image(waited, image_id) if waited else None
        if image is None and image_id:
            raw = next((each for each in found.images if each.get("ImageId") == image_id), None)
            image = image_record(raw, found.region) if raw is not None else None
        return {"image_id": image_id, "image": image}

    def diff(self, request: ImportRequest, found: Found, decisions: Sequence[Decision]) -> dict:
        decision = decisions[0]
        before = {}
        raw = next((each for each in found.images if each.get("ImageId") == decision.resource_id), None)
        if raw is not None:
            before = {"image_name": request.image_name, "image_id": decision.resource_id, "status": raw.get("Status"),
                      "usable": is_usable(raw)}
        after = {"image_name": request.image_name, "image_id": decision.resource_id or "(ImportImage names it)",
                 "status": AVAILABLE, "usable": True}
        if decision.action == STARTED:
            after["imported_from"] = "oss://%s/%s" % (request.bucket, request.key)
        return {"before": before, "after": after}


def _waited_image(waited, image_id):
    """The image record of a wait: ecs_image_wait's own, or the product of ecs_task_wait's task (with its elapsed)."""
    for record in waited.get("images") or ():
        if record.get("image_id") == image_id:
            return record
    for task in waited.get("tasks") or ():
        for product in task.get("products") or ():
            if product.get("kind") == "image":
                return dict(product.get("details") or {}, elapsed=task.get("elapsed"),
                            predicted_end=task.get("predicted_end"))
    return None


IMPORT = ImageImport()
WAIT = start_kind(IMPORT)
