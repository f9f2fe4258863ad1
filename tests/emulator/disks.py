# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud disks and their category changes on the virtual clock.

A change (ModifyDiskSpec) makes the disk report `Modifying` and its old
category and performance level from the change's start until
`settle_after` seconds after it ends (the end of its task, or of its own
duration when only the performance level changed and no task exists); then
the new category / level and the status it had before. A change whose task
failed or was cancelled leaves the old category.
"""

from __future__ import annotations

from tests.emulator import state
from tests.emulator.regional import RegionalStore

IN_USE = "In_use"
AVAILABLE = "Available"
MODIFYING = "Modifying"
STATUSES = (IN_USE, AVAILABLE, "Attaching", "Detaching", "Creating", "ReIniting", MODIFYING)
# Statuses a ModifyDiskSpec accepts (InvalidStatus.DiskNotReady otherwise).
MODIFIABLE = (IN_USE, AVAILABLE)
CATEGORIES = ("cloud_essd", "cloud_auto", "cloud_ssd", "cloud_efficiency", "cloud", "cloud_essd_entry")
TARGET_CATEGORIES = ("cloud_essd", "cloud_auto", "cloud_ssd", "cloud_efficiency")
PERFORMANCE_LEVELS = ("PL0", "PL1", "PL2", "PL3")
ESSD = "cloud_essd"
DEFAULT_CATEGORY = ESSD
DEFAULT_LEVEL = "PL1"
DEFAULT_SIZE_GIB = 40


def level_for(category, level):
    """Only ESSDs have a performance level (PL1 unless given); other categories report ""."""
    if category != ESSD:
        return ""
    return level or DEFAULT_LEVEL


class DiskChange:
    __slots__ = ("starts", "ends", "task", "settle_after", "category", "performance_level")

    def __init__(self, starts, category, performance_level, settle_after=0.0, task=None, ends=None):
        self.starts = starts
        self.ends = ends
        self.task = task
        self.settle_after = settle_after
        self.category = category
        self.performance_level = performance_level

    def end_time(self):
        return self.task.end_time() if self.task is not None else self.ends

    def settles_at(self):
        return self.end_time() + self.settle_after

    def succeeded(self, now):
        if self.task is None:
            return True
        return self.task.status(now) == state.FINISHED


class Disk:
    __slots__ = ("disk_id", "region", "category", "performance_level", "status", "size", "created", "changes")

    def __init__(self, disk_id, region, created, category=DEFAULT_CATEGORY, performance_level=None,
                 status=IN_USE, size=DEFAULT_SIZE_GIB):
        self.disk_id = disk_id
        self.region = region
        self.created = created
        self.category = category
        self.performance_level = level_for(category, performance_level)
        self.status = status
        self.size = size
        self.changes = []

    def view(self, now):
        """(category, performance_level, status) the service reports at `now`."""
        category, level, status = self.category, self.performance_level, self.status
        for change in self.changes:
            if now < change.starts:
                continue
            if now < change.settles_at():
                return category, level, MODIFYING
            if change.succeeded(now):
                category, level = change.category, change.performance_level
        return category, level, status

    def add_change(self, change):
        self.changes.append(change)


class DiskStore(RegionalStore):
    """Every disk, by id and by region in creation order. Thread-safe."""

    def __init__(self):
        super().__init__("disk_id")
