# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DescribeDisks answers -> one normalised disk record, the check of an answer, and the disk-id check.

Pure and tolerant, as tasks/records.py: the SDK models' shape (``Disks.Disk``, ``Size`` an integer) and the
pages' (a lone disk as a dict, numbers as strings) are both read; the empty strings the service sends for
"none" (``PerformanceLevel`` of a disk that is not an enterprise SSD, ``InstanceId`` of a detached disk)
become ``None``. See docs/architecture.md (Image and disk records).
"""

from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.listing import answer_problem, extract_set
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import parse_int, text, validate_ids

# The keys DESIGN.md names for ecs_disk_wait, then what tells the disk apart in a list of many: its zone, the
# instance it is attached to (None when detached), its name and whether it is a system or data disk.
RECORD_KEYS = ("disk_id", "region", "category", "performance_level", "status", "size",
               "zone_id", "instance_id", "disk_name", "type")


def extract_disks(answer: object) -> list[dict]:
    """The disk dicts of a DescribeDisks answer, whatever shape its Disks set takes."""
    return extract_set(answer, "Disks", "Disk", "DiskId")


def disk_record(raw: dict | None, region: str | None = None) -> dict[str, object]:
    """One disk as the modules return it (RECORD_KEYS); ``region`` when the Disk carries no RegionId. ``size``: GiB."""
    raw = raw or {}
    return {
        "disk_id": text(raw.get("DiskId")),
        "region": text(raw.get("RegionId")) or region,
        "category": text(raw.get("Category")),
        "performance_level": text(raw.get("PerformanceLevel")),
        "status": text(raw.get("Status")),
        "size": parse_int(raw.get("Size")),
        "zone_id": text(raw.get("ZoneId")),
        "instance_id": text(raw.get("InstanceId")),
        "disk_name": text(raw.get("DiskName")),
        "type": text(raw.get("Type")),
    }


def check_disks(answer: dict) -> str | None:
    """Why a 200 answer is not a DescribeDisks answer (None when it is)."""
    return answer_problem(answer, "DescribeDisks", "Disks", "Disk", "DiskId", "disk",
                          ("Status", "Category", "PerformanceLevel"))


def validate_disk_ids(ids: object, option: str = "disk_ids") -> list[str]:
    """Stripped ids, duplicates folded (first order kept); ConfigError naming the bad entry otherwise."""
    return validate_ids(ids, option, "disk", "ASCII letters, digits and hyphens (such as d-bp1j4l5axzdy6ftk1234)")
