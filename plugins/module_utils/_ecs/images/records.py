# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DescribeImages answers -> one normalised image record, the check of an answer, and the image-id check.

Pure and tolerant, as tasks/records.py: the SDK models' shape (``Images.Image``, ``Usable`` a boolean,
``Size`` an integer) and the pages' (a lone image as a dict, strings for booleans and numbers) are both
read, and odd data gives ``None`` rather than an exception. See docs/architecture.md (Image and disk records).
"""

from __future__ import annotations

from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.api.listing import answer_problem, extract_set
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.images.states import AVAILABLE, IN_PROGRESS_STATES
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.tasks.records import (
    parse_bool, parse_int, parse_progress, text, validate_ids,
)
from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.timeutil import normalize_api_time

RECORD_KEYS = ("image_id", "region", "image_name", "status", "progress", "usable", "size", "creation_time")


def extract_images(answer: object) -> list[dict]:
    """The image dicts of a DescribeImages answer, whatever shape its Images set takes."""
    return extract_set(answer, "Images", "Image", "ImageId")


def image_record(raw: dict | None, region: str | None = None) -> dict[str, object]:
    """One image as the modules return it (RECORD_KEYS); ``region`` is the region asked (an Image has no RegionId).

    ``progress``: the percentage (an Available image without one is at 100); ``usable``: the ``Usable`` flag,
    None when the answer has none; ``size``: GiB.
    """
    raw = raw or {}
    status = text(raw.get("Status"))
    progress = parse_progress(raw.get("Progress"))
    if progress is None and status == AVAILABLE:
        progress = 100
    return {
        "image_id": text(raw.get("ImageId")),
        "region": text(raw.get("RegionId")) or region,
        "image_name": text(raw.get("ImageName")),
        "status": status,
        "progress": progress,
        "usable": parse_bool(raw.get("Usable")),
        "size": parse_int(raw.get("Size")),
        "creation_time": normalize_api_time(raw.get("CreationTime")),
    }


def is_usable(raw: dict) -> bool:
    """Whether a DescribeImages ``Image`` is Available and usable: ``Usable`` is false while ECS still prepares an
    Available image; a service that sends no flag means usable."""
    return raw.get("Status") == AVAILABLE and str(raw.get("Usable", True)).lower() != "false"


def is_being_made(raw: dict) -> bool:
    """Whether a DescribeImages ``Image`` is still being made: Creating, Waiting, or Available but not usable yet."""
    return raw.get("Status") in IN_PROGRESS_STATES or (raw.get("Status") == AVAILABLE and not is_usable(raw))


def check_images(answer: dict) -> str | None:
    """Why a 200 answer is not a DescribeImages answer (None when it is).

    A garbled ``Progress`` or ``Usable`` is not a reason: the record says None for it (the service has sent
    texts such as ``N/A`` for a task's progress).
    """
    return answer_problem(answer, "DescribeImages", "Images", "Image", "ImageId", "image", ("Status",))


def validate_image_ids(ids: object, option: str = "image_ids") -> list[str]:
    """Stripped ids, duplicates folded (first order kept); ConfigError naming the bad entry otherwise.

    Dots and underscores are allowed: public image ids look like ``ubuntu_22_04_x64_20G_alibase_20230208.vhd``.
    """
    return validate_ids(ids, option, "image", "ASCII letters, digits, hyphens, dots and underscores "
                                              "(such as m-bp1g7004ksh0oeuc1234)")
