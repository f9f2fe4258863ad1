# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What tasks produce: the image an import makes, the OSS objects an export writes, the disk a conversion changes.

`Products.attach` runs for every new task (made by the control API or by a
start action) with the task's `product` settings:
- ImportImage: the image named by the task's resource id (made if missing)
  follows the task, then becomes `outcome` (default Available), Usable
  `usable_after` seconds after the end.
- ExportImage: each object the task names (its OSSObject related items, and
  every `operations` entry when tasks have them) appears `object_after`
  seconds after a Finished end, sized as the image's disk (never with
  `object_missing`); the bucket is made in the task's region if new.
- ModifyDiskSpec: the disk named by the resource id (made if missing)
  reports Modifying from the task's start until `settle_after` seconds after
  its end, then `category` / `performance_level` (default: unchanged).
"""

from __future__ import annotations

from tests.emulator import disks, images, specs
from tests.emulator.objects import OssObject

FIELDS = ("usable_after", "outcome", "object_after", "object_missing", "settle_after", "category",
          "performance_level")
GIB = 1024 ** 3


def product_spec(value):
    """Validate the `product` field of POST /_emulator/tasks (None: every default)."""
    if value is None:
        return {}
    specs.obj(value, "product")
    specs.known_fields(value, FIELDS, "product")
    spec = {}
    for name in ("usable_after", "object_after", "settle_after"):
        if name in value:
            spec[name] = specs.number(value, name, 0.0)
    if "outcome" in value:
        spec["outcome"] = specs.choice(value, "outcome", images.AVAILABLE, images.OUTCOMES)
    if "object_missing" in value:
        spec["object_missing"] = specs.boolean(value, "object_missing")
    if "category" in value:
        spec["category"] = specs.choice(value, "category", disks.DEFAULT_CATEGORY, disks.CATEGORIES)
    if "performance_level" in value:
        spec["performance_level"] = specs.choice(value, "performance_level", disks.DEFAULT_LEVEL,
                                                 disks.PERFORMANCE_LEVELS + ("",))
    return spec


def take_product(body):
    """Remove `product` from a POST /_emulator/tasks body and return it validated."""
    if isinstance(body, dict) and "product" in body:
        return product_spec(body.pop("product"))
    return {}


def _items(entry):
    if isinstance(entry, dict):
        return list(entry.items())
    return [tuple(item) for item in entry or ()]


def export_targets(task):
    """[(bucket, key), ...]: every object an ExportImage task names."""
    groups = [task.related_items] + [_items(op) for op in (getattr(task, "operations", None) or ())]
    targets = []
    for items in groups:
        buckets = [str(v) for n, v in items if n == "OSSBucket"]
        for name, value in items:
            if name == "OSSObject" and buckets and (buckets[0], str(value)) not in targets:
                targets.append((buckets[0], str(value)))
    return targets


class Products:
    def __init__(self, image_store, disk_store, object_store):
        self.images = image_store
        self.disks = disk_store
        self.objects = object_store

    def attach(self, tasks, product=None):
        product = product or {}
        for task in tasks:
            handler = {"ImportImage": self._import, "ExportImage": self._export,
                       "ModifyDiskSpec": self._modify_disk}.get(task.action)
            if handler is not None and task.resource_id:
                handler(task, product)

    def _import(self, task, product):
        image = self.images.get(task.resource_id)
        if image is None:
            image = self.images.add(images.Image(task.resource_id, task.region, task.created,
                                                 status=images.CREATING))
        image.follow(task, product.get("outcome", images.AVAILABLE), product.get("usable_after", 0.0))

    def _export(self, task, product):
        image = self.images.get(task.resource_id)
        sizes = [d["size"] for d in image.disks] if image is not None else [images.DEFAULT_SIZE_GIB]
        for index, (bucket, key) in enumerate(export_targets(task)):
            self.objects.ensure_bucket(bucket, task.region)
            size = sizes[index] if index < len(sizes) else sizes[0]
            self.objects.add(OssObject(bucket, key, int(size) * GIB, task.created, task=task,
                                       object_after=product.get("object_after", 0.0),
                                       object_missing=product.get("object_missing", False)))

    def _modify_disk(self, task, product):
        disk = self.disks.get(task.resource_id)
        if disk is None:
            disk = self.disks.add(disks.Disk(task.resource_id, task.region, task.created))
        category, level, dummy = disk.view(task.started)
        new_category = product.get("category", category)
        new_level = product.get("performance_level", level if new_category == category else "")
        disk.add_change(disks.DiskChange(task.started, new_category, disks.level_for(new_category, new_level),
                                         product.get("settle_after", 0.0), task=task))
