# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom images and their life on the virtual clock.

An image either follows the ImportImage task that makes it (`task`: Waiting
while the task waits, Creating while it runs, then `outcome`, or
CreateFailed if the task failed; gone if the task was cancelled), or lives
on its own: `status` (Creating or Waiting) for `duration` seconds, along
`progress_curve`, then `outcome`; a settled `status` (Available,
UnAvailable, CreateFailed, Deprecated) holds from the start. `Usable` is
false until `usable_after` seconds after the image became Available.
"""

from __future__ import annotations

from tests.emulator import curves, state
from tests.emulator.regional import RegionalStore

CREATING = "Creating"
WAITING = "Waiting"
AVAILABLE = "Available"
UNAVAILABLE = "UnAvailable"
CREATE_FAILED = "CreateFailed"
DEPRECATED = "Deprecated"
STATUSES = (CREATING, WAITING, AVAILABLE, UNAVAILABLE, CREATE_FAILED, DEPRECATED)
TRANSITIONAL = (CREATING, WAITING)
OUTCOMES = (AVAILABLE, CREATE_FAILED, UNAVAILABLE)
DEFAULT_SIZE_GIB = 40


class Image:
    __slots__ = ("image_id", "region", "image_name", "created", "status", "duration", "outcome", "usable_after",
                 "progress_curve", "size", "description", "architecture", "os_type", "platform", "boot_mode",
                 "license_type", "is_copied", "source_image_id", "disks", "task")

    def __init__(self, image_id, region, created, image_name="", status=AVAILABLE, duration=0.0, outcome=AVAILABLE,
                 usable_after=0.0, progress_curve=curves.DEFAULT_CURVE, size=DEFAULT_SIZE_GIB, description="",
                 architecture="x86_64", os_type="linux", platform="Others Linux", boot_mode="BIOS",
                 license_type="Auto", is_copied=False, source_image_id="", disks=None, task=None):
        self.image_id = image_id
        self.region = region
        self.image_name = image_name or image_id
        self.created = created
        self.status = status
        self.duration = duration
        self.outcome = outcome
        self.usable_after = usable_after
        self.progress_curve = progress_curve
        self.size = size
        self.description = description
        self.architecture = architecture
        self.os_type = os_type
        self.platform = platform
        self.boot_mode = boot_mode
        self.license_type = license_type
        self.is_copied = is_copied
        self.source_image_id = source_image_id
        # One dict per disk: {"size" (GiB), "format", "bucket", "object"}; the first is the system disk.
        self.disks = list(disks or [{"size": size, "format": "", "bucket": "", "object": ""}])
        self.task = task  # the ImportImage task that makes it, if any

    def follow(self, task, outcome=AVAILABLE, usable_after=0.0):
        """From now on the image is what `task` makes: its timeline replaces the image's own."""
        self.task = task
        self.outcome = outcome
        self.usable_after = usable_after

    def phase(self, now):
        """(status, progress 0-100, virtual time it settled or None); status None: the image is gone."""
        task = self.task
        if task is not None:
            task_status = task.status(now)
            if task_status == state.DELETED:
                return None, 0, None  # a cancelled import leaves no image
            if task_status == state.WAITING:
                return WAITING, 0, None
            if task_status == state.PROCESSING:
                return CREATING, task.progress(now), None
            if task_status == state.FAILED:
                return CREATE_FAILED, 100, task.end_time()
            return self.outcome, 100, task.end_time()
        if self.status not in TRANSITIONAL:
            return self.status, 100, self.created
        ends = self.created + self.duration
        if now < ends:
            fraction = (now - self.created) / self.duration if self.duration else 1.0
            return self.status, curves.percent(self.progress_curve, fraction, self.image_id), None
        return self.outcome, 100, ends

    def usable(self, now):
        status, dummy, settled = self.phase(now)
        return status == AVAILABLE and now >= settled + self.usable_after

    def usable_at(self, now):
        """Virtual time the image is (or will be) usable; None when not known yet or never."""
        status, dummy, settled = self.phase(now)
        if settled is None or status != AVAILABLE:
            return None
        return settled + self.usable_after

    def exists(self, now):
        return self.phase(now)[0] is not None


class ImageStore(RegionalStore):
    """Every image, by id and by region in creation order. Thread-safe."""

    def __init__(self):
        super().__init__("image_id")

    def named(self, region, name, now):
        """Images of that exact name that exist in the region now."""
        return [i for i in self.in_region(region) if i.image_name == name and i.exists(now)]
