# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What ECS says about a disk: categories, performance levels, statuses, the not-found code; and the
case-insensitive reading of a category or level a user wrote.

Every other file reads these names from here. See docs/architecture.md.
"""

from __future__ import annotations

import difflib

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ConfigError
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import kind_of

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


def _choose(value, option, choices, key, what, prefix):
    if not isinstance(value, str) or not value.strip():
        raise ConfigError("%s must be a %s such as %s, got %s %r" % (option, what, choices[0], kind_of(value), value),
                          option=option)
    wanted = key(value)
    for choice in choices:
        if key(choice) == wanted:
            return choice
    text = "%s %r is not a %s ECS knows (%s)" % (option, value, what, ", ".join(choices))
    keys = [key(choice) for choice in choices]
    # A name without its usual start (essd, 1) is closest to the one with it (cloud_essd, PL1).
    close = difflib.get_close_matches(wanted, keys, n=1) or difflib.get_close_matches(key(prefix + wanted), keys, n=1)
    if close:
        text += "; did you mean %s?" % next(choice for choice in choices if key(choice) == close[0])
    raise ConfigError(text, option=option)


def _category_key(value):
    # Case and separators are not meaningful to a reader: CLOUD-ESSD, Cloud ESSD and cloud_essd are one category.
    return "_".join(value.strip().lower().replace("-", " ").replace("_", " ").split())


def normalize_category(value: object, option: str = "disk_category", choices: tuple[str, ...] = CATEGORIES) -> str:
    """The category as ECS spells it (``CLOUD_ESSD``, ``cloud-essd`` -> ``cloud_essd``); a ConfigError naming the
    closest choice otherwise. ``choices``: TARGET_CATEGORIES for what ModifyDiskSpec takes."""
    return _choose(value, option, choices, _category_key, "disk category", "cloud_")


def normalize_performance_level(value: object, option: str = "performance_level") -> str:
    """``pl1``, ``PL1``, ``pl-1`` -> ``PL1``; a ConfigError naming the closest level otherwise."""
    return _choose(value, option, PERFORMANCE_LEVELS, _level_key, "performance level", "PL")


def _level_key(value):
    return "".join(value.upper().replace("-", " ").replace("_", " ").split())
