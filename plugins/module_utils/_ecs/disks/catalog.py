# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ECS says about a disk: categories, performance levels, statuses, the not-found code; and the
case-insensitive reading of a category or level a user wrote.

Every other file reads these names from here. See docs/architecture.md.
"""

from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.spelling import choose

# The categories ModifyDiskSpec converts a disk to, fastest first (the SDK model's DiskCategory list;
# cloud_essd_entry is offered on the China site only).
TARGET_CATEGORIES = ("cloud_essd", "cloud_auto", "cloud_ssd", "cloud_essd_entry", "cloud_efficiency")
# Every cloud-disk category a wait may name: the targets and the basic disk a conversion may start from.
CATEGORIES = TARGET_CATEGORIES + ("cloud",)

# Performance levels exist for enterprise SSDs only (ModifyDiskSpec: InvalidPerformanceLevelParam.Mismatch).
PERFORMANCE_LEVELS = ("PL0", "PL1", "PL2", "PL3")
PERFORMANCE_LEVEL_CATEGORIES = ("cloud_essd",)

# DescribeDisks' documented statuses; a disk being converted reports Modifying, which no page lists
# (terraform-provider-alicloud PR #10303, bosh-alicloud-cpi #224).
STATES = ("In_use", "Available", "Attaching", "Detaching", "Creating", "ReIniting")
MODIFYING = "Modifying"
KNOWN_STATES = STATES + (MODIFYING,)

# The code the API answers for a disk the region does not hold; DescribeDisks simply omits it.
NOT_FOUND_CODE = "InvalidDiskId.NotFound"


def _category_key(value):
    # Case and separators are not meaningful to a reader: CLOUD-ESSD, Cloud ESSD and cloud_essd are one category.
    return "_".join(value.strip().lower().replace("-", " ").replace("_", " ").split())


def normalize_category(value: object, option: str = "disk_category", choices: tuple[str, ...] = CATEGORIES) -> str:
    """The category as ECS spells it (``CLOUD_ESSD``, ``cloud-essd`` -> ``cloud_essd``); a ConfigError naming the
    closest choice otherwise. ``choices``: TARGET_CATEGORIES for what ModifyDiskSpec takes."""
    return choose(value, option, choices, "disk category", _category_key, "cloud_")


def normalize_performance_level(value: object, option: str = "performance_level") -> str:
    """``pl1``, ``PL1``, ``pl-1`` -> ``PL1``; a ConfigError naming the closest level otherwise."""
    return choose(value, option, PERFORMANCE_LEVELS, "performance level", _level_key, "PL")


def _level_key(value):
    return "".join(value.upper().replace("-", " ").replace("_", " ").split())
