# -*- coding: utf-8 -*-
# Copyright: alicloud.ecs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The service's own errors of the start calls, explained: one line each, saying what was wrong and how to fix it,
with what the module knows (the image, the disk, the bucket, the region). See docs/after-a-restart.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping
    from typing import Union

    from ansible_collections.alicloud.ecs.plugins.module_utils._ecs.errors import ApiError

    # A template of str.format_map, or a function of the facts. (Union: an alias is an expression, Python 3.9.)
    Template = Union[str, Callable[[Mapping[str, object]], str]]

RAM_CONSOLE = "https://ram.console.aliyun.com/"
# The API pages that say which role and policy ECS needs to read (import) or write (export) OSS.
ROLE_PAGES = {
    "ImportImage": "https://www.alibabacloud.com/help/en/ecs/api-importimage",
    "ExportImage": "https://www.alibabacloud.com/help/en/ecs/api-exportimage",
}
DEFAULT_ROLES = {
    "ImportImage": ("AliyunECSImageImportDefaultRole", "AliyunECSImageImportRolePolicy", "read"),
    "ExportImage": ("AliyunECSImageExportDefaultRole", "AliyunECSImageExportRolePolicy", "write to"),
}

# The service refused for now (nothing was done): the call is sent again, with backoff, within the deadline.
REFUSED_FOR_NOW = ("DiskInCoolingPeriod", "Throttling.ConcurrentLimitExceeded")
# The service says what was asked for is already so.
NOTHING_TO_DO = ("NoChangeInDiskCategoryAndPerformanceLevel",)


class _Facts(dict):
    """What the module knows, for the hints' templates; a fact it does not know reads as "?"."""

    def __missing__(self, key):
        return "?"


def _no_role(facts):
    action = facts.get("action")
    role, policy, verb = DEFAULT_ROLES.get(action, DEFAULT_ROLES["ImportImage"])
    named = facts.get("role_name")
    which = ("the role %s given as role_name must exist, be trusted by ecs.aliyuncs.com and have the policy %s"
             % (named, policy)) if named else (
        "create the RAM role %s, trusted by ecs.aliyuncs.com, with the system policy %s" % (role, policy))
    return ("ECS is not authorised to %s your OSS buckets: %s, in the RAM console %s (%s says how), then run again"
            % (verb, which, RAM_CONSOLE, ROLE_PAGES.get(action, ROLE_PAGES["ImportImage"])))


def _duplicated(facts):
    # The name clashes where the image is made: a copy's destination region, else the call's region.
    where = facts.get("destination_region") or facts["region"]
    return ("an image named %r already exists in region %s but was not found as one of this account's own (it "
            "appeared after the look-up, or is shared with this account): run again to attach to it, or choose "
            "another name" % (facts["image_name"], where))


HINTS: dict[str, Template] = {
    "NoSetRoletoECSServiceAcount": _no_role,
    "InvalidImageId.NotFound": "image {image_id} does not exist in region {region}: check image_id and region (an "
                               "image belongs to one region; ecs_image_copy puts a copy in another)",
    "InvalidDiskId.NotFound": "disk {disk_id} does not exist in region {region}: check disk_id and region",
    "InvalidImageFormat.Malformed": "{format_option} {format!r} is not a format {action} takes: use one of {formats}",
    "InvalidOSSObject.NotFound": "there is no object oss://{bucket}/{object} in region {region}: upload the image "
                                 "file first, or check oss_bucket, oss_object and that the bucket is in {region}",
    "InvalidOSSBucket.NotFound": "bucket {bucket} is not in region {region}: a bucket belongs to one region; use a "
                                 "bucket of {region}, or run in the bucket's region",
    "InvalidOSSObject.Size": "oss://{bucket}/{object} is empty: upload the image file again",
    "DiskInCoolingPeriod": "disk {disk_id} was changed recently and ECS refuses another change until its cooling "
                           "period ends; the call was sent again until the timeout ran out: run again later, or "
                           "raise timeout to keep trying",
    "Throttling.ConcurrentLimitExceeded": "ECS runs too many such operations of this account at once; the call was "
                                          "sent again until the timeout ran out: run again later, or raise timeout",
    "InvalidImageName.Duplicated": _duplicated,
    "DestinationRegion.NotFound": "ECS knows no region {destination_region}: check destination_regions (region "
                                  "ids such as eu-central-1)",
    "IncorrectImageStatus": "image {image_id} is not Available yet (or failed): wait for it with "
                            "alicloud.ecs.ecs_image_wait, then run again",
    "ImageIsExporting": "image {image_id} is being exported already (to another bucket, prefix or format): wait for "
                        "that export (alicloud.ecs.ecs_task_wait with task_action ExportImage and resource_ids "
                        "[{image_id}]), then run again",
    "InvalidStatus.DiskNotReady": "disk {disk_id} is neither In_use nor Available (Modifying, attaching...): wait "
                                  "for it with alicloud.ecs.ecs_disk_wait, then run again",
    "NoChangeInDiskCategoryAndPerformanceLevel": "disk {disk_id} already has this category and performance level: "
                                                 "there is nothing to do",
    # A start call whose answer could not be read (or does not name what it started) was sent: not again.
    "InvalidResponse": "{action} may have started the work all the same: run again, and the run attaches to what "
                       "it finds",
}


def hint(code: str, facts: Mapping[str, object]) -> str | None:
    """The advice for ``code`` of a start call, worded with ``facts``; None for a code not explained here."""
    return advice(code, facts) if code in HINTS else None


def advice(code: str, facts: Mapping[str, object]) -> str:
    """The advice for ``code``, one of those explained here (HINTS), worded with ``facts``."""
    template = HINTS[code]
    known = _Facts((name, value) for name, value in facts.items() if value not in (None, ""))
    return template(known) if callable(template) else template.format_map(known)


def explain(error: ApiError, facts: Mapping[str, object]) -> ApiError:
    """``error`` with the advice of its code, when there is one (the client's own advice otherwise)."""
    text = hint(error.code, facts)
    return error.with_hint(text) if text else error
