# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The engine's sources of images, disks and OSS objects, wired to the services and the run's clients.

ecs_image_wait and ecs_disk_wait wait on one of them; ecs_task_wait's ``wait_for: product`` on all three.
See docs/waiting-for-products.md and docs/architecture.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.records import disk_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.disks.service import DiskService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.records import image_record
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.service import ImageService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.records import ABSENT, object_status, parse_object_id
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.objects.service import ObjectService
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.product_sources import DiskSource, ImageSource, ObjectSource
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.products import (
    disk_acceptors, image_acceptors, object_acceptors,
)

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.ops.session import Clients
    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.waiter.acceptors import Acceptor, Condition


def _image(raw: dict | None, region: str | None, image_id: str) -> dict:
    record = image_record(raw, region)
    record["image_id"] = record.get("image_id") or image_id
    return record


def _disk(raw: dict | None, region: str | None, disk_id: str) -> dict:
    record = disk_record(raw, region)
    record["disk_id"] = record.get("disk_id") or disk_id
    return record


def _object(raw: dict | None, region: str | None, object_id: str) -> dict:
    """What a product condition reads of an object ({Bucket, Key, ContentLength, ETag, LastModified}), and its status."""
    if raw is None:
        bucket, key = parse_object_id(object_id)
        raw = {"Bucket": bucket, "Key": key}
    fields = dict((name, raw.get(name)) for name in ("Bucket", "Key", "ContentLength", "ETag", "LastModified"))
    fields["status"] = raw.get("Status") or (ABSENT if raw.get("ContentLength") is None else object_status(raw))
    return fields


def image_source(clients: Clients, acceptors: Sequence[Acceptor], target: str = "be ready") -> ImageSource:
    return ImageSource(lambda region, ids, deadline: ImageService(clients.ecs(region)).describe(ids, deadline),
                       _image, acceptors, target)


def disk_source(clients: Clients, acceptors: Sequence[Acceptor], target: str = "be ready") -> DiskSource:
    return DiskSource(lambda region, ids, deadline: DiskService(clients.ecs(region)).describe(ids, deadline),
                      _disk, acceptors, target)


def object_source(clients: Clients, acceptors: Sequence[Acceptor]) -> ObjectSource:
    return ObjectSource(lambda region, ids, deadline: ObjectService(clients.oss(region)).head(ids, deadline),
                        _object, acceptors)


def product_sources(clients: Clients, condition: Condition | None) -> list:
    """What ``wait_for: product`` reads: an import's image (Available, usable), an export's objects (present, not
    empty), a converted disk (not Modifying); ``condition`` (product_condition) must hold for each."""
    return [image_source(clients, image_acceptors(condition=condition)),
            disk_source(clients, disk_acceptors(condition=condition)),
            object_source(clients, object_acceptors(condition))]
